package families

import (
	"testing"

	"github.com/phoneprovd/phoneprovd/family/aastra"
	"github.com/phoneprovd/phoneprovd/family/cisco"
	"github.com/phoneprovd/phoneprovd/family/digium"
	"github.com/phoneprovd/phoneprovd/family/fanvil"
	"github.com/phoneprovd/phoneprovd/family/gigaset"
	"github.com/phoneprovd/phoneprovd/family/grandstream"
	"github.com/phoneprovd/phoneprovd/family/obihai"
	"github.com/phoneprovd/phoneprovd/family/polycom"
	"github.com/phoneprovd/phoneprovd/family/snom"
	"github.com/phoneprovd/phoneprovd/family/yealink"
)

// TestVendorByOUI: the OUIs docs/vendors.md#mac-addresses names, and the
// other blocks the IEEE registry gives the same makers (ouiVendor).
func TestVendorByOUI(t *testing.T) {
	cases := []struct {
		mac  string
		want string
	}{
		{"0004f2a1b2c3", polycom.Vendor},
		{"64:16:7F:00:00:01", polycom.Vendor},
		{"482567b5313f", polycom.Vendor},
		{"00:15:65:4a:a9:37", yealink.Vendor},
		{"805ec0d57d55", yealink.Vendor},
		{"805e0c123456", yealink.Vendor},
		{"249ad8123456", yealink.Vendor},
		{"8843E157DDCC", cisco.Vendor},
		{"00562b043615", cisco.Vendor},
		{"000b828aa872", grandstream.Vendor},
		{"C0-74-AD-2B-D8-59", grandstream.Vendor},
		{"ec74d7000001", grandstream.Vendor},
		{"000413741767", snom.Vendor},
		{"0c383e07e16c", fanvil.Vendor},
		{"00-08-5D-23-74-29", aastra.Vendor},
		{"0010bc000001", aastra.Vendor},
		{"14-00-E9-1B-45-24", aastra.Vendor}, // Mitel's block: the Aastra-derived 69xx
		{"7C2F80CA21E4", gigaset.Vendor},
		{"002104000001", gigaset.Vendor},
		{"589ec6000001", gigaset.Vendor},
		{"000fd3123456", digium.Vendor},
		{"9cadef000001", obihai.Vendor},
		{"0004.f2a1.b2c3", polycom.Vendor},
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
