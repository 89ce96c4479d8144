package device

import "strings"

// matchDigium recognises Digium D-series User-Agents: "Digium D60 2_7_0",
// "Digium D40 1_4_0_0_57389" — the vendor word, the model and the firmware
// version written with '_' (the same shape as the DHCP option 60 string
// "digium_D40_1_0_5_46476" of VENDORS.md §1.2 Digium). The firmware is
// reported with dots, as Digium's release notes write it ("1.4.0.0").
func matchDigium(ua string) (Device, bool) {
	if !strings.HasPrefix(ua, "Digium ") {
		return Device{}, false
	}
	f := tokenize(ua)
	model := f.at(1)
	if len(model) < 3 || model[0] != 'D' || !isDigit(model[1]) || !isModelToken(model) {
		return Device{}, false
	}
	d := Device{Vendor: VendorDigium, Model: model, Family: digiumSeries[model[1]-'0']}
	if fw := f.at(2); fw != "" && isDigit(fw[0]) {
		d.Firmware = strings.ReplaceAll(fw, "_", ".")
	}
	return d, true
}

// digiumSeries names the D-series families by the model's first digit.
var digiumSeries = [10]string{"D0x", "D1x", "D2x", "D3x", "D4x", "D5x", "D6x", "D7x", "D8x", "D9x"}
