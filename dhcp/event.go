package dhcp

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"
)

// Bounds on what an event may carry.
const (
	maxHostname = 63 // a DNS label
	// MaxEvents is how many events one POST /dhcp/leases may carry.
	MaxEvents = 256
)

// ErrIgnored is returned (wrapped) by the hook parsers for an invocation
// that is not about a lease — dnsmasq's "init", "tftp", "arp-add", a Kea
// DHCPv6 hook point — and must be acknowledged without doing anything.
var ErrIgnored = errors.New("not a DHCPv4 lease event")

// parseIP returns an IP address in its canonical form (IPv4-mapped
// addresses unmapped, no zone).
func parseIP(s string) (string, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil || a.Zone() != "" {
		return "", fmt.Errorf("%q is not an IP address", clip(s))
	}
	a = a.Unmap()
	if a.IsUnspecified() {
		return "", fmt.Errorf("IP address %s is unspecified", a)
	}
	return a.String(), nil
}

// cleanHostname keeps a client's host name when it is short printable
// ASCII, and drops it otherwise: it reaches logs and pages.
func cleanHostname(s string) string {
	if len(s) > maxHostname {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= 0x20 || s[i] >= 0x7f {
			return ""
		}
	}
	return s
}

// Validate checks an event received from outside and puts it in canonical
// form: a known source, an action, a valid MAC and IP address, a vendor
// class of at most 255 bytes (its bytes that are not UTF-8 replaced by
// '?'). A host name that is not short printable ASCII is dropped rather
// than refused.
func (e *Event) Validate() error {
	switch e.Source {
	case SourceDnsmasq, SourceISC, SourceKea, SourceProvd:
	default:
		return fmt.Errorf("unknown source %q (dnsmasq, isc, kea or provd)", clip(e.Source))
	}
	if e.Action == "" || len(e.Action) > 32 || !printable(e.Action) {
		return fmt.Errorf("action %q", clip(e.Action))
	}
	mac, err := ParseMAC(e.MAC)
	if err != nil {
		return err
	}
	e.MAC = mac
	ip, err := parseIP(e.IP)
	if err != nil {
		return err
	}
	e.IP = ip
	if e.VendorClass != nil {
		if len(*e.VendorClass) > MaxOptionLen {
			return fmt.Errorf("vendor class of %d bytes: longer than 255", len(*e.VendorClass))
		}
		// Bytes that are not UTF-8 would not survive JSON: each becomes
		// '?', which no family's class contains.
		if !utf8.ValidString(*e.VendorClass) {
			e.VendorClass = strPtr(strings.ToValidUTF8(*e.VendorClass, "?"))
		}
	}
	e.Hostname = cleanHostname(e.Hostname)
	return nil
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// Printable returns a vendor class as it can be shown: valid UTF-8, the
// control characters (Cisco ends its class with a NUL) as \xNN.
func Printable(vendorClass string) string {
	var b strings.Builder
	for i := 0; i < len(vendorClass); {
		r, size := utf8.DecodeRuneInString(vendorClass[i:])
		if r == utf8.RuneError && size <= 1 || r < 0x20 || r == 0x7f {
			fmt.Fprintf(&b, `\x%02x`, vendorClass[i])
			i++
			continue
		}
		b.WriteString(vendorClass[i : i+size])
		i += size
	}
	return b.String()
}

// strPtr returns a pointer to s.
func strPtr(s string) *string { return &s }
