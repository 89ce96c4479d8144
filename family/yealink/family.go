// Package yealink is the Yealink family: identification, re-sync, and the
// behaviour of Wazo's wazo-yealink provd plugins. See README.md.
package yealink

import (
	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// Vendor is the Device.Vendor of Yealink phones.
const Vendor = "Yealink"

// Family returns the Yealink family.
func Family() family.Family {
	return family.Family{
		Name:      "yealink",
		Profile:   profile(),
		Vendor:    Vendor,
		UserAgent: matchUserAgent,
		Path:      matchPath,
		OUIs: []string{
			"001565", // docs/vendors.md#mac-addresses and UA examples; IEEE: Yealink
			"805ec0", // docs/vendors.md#mac-addresses, "Yealink SIP-T31G … 80:5e:c0:d5:7d:55"
			"805e0c", // IEEE: Yealink
			"249ad8", // IEEE: Yealink; "Yealink SIP-T34W 124.86.0.75 24:9a:d8:88:d0:f4"
			// The other phone blocks of Wazo's dhcp/yealink.conf and of the
			// plugin's MAC prefixes (macPrefixes).
			"e434d7", "3497d7", "44dbd2", "644f56", "b061a9", "c4fc22", "ec1da9", "f01653",
		},
		DHCP: family.DHCP{
			VendorClasses: []family.VendorClass{
				{Match: family.Prefix, Value: "yealink"}, // "yealink" (T4x/T5x firmware), "yealink-T46U"
			},
			// Out of the box Yealink phones read the provisioning URL from
			// option 66. A "custom option" (128-254, often 160) is read
			// before it only when set on the phone, and option 43 carries
			// the TR-069 ACS address, not the provisioning server
			// (Yealink's admin guides, "DHCP Option 66, Option 43 and
			// Custom Option"; Wazo's dhcp/yealink.conf sends 66 alone).
			Boot: []family.BootOption{{Code: 66, Form: "url"}},
		},
		Notify: family.Notify{
			Event:        "check-sync", // ";reboot=true" to restart
			ProfileWords: []family.LineEvent{{Key: "yealink"}},
		},
		Provd: provdPlugin,
	}
}

// matchPath: <mac>.boot, the common y000000000000.boot, the per-model
// common file y0000000000XX.cfg (its digits are a model code, not a MAC),
// <mac>-local.cfg, <mac>-contact.xml, firmware *.rom and the key file
// *_Security.enc.
func matchPath(_, base string) (family.Device, bool) {
	switch {
	case text.MACThen(base, 0, ".boot", "-local.cfg", "-contact.xml"),
		isCommonFile(base),
		text.HasSuffixFold(base, ".rom"),
		text.HasSuffixFold(base, "_Security.enc"):
		return family.Device{}, true
	}
	return family.Device{}, false
}

// isCommonFile reports whether base is y000000000000.boot or a
// y0000000000XX.cfg: 'y' and twelve decimal digits.
func isCommonFile(base string) bool {
	return (base[0] == 'y' || base[0] == 'Y') && text.MACThen(base, 1, ".boot", ".cfg") &&
		text.LeadingDigits(base[1:13]) == base[1:13]
}
