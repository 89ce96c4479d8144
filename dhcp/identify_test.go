package dhcp

import (
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/families"
)

func TestIdentify(t *testing.T) {
	fams := families.List()
	for _, c := range []struct {
		mac, vendorClass string
		want             Identity
	}{
		// provd's example: model and firmware from the Digium extractor.
		{"000fd3aabb01", "digium_D40_1_1_0_0_48178", Identity{Vendor: "Digium", Model: "D40", Firmware: "1.1.0.0.48178", Source: SourceVendorClass}},
		// The class wins over the OUI (a Digium class on a Yealink MAC).
		{"001565aabbcc", "digium_D70_1_0_5_46476", Identity{Vendor: "Digium", Model: "D70", Firmware: "1.0.5.46476", Source: SourceVendorClass}},
		{"001565aabbcc", "yealink", Identity{Vendor: "Yealink", Source: SourceVendorClass}},
		// A class naming a product line.
		{"8843e1000001", "Cisco SPA508G", Identity{Vendor: "Cisco", ProductLine: "SPA", Source: SourceVendorClass}},
		{"00562b000001", "Cisco Systems, Inc. IP Phone CP-8841-3PCC\x00", Identity{Vendor: "Cisco", ProductLine: "MPP", Source: SourceVendorClass}},
		// No class, or one nobody knows: the OUI.
		{"001565aabbcc", "", Identity{Vendor: "Yealink", Source: family.SourceOUI}},
		{"805ec0aabbcc", "udhcp 1.36.1", Identity{Vendor: "Yealink", Source: family.SourceOUI}},
		{"e434d7000001", "", Identity{Vendor: "Yealink", Source: family.SourceOUI}},
		// Neither: not a phone.
		{"525400123456", "MSFT 5.0", Identity{}},
		{"525400123456", "", Identity{}},
	} {
		if got := Identify(fams, c.mac, c.vendorClass); got != c.want {
			t.Errorf("Identify(%s, %q) = %+v, want %+v", c.mac, Printable(c.vendorClass), got, c.want)
		}
	}
}

// TestIdentifyIsolated: an extractor that panics or returns garbage
// identifies the vendor only; one that claims another vendor is ignored.
func TestIdentifyIsolated(t *testing.T) {
	mk := func(extract func(string) (family.Device, bool)) []family.Family {
		return []family.Family{{Name: "x", Vendor: "X", DHCP: family.DHCP{
			VendorClasses: []family.VendorClass{{Match: family.Prefix, Value: "x-"}}, Extract: extract}}}
	}
	for name, extract := range map[string]func(string) (family.Device, bool){
		"panics":       func(string) (family.Device, bool) { panic("boom") },
		"other vendor": func(string) (family.Device, bool) { return family.Device{Vendor: "Y", Model: "M"}, true },
		"not printable": func(string) (family.Device, bool) {
			return family.Device{Model: "M\x00", Firmware: strings.Repeat("1", 65)}, true
		},
	} {
		if got := Identify(mk(extract), "001565aabbcc", "x-1"); got != (Identity{Vendor: "X", Source: SourceVendorClass}) {
			t.Errorf("%s: %+v", name, got)
		}
	}
	if got := Identify(mk(func(string) (family.Device, bool) { return family.Device{Model: " M1 ", Firmware: "2"}, true }), "", "x-1"); got.Model != "M1" || got.Firmware != "2" {
		t.Errorf("a good extractor: %+v", got)
	}
}

func TestHint(t *testing.T) {
	fams := families.List()
	if h := Hint(fams, "Polycom"); !strings.Contains(h, "option 160 or 66, which Polycom phones read") {
		t.Errorf("Polycom: %s", h)
	}
	if h := Hint(fams, "Aastra"); !strings.Contains(h, "option 43 (sub-option 2) or 66") {
		t.Errorf("Aastra: %s", h)
	}
	if h := Hint(fams, ""); !strings.Contains(h, "66, 160 or 43") || !strings.Contains(h, "never asked for a file") {
		t.Errorf("unknown vendor: %s", h)
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{"yealink": "yealink", "CP-8841\x00": `CP-8841\x00`, "a\xffb": `a\xffb`, "é": "é"} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
