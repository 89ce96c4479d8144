package snom

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// matchUserAgent recognises Snom User-Agents (docs/vendors.md#snom):
//
//	Mozilla/4.0 (compatible; snom320-SIP 8.4.18 1.1.3-s)
//	Mozilla/4.0 (compatible; snom710-SIP 8.7.5.35 1.1.5-IFX-05.01.12 000413741767)
//	Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1 (Feb 25 2019 - 14:19:43) 00041396D9B4 SXM:0 UXM:0 UXMC:0)
//
// and the SIP stack's "snomPA1/8.7.3.19". The model is "snom<model>" before
// "-SIP" (or '/'), the firmware the field after it; newer firmware adds the
// MAC as a field of exactly 12 hex digits somewhere after the firmware.
// Older firmware sends no MAC, and the hardware and build fields it does send
// never consist of 12 hex digits alone.
func matchUserAgent(ua string) (family.Device, bool) {
	s := ua
	if strings.HasPrefix(s, "Mozilla/") {
		const compat = "(compatible; "
		i := strings.Index(s, compat)
		if i < 0 {
			return family.Device{}, false
		}
		s = s[i+len(compat):]
	}
	if !text.HasPrefixFold(s, "snom") {
		return family.Device{}, false
	}
	f := text.Tokenize(s)
	var d family.Device
	next := 1
	first := strings.TrimSuffix(f.At(0), ")")
	if model, ok := strings.CutSuffix(first, "-SIP"); ok {
		d.Model = model
		d.Firmware = strings.TrimSuffix(f.At(1), ")")
		next = 2
	} else if model, fw, ok := strings.Cut(first, "/"); ok {
		d.Model, d.Firmware = model, fw
	} else {
		return family.Device{}, false
	}
	if len(d.Model) <= len("snom") || !text.IsModelToken(d.Model) || !text.IsDottedVersion(text.LeadingVersion(d.Firmware)) {
		return family.Device{}, false
	}
	for i := next; i < f.N; i++ {
		if w := strings.TrimSuffix(f.At(i), ")"); text.IsHex12(w) {
			d.MAC = w
			break
		}
	}
	d.Vendor = Vendor
	d.ProductLine = snomProductLine(d.Model[len("snom"):])
	return d, true
}

// snomNumbered and snomDNumbered name the 3xx/7xx/8xx and D1xx…D8xx lines
// by the model's first digit.
var (
	snomNumbered  = [10]string{"0xx", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx", "7xx", "8xx", "9xx"}
	snomDNumbered = [10]string{"D0xx", "D1xx", "D2xx", "D3xx", "D4xx", "D5xx", "D6xx", "D7xx", "D8xx", "D9xx"}
)

// snomProductLine derives the product line from the part of the model
// after "snom": "320" is 3xx, "D785" D7xx, "M700" and "-m3" M (DECT), "PA1" PA.
func snomProductLine(m string) string {
	m = strings.TrimPrefix(m, "-")
	switch {
	case m == "":
		return ""
	case text.IsDigit(m[0]):
		return snomNumbered[m[0]-'0']
	case (m[0] == 'D' || m[0] == 'd') && len(m) > 1 && text.IsDigit(m[1]):
		return snomDNumbered[m[1]-'0']
	case m[0] == 'M' || m[0] == 'm':
		return "M"
	}
	return strings.ToUpper(text.LeadingLetters(m))
}
