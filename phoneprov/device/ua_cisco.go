package device

import "strings"

// matchCisco recognises Cisco SPA, Linksys SPA and Cisco Multiplatform
// (3PCC) User-Agents (VENDORS.md §1.2 Cisco SPA and 6800/7800/8800 MPP):
//
//	Linksys/SPA-942-6.1.5(a) (88019FA42805)
//	Cisco/SPA501G-7.4.4 (8843E157DDCC)(CBT141100HR)
//	Cisco/SPA525G-7.4.7 (CBT141900G7)
//	Cisco-CP-8841-3PCC/11.0 (00562b043615)
//
// SPA: model and version are joined by the last '-' before the first space.
// The parenthesised groups after it are "(MAC)(serial)" or "(serial)" alone:
// the last group is always the serial, so a MAC is reported only when there
// are two groups and the first is 12 hex digits. The Linksys example's lone
// group "88019FA42805" is therefore a serial (88:01:9F is no registered OUI
// either). MPP: model and version are split at '/', and the first group is
// reported as the MAC when it is 12 hex digits (Cisco's $MA, lower case;
// 00:56:2B is a Cisco OUI); a non-hex serial there yields no MAC.
func matchCisco(ua string) (Device, bool) {
	var d Device
	var rest string
	switch {
	case strings.HasPrefix(ua, "Cisco-CP-"):
		d.Vendor, rest = VendorCisco, ua[len("Cisco-"):]
	case strings.HasPrefix(ua, "Cisco/"):
		d.Vendor, rest = VendorCisco, ua[len("Cisco/"):]
	case strings.HasPrefix(ua, "Linksys/"):
		d.Vendor, rest = VendorLinksys, ua[len("Linksys/"):]
	default:
		return Device{}, false
	}
	head, tail, _ := strings.Cut(rest, " ")
	sep := strings.LastIndexByte(head, '-')
	if strings.HasPrefix(ua, "Cisco-CP-") {
		sep = strings.IndexByte(head, '/')
	}
	if sep <= 0 || sep == len(head)-1 || !isDigit(head[sep+1]) || !isModelToken(head[:sep]) {
		return Device{}, false
	}
	d.Model, d.Firmware = head[:sep], head[sep+1:]
	d.Family = ciscoFamily(d.Model)

	var groups [3]string
	n := parenGroups(tail, groups[:])
	switch {
	case d.Family == "MPP" && n >= 1:
		d.MAC = groups[0]
	case n >= 2:
		d.MAC = groups[0]
	}
	if !isHex12(d.MAC) {
		d.MAC = ""
	}
	return d, true
}

// ciscoFamily derives the product line from a Cisco or Linksys model.
func ciscoFamily(model string) string {
	switch {
	case strings.Contains(model, "3PCC"):
		return "MPP"
	case hasPrefixFold(model, "SPA"):
		return "SPA"
	case hasPrefixFold(model, "ATA"):
		return "ATA"
	}
	return ""
}

// parenGroups stores the contents of the "(…)" groups of s in dst, in
// order, and returns how many it stored. An unclosed group ends the scan.
func parenGroups(s string, dst []string) int {
	n := 0
	for n < len(dst) {
		open := strings.IndexByte(s, '(')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], ')')
		if end < 0 {
			break
		}
		dst[n] = s[open+1 : open+end]
		n++
		s = s[open+end+1:]
	}
	return n
}
