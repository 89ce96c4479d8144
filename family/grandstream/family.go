// Package grandstream is the Grandstream family (GXP, GRP, GXV, HT, WP),
// for identification and re-sync. See README.md.
package grandstream

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// Vendor is the Device.Vendor of Grandstream phones.
const Vendor = "Grandstream"

// Family returns the Grandstream family.
func Family() family.Family {
	return family.Family{
		Name:      "grandstream",
		Profile:   profile(),
		Vendor:    Vendor,
		UserAgent: matchUserAgent,
		Path:      matchPath,
		OUIs: []string{
			"000b82", // docs/vendors.md#mac-addresses and "DevId 000b828aa872"
			"c074ad", // docs/vendors.md#mac-addresses
			"ec74d7", // IEEE: Grandstream
		},
		DHCP: family.DHCP{
			VendorClasses: []family.VendorClass{
				{Match: family.Prefix, Value: "Grandstream"}, // "Grandstream GXP2135 dslforum.org"
			},
			// Option 66 (Config Server Path) or 160 (configuration server
			// address): "Allow DHCP Option 66 or 160 to Override Server".
			// Option 43 carries TR-069 ACS settings in sub-options, not the
			// provisioning server (Grandstream's DHCP Options Guide; Wazo's
			// dhcp/grandstream.conf sends 66 alone).
			Boot: []family.BootOption{{Code: 66, Form: "url"}, {Code: 160, Form: "url"}},
		},
		Notify: family.Notify{
			Event:        "check-sync",
			ProfileWords: []family.LineEvent{{Key: "grandstream"}},
		},
	}
}

// matchPath: cfg<mac>, cfg<mac>.bin, cfg<mac>.xml, the model file
// cfg<model>.xml ("cfggxp2135.xml") and the generic cfg.xml.
func matchPath(_, base string) (family.Device, bool) {
	if !text.HasPrefixFold(base, "cfg") {
		return family.Device{}, false
	}
	if text.MACThen(base, 3, "", ".bin", ".xml") || strings.EqualFold(base, "cfg.xml") {
		return family.Device{}, true
	}
	if text.HasSuffixFold(base, ".xml") {
		model := base[len("cfg") : len(base)-len(".xml")]
		letters := text.LeadingLetters(model)
		number := text.LeadingDigits(model[len(letters):])
		if len(letters) >= 2 && len(letters) <= 4 && len(number) >= 3 && text.IsModelToken(model) {
			return family.Device{ProductLine: strings.ToUpper(letters), Model: strings.ToUpper(model)}, true
		}
	}
	return family.Device{}, false
}
