package device

// Identify recognises the device behind r. It never panics and never
// blocks; each vendor matcher is isolated (a matcher that panics or
// misbehaves on a malformed UA does not stop the others), input is bounded
// (UA over 1 KiB and path over 1 KiB are truncated before matching;
// non-UTF-8 bytes are tolerated).
//
// The vendor comes from the User-Agent when a vendor's format matches it
// (Source "user-agent"), else from a vendor's file-name convention in the
// path ("path"), else from the OUI of a MAC in the path ("oui"). The MAC is
// the User-Agent's when it carries one, else the path's; compare the two
// with Device.MACMismatch. TFTP requests have no User-Agent, and one passed
// with Proto "tftp" is ignored.
func Identify(r Request) Device {
	return identify(r, uaMatchers[:])
}

// identify is Identify with the User-Agent matchers as a parameter, so that
// tests can show a failing matcher does not stop the others.
func identify(r Request, matchers []uaMatcher) Device {
	var d Device
	if ua := truncate(r.UserAgent); ua != "" && r.Proto != "tftp" {
		d = matchUserAgent(ua, matchers)
		if d.Vendor != "" {
			d.Source = SourceUserAgent
		}
		if d.MAC != "" {
			d.MACSource = SourceUserAgent
		}
	}
	path := truncate(r.Path)
	pathMAC, hasPathMAC := MACFromPath(path)
	info, fromPath := vendorFromPath(path)
	switch {
	case d.Vendor != "":
		if fromPath && info.vendor == d.Vendor {
			if d.Family == "" {
				d.Family = info.family
			}
			if d.Model == "" {
				d.Model = info.model
			}
		}
	case fromPath:
		d.Vendor, d.Family, d.Model, d.Source = info.vendor, info.family, info.model, SourcePath
	case hasPathMAC:
		if v := VendorByOUI(pathMAC); v != "" {
			d.Vendor, d.Source = v, SourceOUI
		}
	}
	if d.MAC == "" && hasPathMAC {
		d.MAC, d.MACSource = pathMAC, SourcePath
	}
	return d
}
