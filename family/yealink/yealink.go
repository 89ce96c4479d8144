package yealink

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// matchUserAgent recognises Yealink User-Agents (docs/vendors.md#yealink):
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
func matchUserAgent(ua string) (family.Device, bool) {
	if !text.HasPrefixFold(ua, "yealink") && !isYealinkBareModel(text.FirstField(ua)) {
		return family.Device{}, false
	}
	f := text.Tokenize(ua)
	first := 0
	switch w := f.At(0); {
	case strings.EqualFold(w, "Yealink"):
		first = 1
	case text.HasPrefixFold(w, "Yealink-") && len(w) > len("Yealink-"):
		// "Yealink-T46G": the model shares the first field.
		f.TrimFirst(len("Yealink-"))
	case isYealinkBareModel(w):
	default:
		return family.Device{}, false
	}
	v := first
	for v < f.N && !text.IsDottedVersion(f.At(v)) {
		v++
	}
	if v == first || v == f.N {
		return family.Device{}, false
	}
	model := f.Run(first, v-1)
	mac := f.At(v + 1)
	if _, ok := family.NormalizeMAC(mac); !ok {
		if first == 0 && !text.HasPrefixFold(ua, "yealink") {
			return family.Device{}, false
		}
		mac = ""
	}
	return family.Device{
		Vendor:      Vendor,
		ProductLine: yealinkProductLine(model),
		Model:       model,
		Firmware:    f.At(v),
		MAC:         mac,
	}, true
}

// isYealinkBareModel reports whether w is one of the model names Yealink
// DECT bases and VP530 video phones send without the vendor word: W52P,
// W60B, VP530, VP530P.
func isYealinkBareModel(w string) bool {
	switch {
	case len(w) >= 4 && w[0] == 'W' && text.IsDigit(w[1]) && text.IsDigit(w[2]):
		return text.IsModelToken(w)
	case strings.HasPrefix(w, "VP") && len(w) >= 5 && text.IsDigit(w[2]):
		return text.IsModelToken(w)
	}
	return false
}

// yealinkTSeries names the T-series families by the model's first digit.
var yealinkTSeries = [10]string{"T0x", "T1x", "T2x", "T3x", "T4x", "T5x", "T6x", "T7x", "T8x", "T9x"}

// yealinkProductLine derives the product line from a model as the UA
// writes it:
// "SIP-T46G" and "SIP VP-T49G" are T4x, "W60B" is the W (DECT) series,
// "SIP-CP920" and "CP860" the CP conference phones, "VP530P" VP.
func yealinkProductLine(model string) string {
	core := model
	for _, p := range [...]string{"SIP-", "SIP ", "VP-"} {
		if text.HasPrefixFold(core, p) {
			core = core[len(p):]
		}
	}
	switch {
	case len(core) >= 2 && (core[0] == 'T' || core[0] == 't') && text.IsDigit(core[1]):
		return yealinkTSeries[core[1]-'0']
	case len(core) >= 2 && core[0] == 'W' && text.IsDigit(core[1]):
		return "W"
	case text.HasPrefixFold(core, "CP"):
		return "CP"
	case text.HasPrefixFold(core, "VP"):
		return "VP"
	}
	return ""
}
