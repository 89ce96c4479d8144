package device

// matchFanvil recognises Fanvil User-Agents (VENDORS.md §1.2 Fanvil):
//
//	Fanvil X4 2.10.2.6887 0c383e07e16c
//	Fanvil X6U Pro 0.0.10 0c383e2cd782
//	Fanvil X5U-V2 2.12.16.17 0c383e557eb1
//
// The model is everything between "Fanvil" and the first dotted version (it
// may contain a space), the MAC the field after the version.
func matchFanvil(ua string) (Device, bool) {
	if !hasPrefixFold(ua, "Fanvil ") {
		return Device{}, false
	}
	f := tokenize(ua)
	v := 1
	for v < f.n && !isDottedVersion(f.at(v)) {
		v++
	}
	if v == 1 || v == f.n {
		return Device{}, false
	}
	model := f.run(1, v-1)
	return Device{
		Vendor:   VendorFanvil,
		Family:   leadingLetters(model),
		Model:    model,
		Firmware: f.at(v),
		MAC:      f.at(v + 1),
	}, true
}
