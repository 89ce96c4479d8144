package family_test

import (
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/families"
)

// TestMatcherIsolation: a family whose matcher panics, claims another
// vendor than its own, or returns a bad MAC or control characters must not
// stop the others or leak what it returned (Identify: "each family's
// matchers run isolated").
func TestMatcherIsolation(t *testing.T) {
	panics := family.Family{Name: "panics", Vendor: "Snom",
		UserAgent: func(string) (family.Device, bool) {
			var m map[string]int
			m["x"]++ // nil map write
			return family.Device{}, true
		},
		Path: func(dir, base string) (family.Device, bool) { panic("path") },
	}
	indexes := family.Family{Name: "indexes", Vendor: "Snom",
		UserAgent: func(ua string) (family.Device, bool) {
			return family.Device{Model: ua[len(ua)+1:]}, true
		}}
	otherVendor := family.Family{Name: "acme", Vendor: "Snom",
		UserAgent: func(string) (family.Device, bool) {
			return family.Device{Vendor: "Acme", Model: "X1", MAC: "0004f2a1b2c3"}, true
		}}
	garbage := family.Family{Name: "garbage", Vendor: "Polycom",
		UserAgent: func(string) (family.Device, bool) {
			return family.Device{ProductLine: strings.Repeat("F", 65), Model: "bad\x00model",
				Firmware: "1.\x1b[2J0", MAC: "not-a-mac"}, true
		}}
	zeroMAC := family.Family{Name: "zero", Vendor: "Polycom",
		UserAgent: func(string) (family.Device, bool) {
			return family.Device{Model: "VVX 400", MAC: "00:00:00:00:00:00"}, true
		}}
	real := families.List()
	const ua = "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37"
	yealink := family.Device{Vendor: "Yealink", ProductLine: "T4x", Model: "SIP-T46G",
		Firmware: "28.72.0.1", MAC: "0015654aa937", Source: family.SourceUserAgent, MACSource: family.SourceUserAgent}

	cases := []struct {
		name string
		fams []family.Family
		path string
		want family.Device
	}{
		{"panic, then the real families", append([]family.Family{panics, indexes}, real...), "", yealink},
		{"other vendor discarded", append([]family.Family{otherVendor}, real...), "", yealink},
		{"bad fields dropped", []family.Family{garbage}, "", family.Device{Vendor: "Polycom", Source: family.SourceUserAgent}},
		{"zero MAC dropped", []family.Family{zeroMAC}, "", family.Device{Vendor: "Polycom", Model: "VVX 400", Source: family.SourceUserAgent}},
		{"only failing families", []family.Family{panics, indexes, otherVendor}, "", family.Device{}},
		{"panicking path rule", append([]family.Family{panics}, real...), "y000000000028.cfg", yealink},
		{"family without a vendor", []family.Family{{Name: "novendor", UserAgent: func(string) (family.Device, bool) {
			return family.Device{Model: "X"}, true
		}}}, "", family.Device{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := family.Identify(tc.fams, family.Request{Proto: "http", UserAgent: ua, Path: tc.path})
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
	// A panicking path rule alone: the path's MAC is still reported.
	got := family.Identify([]family.Family{panics}, family.Request{Proto: "tftp", Path: "0004f2a1b2c3.cfg"})
	if want := (family.Device{MAC: "0004f2a1b2c3", MACSource: family.SourcePath}); got != want {
		t.Errorf("panicking path rule: got %+v, want %+v", got, want)
	}
}

// TestVendorClassMatches: the three ways a DHCP option 60 value is compared.
func TestVendorClassMatches(t *testing.T) {
	cases := []struct {
		c    family.VendorClass
		v    string
		want bool
	}{
		{family.VendorClass{Match: family.Prefix, Value: "digium_D"}, "digium_D40_1_4_0_0_57389", true},
		{family.VendorClass{Match: family.Prefix, Value: "digium_D"}, "digium", false},
		{family.VendorClass{Match: family.Exact, Value: "snom320"}, "snom320", true},
		{family.VendorClass{Match: family.Exact, Value: "snom320"}, "snom3200", false},
		{family.VendorClass{Match: family.Suffix, Value: "-3PCC\x00"}, "Cisco Systems, Inc. IP Phone CP-8841-3PCC\x00", true},
		{family.VendorClass{Match: family.Suffix, Value: "-3PCC\x00"}, "CP-8841-3PCC", false},
	}
	for _, tc := range cases {
		if got := tc.c.Matches(tc.v); got != tc.want {
			t.Errorf("%+v.Matches(%q) = %v, want %v", tc.c, tc.v, got, tc.want)
		}
	}
}
