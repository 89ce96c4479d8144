package family

import "strings"

// maxInput is how much of a User-Agent or path is looked at; the rest is
// cut off before matching so a hostile header cannot make matching slow.
const maxInput = 1024

// maxField is the longest Family, Model or Firmware that Identify reports.
const maxField = 64

// Identify recognises the device behind r with the families fams, tried in
// order. It never panics and never blocks; each family's matchers run
// isolated (one that panics or misbehaves on a malformed input does not
// stop the others, and what it returns is validated), input is bounded (a
// User-Agent or path over 1 KiB is truncated before matching; non-UTF-8
// bytes are tolerated), and it does not allocate.
//
// The vendor comes from the User-Agent when a family's format matches it
// (Source "user-agent"), else from a family's file-name convention in the
// path ("path"), else from the OUI of a MAC in the path ("oui"). The MAC is
// the User-Agent's when it carries one, else the path's; compare the two
// with Device.MACMismatch. TFTP requests have no User-Agent, and one passed
// with Proto "tftp" is ignored.
func Identify(fams []Family, r Request) Device {
	var d Device
	if ua := truncate(r.UserAgent); ua != "" && r.Proto != "tftp" {
		d = matchUserAgent(fams, ua)
		if d.Vendor != "" {
			d.Source = SourceUserAgent
		}
		if d.MAC != "" {
			d.MACSource = SourceUserAgent
		}
	}
	path := truncate(r.Path)
	pathMAC, hasPathMAC := MACFromPath(path)
	info, fromPath := matchPath(fams, path)
	switch {
	case d.Vendor != "":
		if fromPath && info.Vendor == d.Vendor {
			if d.ProductLine == "" {
				d.ProductLine = info.ProductLine
			}
			if d.Model == "" {
				d.Model = info.Model
			}
		}
	case fromPath:
		d.Vendor, d.ProductLine, d.Model, d.Source = info.Vendor, info.ProductLine, info.Model, SourcePath
	case hasPathMAC:
		if v := VendorByOUI(fams, pathMAC); v != "" {
			d.Vendor, d.Source = v, SourceOUI
		}
	}
	if d.MAC == "" && hasPathMAC {
		d.MAC, d.MACSource = pathMAC, SourcePath
	}
	return d
}

// VendorByOUI maps the first three octets of a MAC, in any form
// NormalizeMAC accepts, to the Vendor of the first of fams that lists the
// OUI, or "" when the MAC is malformed or no family lists it.
func VendorByOUI(fams []Family, mac string) string {
	m, ok := NormalizeMAC(mac)
	if !ok {
		return ""
	}
	oui := m[:6]
	for i := range fams {
		for _, o := range fams[i].OUIs {
			if o == oui {
				return fams[i].Vendor
			}
		}
	}
	return ""
}

// matchUserAgent runs the families' User-Agent matchers in order and
// returns the first device one of them recognises, or the zero Device.
func matchUserAgent(fams []Family, ua string) Device {
	for i := range fams {
		if fams[i].UserAgent == nil {
			continue
		}
		if d, ok := runUserAgent(&fams[i], ua); ok {
			return d
		}
	}
	return Device{}
}

// runUserAgent calls f's User-Agent matcher in isolation: a panic inside
// it counts as "not recognised" instead of taking the request down, and
// whatever it returns is validated. A result naming another vendor than
// f's is discarded; a MAC that is malformed or all zeros, and fields that
// are too long or not printable ASCII, are dropped.
func runUserAgent(f *Family, ua string) (d Device, ok bool) {
	defer func() {
		if recover() != nil {
			d, ok = Device{}, false
		}
	}()
	d, ok = f.UserAgent(ua)
	if !ok || (d.Vendor != "" && d.Vendor != f.Vendor) || f.Vendor == "" {
		return Device{}, false
	}
	return Device{
		Vendor:      f.Vendor,
		ProductLine: cleanField(d.ProductLine),
		Model:       cleanField(d.Model),
		Firmware:    cleanField(d.Firmware),
		MAC:         validMAC(d.MAC),
	}, true
}

// matchPath applies the families' file-name conventions to p, in order,
// each isolated like a User-Agent matcher.
func matchPath(fams []Family, p string) (Device, bool) {
	base := baseName(p)
	if base == "" {
		return Device{}, false
	}
	dir := p[:len(p)-len(base)]
	for i := range fams {
		if fams[i].Path == nil {
			continue
		}
		if d, ok := runPath(&fams[i], dir, base); ok {
			return d, true
		}
	}
	return Device{}, false
}

// runPath calls f's file-name matcher in isolation and keeps only the
// product line and model it gives, validated.
func runPath(f *Family, dir, base string) (d Device, ok bool) {
	defer func() {
		if recover() != nil {
			d, ok = Device{}, false
		}
	}()
	d, ok = f.Path(dir, base)
	if !ok || (d.Vendor != "" && d.Vendor != f.Vendor) || f.Vendor == "" {
		return Device{}, false
	}
	return Device{Vendor: f.Vendor, ProductLine: cleanField(d.ProductLine), Model: cleanField(d.Model)}, true
}

// validMAC returns s normalised, or "" if s is not a MAC or is all zeros.
func validMAC(s string) string {
	mac, ok := NormalizeMAC(s)
	if !ok || mac == ZeroMAC {
		return ""
	}
	return mac
}

// truncate cuts s to maxInput bytes. The cut may split a UTF-8 sequence;
// matching works on bytes and tolerates that.
func truncate(s string) string {
	if len(s) > maxInput {
		return s[:maxInput]
	}
	return s
}

// cleanField returns s if it is at most maxField bytes of printable ASCII
// (space included) and "" otherwise, so that nothing a phone sends reaches
// logs, JSON or templates as control characters or invalid UTF-8.
func cleanField(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > maxField {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return ""
		}
	}
	return s
}
