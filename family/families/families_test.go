package families

import (
	"strings"
	"testing"
)

// TestEventFor: the re-sync event of each vendor and product line, as the
// README's re-sync table lists them.
func TestEventFor(t *testing.T) {
	cases := []struct{ vendor, line, want string }{
		{"Polycom", "VVX", "check-sync"},
		{"Yealink", "T4x", "check-sync"},
		{"Cisco", "MPP", "check-sync"},
		{"Cisco", "79xx", "check-sync"},
		{"Cisco", "SPA", "resync"},
		{"Cisco", "", "check-sync"},
		{"Linksys", "SPA", "resync"},
		{"Grandstream", "", "check-sync"},
		{"Fanvil", "", "check-sync"},
		{"Aastra", "", "check-sync"},
		{"Digium", "", "check-sync"},
		{"Snom", "D7xx", "check-sync;reboot=false"},
		{"Gigaset", "PRO", "check-sync;reboot=false"},
		{"Obihai", "", "resync"},
		{"Acme", "", DefaultEvent},
		{"", "", DefaultEvent},
	}
	for _, tc := range cases {
		if got := EventFor(tc.vendor, tc.line); got != tc.want {
			t.Errorf("EventFor(%q, %q) = %q, want %q", tc.vendor, tc.line, got, tc.want)
		}
	}
}

// TestGuessFromProfile: words in a profile name suggest a family.
func TestGuessFromProfile(t *testing.T) {
	cases := []struct{ profile, vendor, line string }{
		{"snom-d7xx", "Snom", ""},
		{"Cisco-SPA", "Cisco", "SPA"},
		{"cisco-mpp", "Cisco", ""},
		{"sipura", "Linksys", ""},
		{"obi202", "Obihai", ""},
		{"office", "", ""},
	}
	for _, tc := range cases {
		v, line, ok := GuessFromProfile(tc.profile)
		if v != tc.vendor || line != tc.line || ok != (tc.vendor != "") {
			t.Errorf("GuessFromProfile(%q) = %q, %q, %v", tc.profile, v, line, ok)
		}
	}
}

// TestListIsWellFormed: names and vendors are unique, OUIs are six
// lower-case hex digits listed by one family only, every family says how
// DHCP points its phones at a server and which NOTIFY it wants, and
// ByName/ByVendor find every family.
func TestListIsWellFormed(t *testing.T) {
	names, vendors, ouis := map[string]bool{}, map[string]bool{}, map[string]string{}
	for _, f := range List() {
		if f.Name == "" || f.Vendor == "" || names[f.Name] || vendors[f.Vendor] {
			t.Errorf("family %q/%q: empty or duplicate name or vendor", f.Name, f.Vendor)
		}
		names[f.Name], vendors[f.Vendor] = true, true
		if f.UserAgent == nil && f.Path == nil {
			t.Errorf("%s: no way to identify its phones", f.Name)
		}
		for _, o := range f.OUIs {
			if len(o) != 6 || strings.Trim(o, "0123456789abcdef") != "" {
				t.Errorf("%s: OUI %q", f.Name, o)
			}
			if other, dup := ouis[o]; dup {
				t.Errorf("OUI %s in %s and %s", o, other, f.Name)
			}
			ouis[o] = f.Name
		}
		if len(f.DHCP.Boot) == 0 {
			t.Errorf("%s: no DHCP boot option", f.Name)
		}
		for _, b := range f.DHCP.Boot {
			if b.Form != "url" && b.Form != "host" && b.Form != "ip" || (b.Sub != 0) != (b.Code == 43 && b.Sub != 0) {
				t.Errorf("%s: boot option %+v", f.Name, b)
			}
		}
		for _, c := range f.DHCP.VendorClasses {
			if c.Value == "" {
				t.Errorf("%s: empty vendor class", f.Name)
			}
		}
		if f.Notify.Event == "" {
			t.Errorf("%s: no NOTIFY event", f.Name)
		}
		if g, ok := ByName(f.Name); !ok || g.Vendor != f.Vendor {
			t.Errorf("ByName(%q)", f.Name)
		}
		if g, ok := ByVendor(f.Vendor); !ok || g.Name != f.Name {
			t.Errorf("ByVendor(%q)", f.Vendor)
		}
	}
}
