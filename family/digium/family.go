// Package digium is the Digium (Sangoma) D-series family: identification,
// re-sync, and the behaviour of Wazo's wazo-digium provd plugins. See
// README.md.
package digium

import (
	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// Vendor is the Device.Vendor of Digium phones.
const Vendor = "Digium"

// Family returns the Digium family.
func Family() family.Family {
	return family.Family{
		Name:      "digium",
		Vendor:    Vendor,
		UserAgent: matchUserAgent,
		Path:      matchPath,
		OUIs: []string{
			"000fd3", // IEEE: Digium
		},
		DHCP: family.DHCP{
			VendorClasses: []family.VendorClass{
				{Match: family.Prefix, Value: "digium_D"}, // "digium_D40_1_0_5_46476"
			},
			// The phones read a URL from option 66 and fetch
			// <url>/<mac>.cfg: the URL names provd's Digium directory.
			Boot:    []family.BootOption{{Code: 66, Form: "url", Path: "/Digium"}},
			Extract: extractVendorClass,
		},
		Notify: family.Notify{
			Event:        "check-sync", // Asterisk's digium-check-cfg
			ProfileWords: []family.LineEvent{{Key: "digium"}},
		},
		Provd: provdPlugin,
	}
}

// matchPath: Wazo's /Digium/ directory, <mac>-contacts.xml and
// <mac>-smartblf.cfg.
func matchPath(dir, base string) (family.Device, bool) {
	if text.MACThen(base, 0, "-contacts.xml", "-smartblf.cfg") || text.HasDirElement(dir, "Digium") {
		return family.Device{}, true
	}
	return family.Device{}, false
}
