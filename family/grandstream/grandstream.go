package grandstream

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// matchUserAgent recognises Grandstream User-Agents
// (docs/vendors.md#grandstream):
//
//	Grandstream Model HW GXP2135 SW 1.0.7.97 DevId 000b828aa872
//	Grandstream Model HW GXV3240 V1.6B SW 1.0.1.27 DevId 000b82632815
//	Grandstream GXP2000 (gxp2000e.bin:1.2.5.3/boot55e.bin:1.1.6.9) DevId 000b822726c8
//	Grandstream HT802 1.0.17.5                      (the SIP stack's form)
//
// The MAC is the field after "DevId". In the "Model HW" form the firmware is
// the field after "SW"; in the old form it is the first image's version in
// the parenthesis, or a dotted version field.
func matchUserAgent(ua string) (family.Device, bool) {
	if !text.HasPrefixFold(ua, "Grandstream ") {
		return family.Device{}, false
	}
	f := text.Tokenize(ua)
	var d family.Device
	if f.At(1) == "Model" && f.At(2) == "HW" {
		d.Model = f.At(3)
		if sw := f.Index(4, "SW"); sw > 0 {
			d.Firmware = f.At(sw + 1)
		}
	} else {
		d.Model = f.At(1)
		switch next := f.At(2); {
		case strings.HasPrefix(next, "("):
			// (gxp2000e.bin:1.2.5.3/boot55e.bin:1.1.6.9)
			if _, v, ok := strings.Cut(next, ":"); ok {
				d.Firmware = text.LeadingVersion(v)
			}
		case text.IsDottedVersion(next):
			d.Firmware = next
		}
	}
	if !text.IsModelToken(d.Model) || !text.HasDigit(d.Model) {
		return family.Device{}, false
	}
	if id := f.Index(2, "DevId"); id > 0 {
		d.MAC = f.At(id + 1)
	}
	d.Vendor = Vendor
	d.ProductLine = strings.ToUpper(text.LeadingLetters(d.Model))
	return d, true
}
