package device

// uaMatcher recognises one vendor's User-Agent formats. It returns ok only
// for a User-Agent it is sure about; the fields it fills are checked by
// runMatcher before anyone sees them.
type uaMatcher struct {
	name  string
	match func(ua string) (d Device, ok bool)
}

// uaMatchers is the fixed table Identify consults, first success wins. Each
// matcher is anchored on its vendor's own leading token, so at most one of
// them accepts a given User-Agent; the order only puts the most common
// phones first.
var uaMatchers = [...]uaMatcher{
	{"polycom", matchPolycom},
	{"yealink", matchYealink},
	{"cisco", matchCisco},
	{"grandstream", matchGrandstream},
	{"snom", matchSnom},
	{"fanvil", matchFanvil},
	{"aastra", matchAastra},
	{"gigaset", matchGigaset},
	{"digium", matchDigium},
	{"obihai", matchObihai},
}

// matchUserAgent runs the matchers in order and returns the first device
// one of them recognises, or the zero Device.
func matchUserAgent(ua string, matchers []uaMatcher) Device {
	for _, m := range matchers {
		if d, ok := runMatcher(m, ua); ok {
			return d
		}
	}
	return Device{}
}

// runMatcher calls m in isolation: a panic inside it counts as "not
// recognised" instead of taking the request down, and whatever it returns
// is validated. A result naming no canonical vendor is discarded; a MAC
// that is malformed or all zeros, and fields that are too long or not
// printable ASCII, are dropped.
func runMatcher(m uaMatcher, ua string) (d Device, ok bool) {
	defer func() {
		if recover() != nil {
			d, ok = Device{}, false
		}
	}()
	d, ok = m.match(ua)
	if !ok || !isCanonicalVendor(d.Vendor) {
		return Device{}, false
	}
	return Device{
		Vendor:   d.Vendor,
		Family:   cleanField(d.Family),
		Model:    cleanField(d.Model),
		Firmware: cleanField(d.Firmware),
		MAC:      validMAC(d.MAC),
	}, true
}

// validMAC returns s normalised, or "" if s is not a MAC or is all zeros.
func validMAC(s string) string {
	mac, ok := NormalizeMAC(s)
	if !ok || mac == zeroMAC {
		return ""
	}
	return mac
}
