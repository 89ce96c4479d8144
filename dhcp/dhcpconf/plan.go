// Package dhcpconf writes the DHCP servers' side of phoneprovd: for
// dnsmasq, Kea and ISC dhcpd, the configuration that sends each supported
// family's phones — recognised by OUI and by vendor class (option 60) —
// the provisioning URL in the options and forms they read (66, 160, 43
// with its sub-option, 150, 114: family.DHCP.Boot), and the hook that
// reports every lease to phoneprovd (see package dhcp).
//
// Each format is checked by the server itself in the tests: dnsmasq
// --test, kea-dhcp4 -t and dhcpd -t accept what it writes, and the
// end-to-end test serves dnsmasq's to a real DHCP client.
package dhcpconf

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
)

// Options are what a configuration is written from.
type Options struct {
	// URL is the provisioning base URL phones are sent
	// ("http://192.0.2.10:8080/phoneprov"); a family's Path is appended.
	URL string
	// Families are the families to configure (families.List()).
	Families []family.Family
	// Hook is the program dnsmasq (dhcp-script) and Kea (run_script) run
	// for every lease: phoneprovd installed as phoneprovd-dhcp-event, or a
	// wrapper that runs `phoneprovd dhcp event` with its flags. "" leaves
	// the hook out.
	Hook string
	// Command is the program and the arguments before the action that
	// ISC's execute() runs: {"/usr/local/bin/phoneprovd", "dhcp", "event"}.
	// Empty leaves the hook out.
	Command []string
	// KeaRunScript is the path of Kea's libdhcp_run_script.so.
	KeaRunScript string
}

// group is one set of phones the configuration recognises and the
// options it sends them: a family, or one product line of it.
type group struct {
	tag     string // "phoneprovd-yealink", "phoneprovd-cisco-spa"
	title   string // "Yealink", "Cisco SPA"
	ouis    [][3]byte
	classes []family.VendorClass
	options []option
	notes   []string // options left out, and why
}

// option is one DHCP option of a group.
type option struct {
	code int
	sub  int    // sub-option of 43, 0 for none
	text string // the value, for every form but ip
	ip   netip.Addr
}

// value returns the option's bytes as the phone reads them.
func (o option) value() []byte {
	v := []byte(o.text)
	if o.ip.IsValid() {
		a := o.ip.As4()
		v = a[:]
	}
	if o.sub != 0 {
		v = append([]byte{byte(o.sub), byte(len(v))}, v...)
	}
	return v
}

// plan turns the families into groups: one per family for the options
// all its phones read (matched by OUI and by every vendor class of the
// family), and one per product line for the options of that line
// (matched by the line's vendor classes). Groups with nothing to match,
// or nothing to send or say, are left out; a group whose options were all
// left out is written as a comment saying why.
func plan(o Options) ([]group, error) {
	base, err := checkURL(o.URL)
	if err != nil {
		return nil, err
	}
	var groups []group
	for _, f := range o.Families {
		lines := []string{""}
		for _, b := range f.DHCP.Boot {
			if b.Line != "" && !contains(lines, b.Line) {
				lines = append(lines, b.Line)
			}
		}
		for _, line := range lines {
			g := group{tag: "phoneprovd-" + tagWord(f.Name), title: f.Vendor}
			if line != "" {
				g.tag += "-" + tagWord(line)
				g.title += " " + line
			}
			for _, c := range f.DHCP.VendorClasses {
				if (line == "" || c.Line == line) && c.Value != "" {
					g.classes = append(g.classes, c)
				}
			}
			if line == "" {
				for _, s := range f.OUIs {
					if oui, ok := parseOUI(s); ok {
						g.ouis = append(g.ouis, oui)
					}
				}
			}
			seen := map[int]bool{}
			for _, b := range f.DHCP.Boot {
				if b.Line != line || seen[b.Code] {
					continue
				}
				opt, note := bootOption(b, base)
				if note != "" {
					g.notes = append(g.notes, note)
					continue
				}
				seen[b.Code] = true
				g.options = append(g.options, opt)
			}
			if (len(g.options) > 0 || len(g.notes) > 0) && (len(g.ouis) > 0 || len(g.classes) > 0) {
				groups = append(groups, g)
			}
		}
	}
	return groups, nil
}

// bootOption makes the option b of a family, or says why it cannot.
func bootOption(b family.BootOption, base *url.URL) (option, string) {
	o := option{code: b.Code, sub: b.Sub}
	switch b.Form {
	case "url":
		s := base.String()
		if b.Path != "" {
			s = strings.TrimSuffix(s, "/") + b.Path
		}
		o.text = s
	case "host":
		o.text = base.Hostname()
	case "ip":
		a, err := netip.ParseAddr(base.Hostname())
		if err != nil || !a.Is4() {
			return option{}, fmt.Sprintf("option %d (an IPv4 address) is left out: the URL's host %q is not one", b.Code, base.Hostname())
		}
		o.ip = a
	default:
		return option{}, fmt.Sprintf("option %d has an unknown form %q", b.Code, b.Form)
	}
	if n := len(o.value()); n > 255 {
		return option{}, fmt.Sprintf("option %d is left out: %d bytes, more than an option holds", b.Code, n)
	}
	return o, ""
}

// checkURL parses the provisioning URL and refuses what would not survive
// a DHCP server's configuration syntax unquoted or quoted.
func checkURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, fmt.Errorf("no provisioning URL: give -url (or [dhcp] url), e.g. http://192.0.2.10:8080/phoneprov")
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '\\' || c == ',' || c == ';' {
			return nil, fmt.Errorf("provisioning URL %q: spaces, quotes, backslashes, commas, semicolons and non-ASCII characters are not allowed", s)
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("provisioning URL %q: %w", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "tftp" || u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("provisioning URL %q: want http://, https:// or tftp:// and a host", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("provisioning URL %q: phones append file names to it; it cannot have a query or a fragment", s)
	}
	return u, nil
}

// parseOUI reads six hex digits.
func parseOUI(s string) ([3]byte, bool) {
	var b [3]byte
	if len(s) != 6 {
		return b, false
	}
	for i := 0; i < 3; i++ {
		hi, ok1 := hexVal(s[2*i])
		lo, ok2 := hexVal(s[2*i+1])
		if !ok1 || !ok2 {
			return b, false
		}
		b[i] = hi<<4 | lo
	}
	return b, true
}

func hexVal(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// tagWord makes a name safe in every server's class or tag names.
func tagWord(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// safeText reports whether s can be written as a quoted string in every
// format without escapes: printable ASCII without quotes or backslashes.
func safeText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '\\' {
			return false
		}
	}
	return true
}

// hexColon writes b as "00:15:65".
func hexColon(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02x", c)
	}
	return strings.Join(parts, ":")
}
