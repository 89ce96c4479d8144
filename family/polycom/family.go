// Package polycom is the Polycom / Poly family (SoundPoint IP,
// SoundStation IP, VVX, Edge on UC Software), for identification and
// re-sync. See README.md.
package polycom

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// Vendor is the Device.Vendor of Polycom phones.
const Vendor = "Polycom"

// Family returns the Polycom family.
func Family() family.Family {
	return family.Family{
		Name:      "polycom",
		Profile:   profile(),
		Vendor:    Vendor,
		UserAgent: matchUserAgent,
		Path:      matchPath,
		OUIs: []string{
			"0004f2", // docs/vendors.md#mac-addresses; IEEE: Polycom
			"64167f", // IEEE: Polycom
			"482567", // IEEE: Poly
		},
		DHCP: family.DHCP{
			VendorClasses: []family.VendorClass{
				{Match: family.Prefix, Value: "Polycom-"}, // "Polycom-VVX400"
			},
			// UC Software's default boot server mode is "Custom+Option 66"
			// with custom option 160 (a string): 160 when present, else 66
			// (the administrator guides' DHCP menu). The URL names the
			// directory holding <mac>.cfg; Wazo's dhcp/polycom.conf adds
			// its own master file name, which res_phoneprov profiles do
			// not need.
			Boot: []family.BootOption{{Code: 160, Form: "url"}, {Code: 66, Form: "url"}},
		},
		Notify: family.Notify{
			Event:        "check-sync",
			ProfileWords: []family.LineEvent{{Key: "polycom"}},
		},
	}
}

// matchPath: the files a Polycom phone fetches or uploads beside its
// <mac>.cfg (-phone.cfg, -web.cfg, -license.cfg, -directory.xml, -app.log,
// -boot.log, Wazo's -user.cfg), the shipped 000000000000.cfg, bootROM and
// application images (*.ld, sip.ver, bootrom.ver) and the localisation
// directory.
func matchPath(dir, base string) (family.Device, bool) {
	switch {
	case text.MACThen(base, 0, "-phone.cfg", "-web.cfg", "-license.cfg", "-directory.xml",
		"-app.log", "-boot.log", "-user.cfg"),
		strings.EqualFold(base, family.ZeroMAC+".cfg"),
		text.HasSuffixFold(base, ".ld"),
		strings.EqualFold(base, "sip.ver"),
		strings.EqualFold(base, "bootrom.ver"),
		strings.Contains(dir, "SoundPointIPLocalization"):
		return family.Device{}, true
	}
	return family.Device{}, false
}
