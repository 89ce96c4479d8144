package fanvil

import (
	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// matchUserAgent recognises Fanvil User-Agents (docs/vendors.md#fanvil):
//
//	Fanvil X4 2.10.2.6887 0c383e07e16c
//	Fanvil X6U Pro 0.0.10 0c383e2cd782
//	Fanvil X5U-V2 2.12.16.17 0c383e557eb1
//
// The model is everything between "Fanvil" and the first dotted version (it
// may contain a space), the MAC the field after the version.
func matchUserAgent(ua string) (family.Device, bool) {
	if !text.HasPrefixFold(ua, "Fanvil ") {
		return family.Device{}, false
	}
	f := text.Tokenize(ua)
	v := 1
	for v < f.N && !text.IsDottedVersion(f.At(v)) {
		v++
	}
	if v == 1 || v == f.N {
		return family.Device{}, false
	}
	model := f.Run(1, v-1)
	return family.Device{
		Vendor:      Vendor,
		ProductLine: text.LeadingLetters(model),
		Model:       model,
		Firmware:    f.At(v),
		MAC:         f.At(v + 1),
	}, true
}
