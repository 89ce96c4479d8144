package dhcp

import (
	"fmt"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
)

// ParseMAC returns the Ethernet address s as 12 lower-case hex digits. It
// takes what the DHCP servers write: "00:15:65:aa:bb:cc" (dnsmasq, Kea),
// ISC's binary-to-ascii form without leading zeros ("0:15:65:aa:bb:c"),
// the '-' and '.' forms and bare hex (family.NormalizeMAC), and dnsmasq's
// "01-00:15:…" with the hardware type in front. Other hardware types, and
// the all-zero address, are refused.
func ParseMAC(s string) (string, error) {
	in := s
	if len(s) > 3 && s[2] == '-' && strings.Count(s, ":") == 5 {
		// dnsmasq's "<type>-" prefix: 01 is Ethernet.
		if s[:2] != "01" {
			return "", fmt.Errorf("MAC %q: hardware type %s is not Ethernet", clip(in), s[:2])
		}
		s = s[3:]
	}
	if m, ok := family.NormalizeMAC(s); ok {
		if m == family.ZeroMAC {
			return "", fmt.Errorf("MAC %q: all zeros", clip(in))
		}
		return m, nil
	}
	if strings.Count(s, ":") != 5 || len(s) > 17 {
		return "", fmt.Errorf("%q is not an Ethernet MAC address", clip(in))
	}
	b, err := ParseDottedHex(s)
	if err != nil || len(b) != 6 {
		return "", fmt.Errorf("%q is not an Ethernet MAC address", clip(in))
	}
	m := FormatDottedHex(b)
	m = strings.ReplaceAll(m, ".", "")
	if m == family.ZeroMAC {
		return "", fmt.Errorf("MAC %q: all zeros", clip(in))
	}
	return m, nil
}
