// Package fanvil is the Fanvil family (X-series, firmware 2.x), for
// identification and re-sync. See README.md.
package fanvil

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// Vendor is the Device.Vendor of Fanvil phones.
const Vendor = "Fanvil"

// Family returns the Fanvil family.
func Family() family.Family {
	return family.Family{
		Name:      "fanvil",
		Profile:   profile(),
		Vendor:    Vendor,
		UserAgent: matchUserAgent,
		Path:      matchPath,
		OUIs: []string{
			"0c383e", // docs/vendors.md#mac-addresses and "Fanvil X4 … 0c383e07e16c"
		},
		DHCP: family.DHCP{
			// Fanvil phones send no vendor class of their own: they are
			// known by OUI, and read the URL from option 66 or 43.
			Boot: []family.BootOption{{Code: 66, Form: "url"}, {Code: 43, Form: "url"}},
		},
		Notify: family.Notify{
			Event:        "check-sync",
			ProfileWords: []family.LineEvent{{Key: "fanvil"}},
		},
	}
}

// matchPath: the common file f0<model>hw<hw>.cfg ("f0X4hw1.100.cfg") and
// the older f0<code>.cfg, a letter or two and digits ("f0C00580000.cfg").
// A MAC that happens to start with f0 ("f0a1b2c3d4e5.cfg") is a per-phone
// file, not one of these.
func matchPath(_, base string) (family.Device, bool) {
	if !strings.HasPrefix(base, "f0") || !text.HasSuffixFold(base, ".cfg") || text.MACThen(base, 0, ".cfg") {
		return family.Device{}, false
	}
	stem := base[len("f0") : len(base)-len(".cfg")]
	if model, _, ok := strings.Cut(stem, "hw"); ok && model != "" && text.IsModelToken(model) {
		return family.Device{ProductLine: text.LeadingLetters(model), Model: model}, true
	}
	letters := text.LeadingLetters(stem)
	if digits := stem[len(letters):]; len(letters) <= 2 && len(digits) >= 4 && text.LeadingDigits(digits) == digits {
		return family.Device{}, true
	}
	return family.Device{}, false
}
