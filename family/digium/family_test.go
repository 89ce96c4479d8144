package digium

import (
	"testing"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/familytest"
)

// TestUserAgents: every User-Agent of the corpus is identified as it says,
// by this family alone.
func TestUserAgents(t *testing.T) {
	familytest.CheckUserAgents(t, Family(), []family.Family{Family()}, "testdata/useragents.tsv")
}

// TestExtract: the family's DHCP extractor reads the values the plugin's
// comments list, and nothing else.
func TestExtract(t *testing.T) {
	for _, c := range []struct{ in, model, fw string }{
		{"digium_D40_1_0_5_46476", "D40", "1.0.5.46476"},
		{"digium_D40_1_1_0_0_48178", "D40", "1.1.0.0.48178"},
		{"digium_D70_1_1_0_0_48178", "D70", "1.1.0.0.48178"},
		{"digium_D65_2_8_1\n", "D65", "2.8.1"},
	} {
		d, ok := Family().DHCP.Extract(c.in)
		if !ok || d.Model != c.model || d.Firmware != c.fw || d.Vendor != "" {
			t.Errorf("Extract(%q) = %+v, %v", c.in, d, ok)
		}
	}
	for _, bad := range []string{"", "digium_D40", "digium_D40_x", "Digium_D40_1_0", "digium_A20_1_0", "xdigium_D40_1_0"} {
		if d, ok := Family().DHCP.Extract(bad); ok {
			t.Errorf("Extract(%q) = %+v", bad, d)
		}
	}
}
