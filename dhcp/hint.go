package dhcp

import (
	"fmt"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
)

// Hint is what to tell an administrator about a device that leased an
// address but never asked phoneprovd for a file: most often the DHCP
// server does not send it the option its family reads, or sends another
// server's address, or a firewall or VLAN keeps it from phoneprovd's port.
// vendor is the device's vendor ("" when unknown); fams gives the options
// its family reads.
func Hint(fams []family.Family, vendor string) string {
	opts := "the option its vendor reads (66, 160 or 43)"
	for i := range fams {
		if fams[i].Vendor != vendor || vendor == "" {
			continue
		}
		if codes := bootCodes(fams[i].DHCP.Boot); codes != "" {
			opts = fmt.Sprintf("option %s, which %s phones read", codes, vendor)
		}
		break
	}
	return "leased an address but never asked for a file: check that the DHCP server sends it phoneprovd's URL in " +
		opts + " (phoneprovd dhcp config prints the configuration), and that nothing (a firewall, a VLAN) " +
		"keeps it from phoneprovd's HTTP or TFTP port"
}

// bootCodes lists the distinct option codes of boot ("66 or 160").
func bootCodes(boot []family.BootOption) string {
	var codes []string
	seen := map[int]bool{}
	for _, b := range boot {
		if seen[b.Code] {
			continue
		}
		seen[b.Code] = true
		c := fmt.Sprint(b.Code)
		if b.Sub != 0 {
			c = fmt.Sprintf("%d (sub-option %d)", b.Code, b.Sub)
		}
		codes = append(codes, c)
	}
	switch len(codes) {
	case 0:
		return ""
	case 1:
		return codes[0]
	}
	return strings.Join(codes[:len(codes)-1], ", ") + " or " + codes[len(codes)-1]
}
