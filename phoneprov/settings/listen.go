package settings

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// CheckListenAddress reports whether addr is an address a listener can be
// opened on: "host:port" where host is empty (every address), an IP
// address (IPv6 in brackets, a zone allowed) or a host name, and port is a
// number from 0 to 65535 or a service name ("http").
func CheckListenAddress(addr string) error {
	const form = "host:port, e.g. :8080, 127.0.0.1:8080 or [::]:8080"
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		var why string
		switch {
		case !strings.Contains(addr, ":"):
			why = "no port"
		case strings.Count(addr, ":") > 1 && !strings.HasPrefix(addr, "["):
			why = "an IPv6 address must be in brackets"
		default:
			why = strings.TrimPrefix(err.Error(), "address "+addr+": ")
		}
		return fmt.Errorf("%q is not a listen address (%s): %s", addr, form, why)
	}
	if port == "" {
		return fmt.Errorf("%q has no port (%s)", addr, form)
	}
	if n, err := strconv.Atoi(port); err == nil {
		if n < 0 || n > 65535 {
			return fmt.Errorf("%q: port %d is not from 0 to 65535", addr, n)
		}
	} else if !isServiceName(port) {
		return fmt.Errorf("%q: port %q is neither a number nor a service name", addr, port)
	}
	if host == "" {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if z := ip.Zone(); z != "" && !isZoneName(z) {
			return fmt.Errorf("%q: zone %q is not an interface name or index", addr, z)
		}
		return nil
	}
	if strings.HasPrefix(addr, "[") {
		return fmt.Errorf("%q: %q in brackets is not an IPv6 address", addr, host)
	}
	if !isHostName(host) {
		return fmt.Errorf("%q: %q is neither an IP address nor a host name", addr, host)
	}
	return nil
}

// isServiceName reports whether s looks like an /etc/services name.
func isServiceName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// isZoneName reports whether s can name an IPv6 zone: an interface name
// (at most 15 bytes, Linux's IFNAMSIZ less its NUL, without white space,
// '/' or ':') or an interface index. netip accepts any bytes after '%'.
func isZoneName(s string) bool {
	if len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '/' || c == ':' || c == '%' {
			return false
		}
	}
	return true
}

// isHostName reports whether s is a syntactically valid DNS host name.
func isHostName(s string) bool {
	if len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(s, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// listen parses a listen address.
func listen(p *string) func(string) error {
	return func(v string) error {
		if err := CheckListenAddress(v); err != nil {
			return err
		}
		*p = v
		return nil
	}
}
