package device

import "strings"

// matchGrandstream recognises Grandstream User-Agents (VENDORS.md §1.2
// Grandstream):
//
//	Grandstream Model HW GXP2135 SW 1.0.7.97 DevId 000b828aa872
//	Grandstream Model HW GXV3240 V1.6B SW 1.0.1.27 DevId 000b82632815
//	Grandstream GXP2000 (gxp2000e.bin:1.2.5.3/boot55e.bin:1.1.6.9) DevId 000b822726c8
//	Grandstream HT802 1.0.17.5                      (the SIP stack's form)
//
// The MAC is the field after "DevId". In the "Model HW" form the firmware is
// the field after "SW"; in the old form it is the first image's version in
// the parenthesis, or a dotted version field.
func matchGrandstream(ua string) (Device, bool) {
	if !hasPrefixFold(ua, "Grandstream ") {
		return Device{}, false
	}
	f := tokenize(ua)
	var d Device
	if f.at(1) == "Model" && f.at(2) == "HW" {
		d.Model = f.at(3)
		if sw := f.index(4, "SW"); sw > 0 {
			d.Firmware = f.at(sw + 1)
		}
	} else {
		d.Model = f.at(1)
		switch next := f.at(2); {
		case strings.HasPrefix(next, "("):
			// (gxp2000e.bin:1.2.5.3/boot55e.bin:1.1.6.9)
			if _, v, ok := strings.Cut(next, ":"); ok {
				d.Firmware = leadingVersion(v)
			}
		case isDottedVersion(next):
			d.Firmware = next
		}
	}
	if !isModelToken(d.Model) || !hasDigit(d.Model) {
		return Device{}, false
	}
	if id := f.index(2, "DevId"); id > 0 {
		d.MAC = f.at(id + 1)
	}
	d.Vendor = VendorGrandstream
	d.Family = strings.ToUpper(leadingLetters(d.Model))
	return d, true
}
