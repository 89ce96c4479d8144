package device

import "strings"

// matchYealink recognises Yealink User-Agents (VENDORS.md §1.2 Yealink):
//
//	Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37
//	yealink SIP-T28P 2.70.0.140 00:15:65:13:ae:0b
//	Yealink SIP VP-T49G 51.80.0.10 00:15:65:9b:5a:44
//	Yealink SIP-T56A 58.80.0.25 001565f429a4        (T5x: no colons)
//	Yealink W60B 77.81.0.35 80:5e:c0:09:ab:dc       (W-series DECT)
//	VP530P 23.70.0.40 00:15:65:31:4b:c0             (no vendor word)
//	Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0        (no MAC)
//
// The model is everything between the vendor word and the first dotted
// version, the MAC the field right after the version when it is one. The
// forms without the vendor word are accepted only for the DECT and VP models
// that send them, and only with a MAC, so that no other vendor's "model
// version" string is taken for a Yealink.
func matchYealink(ua string) (Device, bool) {
	if !hasPrefixFold(ua, "yealink") && !isYealinkBareModel(firstField(ua)) {
		return Device{}, false
	}
	f := tokenize(ua)
	first := 0
	switch w := f.at(0); {
	case strings.EqualFold(w, "Yealink"):
		first = 1
	case hasPrefixFold(w, "Yealink-") && len(w) > len("Yealink-"):
		// "Yealink-T46G": the model shares the first field.
		f.span[0].start += len("Yealink-")
	case isYealinkBareModel(w):
	default:
		return Device{}, false
	}
	v := first
	for v < f.n && !isDottedVersion(f.at(v)) {
		v++
	}
	if v == first || v == f.n {
		return Device{}, false
	}
	model := f.run(first, v-1)
	mac := f.at(v + 1)
	if _, ok := NormalizeMAC(mac); !ok {
		if first == 0 && !hasPrefixFold(ua, "yealink") {
			return Device{}, false
		}
		mac = ""
	}
	return Device{
		Vendor:   VendorYealink,
		Family:   yealinkFamily(model),
		Model:    model,
		Firmware: f.at(v),
		MAC:      mac,
	}, true
}

// firstField returns s up to its first space.
func firstField(s string) string {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i]
	}
	return s
}

// isYealinkBareModel reports whether w is one of the model names Yealink
// DECT bases and VP530 video phones send without the vendor word: W52P,
// W60B, VP530, VP530P.
func isYealinkBareModel(w string) bool {
	switch {
	case len(w) >= 4 && w[0] == 'W' && isDigit(w[1]) && isDigit(w[2]):
		return isModelToken(w)
	case strings.HasPrefix(w, "VP") && len(w) >= 5 && isDigit(w[2]):
		return isModelToken(w)
	}
	return false
}

// yealinkTSeries names the T-series families by the model's first digit.
var yealinkTSeries = [10]string{"T0x", "T1x", "T2x", "T3x", "T4x", "T5x", "T6x", "T7x", "T8x", "T9x"}

// yealinkFamily derives the family from a model as the UA writes it:
// "SIP-T46G" and "SIP VP-T49G" are T4x, "W60B" is the W (DECT) series,
// "SIP-CP920" and "CP860" the CP conference phones, "VP530P" VP.
func yealinkFamily(model string) string {
	core := model
	for _, p := range [...]string{"SIP-", "SIP ", "VP-"} {
		if hasPrefixFold(core, p) {
			core = core[len(p):]
		}
	}
	switch {
	case len(core) >= 2 && (core[0] == 'T' || core[0] == 't') && isDigit(core[1]):
		return yealinkTSeries[core[1]-'0']
	case len(core) >= 2 && core[0] == 'W' && isDigit(core[1]):
		return "W"
	case hasPrefixFold(core, "CP"):
		return "CP"
	case hasPrefixFold(core, "VP"):
		return "VP"
	}
	return ""
}
