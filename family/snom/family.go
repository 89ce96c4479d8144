// Package snom is the Snom family (3xx, 7xx, D3xx, D7xx, M DECT), for
// identification and re-sync. See README.md.
package snom

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// Vendor is the Device.Vendor of Snom phones.
const Vendor = "Snom"

// Family returns the Snom family.
func Family() family.Family {
	return family.Family{
		Name:      "snom",
		Profile:   profile(),
		Vendor:    Vendor,
		UserAgent: matchUserAgent,
		Path:      matchPath,
		OUIs: []string{
			"000413", // docs/vendors.md#mac-addresses and "… 000413741767)"
		},
		DHCP: family.DHCP{
			VendorClasses: []family.VendorClass{
				{Match: family.Prefix, Value: "snom"}, // "snomD785", "snom320", "snomM700"
			},
			Boot: []family.BootOption{{Code: 66, Form: "url"}},
		},
		Notify: family.Notify{
			Event:        "check-sync;reboot=false", // re-read without reboot
			ProfileWords: []family.LineEvent{{Key: "snom"}},
		},
	}
}

// matchPath: snom<model>-<MAC>.htm, snom<model>.htm, res_phoneprov's
// snom-<MAC>.xml and firmware snom<model>-<version>-SIP-r.bin. The model is
// the part before the first '-' or '.'.
func matchPath(_, base string) (family.Device, bool) {
	if !text.HasPrefixFold(base, "snom") {
		return family.Device{}, false
	}
	end := strings.IndexAny(base, "-.")
	if end < 0 {
		return family.Device{}, false
	}
	var d family.Device
	if end > len("snom") && text.IsModelToken(base[:end]) {
		d.Model = base[:end]
		d.ProductLine = snomProductLine(base[len("snom"):end])
	}
	return d, true
}
