package digium

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// matchUserAgent recognises Digium D-series User-Agents: "Digium D60 2_7_0",
// "Digium D40 1_4_0_0_57389" — the vendor word, the model and the firmware
// version written with '_' (the same shape as the DHCP option 60 string
// "digium_D40_1_0_5_46476", docs/vendors.md#digium). The firmware is
// reported with dots, as Digium's release notes write it ("1.4.0.0").
func matchUserAgent(ua string) (family.Device, bool) {
	if !strings.HasPrefix(ua, "Digium ") {
		return family.Device{}, false
	}
	f := text.Tokenize(ua)
	model := f.At(1)
	if len(model) < 3 || model[0] != 'D' || !text.IsDigit(model[1]) || !text.IsModelToken(model) {
		return family.Device{}, false
	}
	d := family.Device{Vendor: Vendor, Model: model, ProductLine: digiumSeries[model[1]-'0']}
	if fw := f.At(2); fw != "" && text.IsDigit(fw[0]) {
		d.Firmware = strings.ReplaceAll(fw, "_", ".")
	}
	return d, true
}

// digiumSeries names the D-series families by the model's first digit.
var digiumSeries = [10]string{"D0x", "D1x", "D2x", "D3x", "D4x", "D5x", "D6x", "D7x", "D8x", "D9x"}
