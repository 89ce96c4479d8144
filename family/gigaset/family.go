// Package gigaset is the Gigaset PRO family (N510 IP PRO, N720 DM PRO,
// N870 IP PRO DECT bases), for identification and re-sync only. See
// README.md.
package gigaset

import "github.com/phoneprovd/phoneprovd/family"

// Vendor is the Device.Vendor of Gigaset phones.
const Vendor = "Gigaset"

// Family returns the Gigaset family.
func Family() family.Family {
	return family.Family{
		Name:      "gigaset",
		Vendor:    Vendor,
		UserAgent: matchUserAgent,
		OUIs: []string{
			"7c2f80", // docs/vendors.md#mac-addresses and "…;7C2F80CA21E4"
			"002104", // IEEE: Gigaset Communications
			"589ec6", // IEEE: Gigaset Communications
		},
		DHCP: family.DHCP{
			VendorClasses: []family.VendorClass{
				{Match: family.Prefix, Value: "Gigaset_", Line: "PRO"}, // "Gigaset_N720_DM_PRO"
			},
			// Option 114 (default-url) carries the provisioning URL.
			Boot: []family.BootOption{{Code: 114, Form: "url"}},
		},
		Notify: family.Notify{
			Event:        "check-sync;reboot=false", // starts a profile download, no reboot
			ProfileWords: []family.LineEvent{{Key: "gigaset"}},
		},
	}
}
