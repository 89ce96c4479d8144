package aastra

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// matchUserAgent recognises Aastra and Mitel (Aastra-derived) User-Agents
// (docs/vendors.md#aastra-and-mitel):
//
//	Aastra6731i MAC:00-08-5D-23-74-29 V:3.2.0.70-SIP
//	Mitel6940 MAC:14-00-E9-1B-45-24 V:6.4.0.140-SIP
//
// The model follows the vendor word with no space; "MAC:" carries the MAC
// with dashes and "V:" the firmware, reported without the "-SIP" load
// suffix. Both vendor words map to Vendor: the Mitel 6900 series is
// the Aastra line under Mitel's name and is provisioned the same way.
func matchUserAgent(ua string) (family.Device, bool) {
	var rest string
	switch {
	case strings.HasPrefix(ua, "Aastra"):
		rest = ua[len("Aastra"):]
	case strings.HasPrefix(ua, "Mitel"):
		rest = ua[len("Mitel"):]
	default:
		return family.Device{}, false
	}
	f := text.Tokenize(rest)
	d := family.Device{Vendor: Vendor, Model: f.At(0)}
	if d.Model == "" || !text.IsDigit(d.Model[0]) || !text.IsModelToken(d.Model) {
		return family.Device{}, false
	}
	tagged := false
	for i := 1; i < f.N; i++ {
		w := f.At(i)
		if mac, ok := strings.CutPrefix(w, "MAC:"); ok {
			d.MAC, tagged = mac, true
		} else if v, ok := strings.CutPrefix(w, "V:"); ok {
			d.Firmware, tagged = strings.TrimSuffix(v, "-SIP"), true
		}
	}
	if !tagged {
		return family.Device{}, false
	}
	d.ProductLine = aastraProductLine(d.Model)
	return d, true
}

// aastraProductLine derives the series from the model number: 6731i is
// 67xxi, 6863i 68xxi, 6940 69xx, 9143i 9000i.
func aastraProductLine(model string) string {
	switch {
	case strings.HasPrefix(model, "67"):
		return "67xxi"
	case strings.HasPrefix(model, "68"):
		return "68xxi"
	case strings.HasPrefix(model, "69"):
		return "69xx"
	case strings.HasPrefix(model, "9"):
		return "9000i"
	}
	return ""
}
