package cisco

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// matchUserAgent recognises Cisco SPA and Cisco Multiplatform (3PCC)
// User-Agents (docs/vendors.md#cisco-spa-and-mpp):
//
//	Cisco/SPA501G-7.4.4 (8843E157DDCC)(CBT141100HR)
//	Cisco/SPA525G-7.4.7 (CBT141900G7)
//	Cisco-CP-8841-3PCC/11.0 (00562b043615)
//
// The Linksys-branded SPA phones send the SPA form under "Linksys/": see
// family/linksys, which uses SPA.
func matchUserAgent(ua string) (family.Device, bool) {
	switch {
	case strings.HasPrefix(ua, "Cisco-CP-"):
		return mpp(ua[len("Cisco-"):])
	case strings.HasPrefix(ua, "Cisco/"):
		return SPA(ua[len("Cisco/"):])
	}
	return family.Device{}, false
}

// SPA parses what follows the vendor word and '/' in an SPA User-Agent,
// "SPA501G-7.4.4 (8843E157DDCC)(CBT141100HR)": model and version are
// joined by the last '-' before the first space. The parenthesised groups
// after it are "(MAC)(serial)" or "(serial)" alone: the last group is always
// the serial, so a MAC is reported only when there are two groups and the
// first is 12 hex digits. The Linksys example's lone group "88019FA42805"
// is therefore a serial (88:01:9F is no registered OUI either).
func SPA(rest string) (family.Device, bool) { return parse(rest, false) }

// mpp parses "CP-8841-3PCC/11.0 (00562b043615)": model and version split
// at '/', and the first group reported as the MAC when it is 12 hex digits
// (Cisco's $MA, lower case; 00:56:2B is a Cisco OUI); a non-hex serial
// there yields no MAC.
func mpp(rest string) (family.Device, bool) { return parse(rest, true) }

// parse reads "model-version (groups)" (slash: "model/version (groups)").
func parse(rest string, slash bool) (family.Device, bool) {
	head, tail, _ := strings.Cut(rest, " ")
	sep := strings.LastIndexByte(head, '-')
	if slash {
		sep = strings.IndexByte(head, '/')
	}
	d, ok := modelVersion(head, sep)
	if !ok {
		return family.Device{}, false
	}
	var groups [3]string
	switch n := text.ParenGroups(tail, groups[:]); {
	case d.ProductLine == "MPP" && n >= 1, n >= 2:
		if text.IsHex12(groups[0]) {
			d.MAC = groups[0]
		}
	}
	return d, true
}

// modelVersion splits head at sep into model and firmware version.
func modelVersion(head string, sep int) (family.Device, bool) {
	if sep <= 0 || sep == len(head)-1 || !text.IsDigit(head[sep+1]) || !text.IsModelToken(head[:sep]) {
		return family.Device{}, false
	}
	d := family.Device{Model: head[:sep], Firmware: head[sep+1:]}
	d.ProductLine = line(d.Model)
	return d, true
}

// line derives the product line from a Cisco or Linksys model.
func line(model string) string {
	switch {
	case strings.Contains(model, "3PCC"):
		return "MPP"
	case text.HasPrefixFold(model, "SPA"):
		return "SPA"
	case text.HasPrefixFold(model, "ATA"):
		return "ATA"
	}
	return ""
}
