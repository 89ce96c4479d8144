package device

import "testing"

// TestVendorByOUI: the OUIs VENDORS.md §1.3 names, and the other blocks
// the IEEE registry gives the same makers (ouiVendor).
func TestVendorByOUI(t *testing.T) {
	cases := []struct {
		mac  string
		want string
	}{
		{"0004f2a1b2c3", VendorPolycom},
		{"64:16:7F:00:00:01", VendorPolycom},
		{"482567b5313f", VendorPolycom},
		{"00:15:65:4a:a9:37", VendorYealink},
		{"805ec0d57d55", VendorYealink},
		{"805e0c123456", VendorYealink},
		{"249ad8123456", VendorYealink},
		{"8843E157DDCC", VendorCisco},
		{"00562b043615", VendorCisco},
		{"000b828aa872", VendorGrandstream},
		{"C0-74-AD-2B-D8-59", VendorGrandstream},
		{"ec74d7000001", VendorGrandstream},
		{"000413741767", VendorSnom},
		{"0c383e07e16c", VendorFanvil},
		{"00-08-5D-23-74-29", VendorAastra},
		{"0010bc000001", VendorAastra},
		{"14-00-E9-1B-45-24", VendorAastra}, // Mitel's block: the Aastra-derived 69xx
		{"7C2F80CA21E4", VendorGigaset},
		{"002104000001", VendorGigaset},
		{"589ec6000001", VendorGigaset},
		{"000fd3123456", VendorDigium},
		{"9cadef000001", VendorObihai},
		{"0004.f2a1.b2c3", VendorPolycom},
		// Not listed: Linksys network gear, an unassigned block, garbage.
		{"000e08123456", ""},
		{"88019fa42805", ""},
		{"a1b2c3d4e5f6", ""},
		{"0004f2", ""},
		{"", ""},
		{"zz04f2a1b2c3", ""},
	}
	for _, tc := range cases {
		if got := VendorByOUI(tc.mac); got != tc.want {
			t.Errorf("VendorByOUI(%q) = %q, want %q", tc.mac, got, tc.want)
		}
	}
}
