// Package aastra is the Aastra family: Aastra 67xxi/68xxi/9000i and
// Mitel's Aastra-derived 6900 SIP phones, for identification and re-sync
// only (no Wazo plugin support yet). See README.md.
package aastra

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// Vendor is the Device.Vendor of Aastra and Mitel 6900 phones.
const Vendor = "Aastra"

// Family returns the Aastra family.
func Family() family.Family {
	return family.Family{
		Name:      "aastra",
		Vendor:    Vendor,
		UserAgent: matchUserAgent,
		Path:      matchPath,
		OUIs: []string{
			"00085d", // docs/vendors.md#mac-addresses, "Aastra6731i MAC:00-08-5D-…"
			"0010bc", // docs/vendors.md#mac-addresses; IEEE: Aastra Telecom
			"1400e9", // docs/vendors.md#mac-addresses (Mitel), "Mitel6940 MAC:14-00-E9-…"
		},
		DHCP: family.DHCP{
			VendorClasses: []family.VendorClass{
				{Match: family.Prefix, Value: "AastraIPPhone"}, // "AastraIPPhone6731i"
				{Match: family.Prefix, Value: "MitelIPPhone"},
			},
			// Option 43, sub-option 2: the configuration server URL.
			Boot: []family.BootOption{{Code: 43, Sub: 2, Form: "url", Path: "/Aastra"}, {Code: 66, Form: "url", Path: "/Aastra"}},
		},
		Notify: family.Notify{
			Event:        "check-sync", // Asterisk's aastra-check-cfg
			ProfileWords: []family.LineEvent{{Key: "aastra"}, {Key: "mitel"}},
		},
	}
}

// matchPath: aastra.cfg, aastra.tuz, the encrypted <MAC>.tuz and the model
// files <model>.cfg, <model>.tuz and firmware <model>.st for the 67xxi,
// 68xxi and 69xx models ("6731i.cfg", "6863i.st").
func matchPath(_, base string) (family.Device, bool) {
	if strings.EqualFold(base, "aastra.cfg") || strings.EqualFold(base, "aastra.tuz") ||
		text.MACThen(base, 0, ".tuz") {
		return family.Device{}, true
	}
	stem, ext, ok := strings.Cut(base, ".")
	if !ok || (ext != "cfg" && ext != "tuz" && ext != "st") {
		return family.Device{}, false
	}
	digits := text.LeadingDigits(stem)
	suffix := stem[len(digits):]
	series := len(digits) == 4 && digits[0] == '6' && '7' <= digits[1] && digits[1] <= '9'
	if series && (suffix == "" || suffix == "i") {
		return family.Device{ProductLine: aastraProductLine(stem), Model: stem}, true
	}
	return family.Device{}, false
}
