package gigaset

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// matchUserAgent recognises Gigaset PRO DECT base User-Agents
// (docs/vendors.md#gigaset):
//
//	Gigaset N720 DM PRO/70.089.00.000.000;7C2F80CA21E4
//	Gigaset N870 IP PRO/83.V2.11.0+build.a546b91;7C2F80E0D605
//	N510 IP PRO/42.245.00.000.000                   (no vendor word, no MAC)
//
// The model runs to the '/', the firmware to the ';', the MAC follows it.
// Without the vendor word the model must look like "N<digits> … PRO".
func matchUserAgent(ua string) (family.Device, bool) {
	s, named := strings.CutPrefix(ua, "Gigaset ")
	model, rest, ok := strings.Cut(s, "/")
	if !ok || model == "" {
		return family.Device{}, false
	}
	if !named && !isGigasetProModel(model) {
		return family.Device{}, false
	}
	fw, mac, _ := strings.Cut(rest, ";")
	fw = text.FirstField(fw)
	if fw == "" || !text.IsDigit(fw[0]) {
		return family.Device{}, false
	}
	d := family.Device{Vendor: Vendor, Model: model, Firmware: fw, MAC: strings.TrimSpace(mac)}
	if strings.HasSuffix(model, " PRO") {
		d.ProductLine = "PRO"
	}
	return d, true
}

// isGigasetProModel reports whether model reads "N<digits> … PRO", as the
// N510 IP PRO's vendor-less User-Agent does.
func isGigasetProModel(model string) bool {
	return len(model) > 5 && model[0] == 'N' && text.IsDigit(model[1]) && text.IsDigit(model[2]) &&
		strings.HasSuffix(model, " PRO")
}
