package obihai

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/internal/text"
)

// matchUserAgent recognises Obihai / Poly OBi User-Agents such as
// "OBIHAI/OBi202-3.2.2.5921": the vendor word, '/', the model, '-' and the
// firmware version. The family groups models by size: OBi202 is OBi2xx,
// OBi1032 (the OBi1000 phones) OBi10xx.
func matchUserAgent(ua string) (family.Device, bool) {
	if !text.HasPrefixFold(ua, "OBIHAI/") {
		return family.Device{}, false
	}
	head := text.FirstField(ua[len("OBIHAI/"):])
	dash := strings.LastIndexByte(head, '-')
	if dash <= 0 || dash == len(head)-1 || !text.IsDigit(head[dash+1]) {
		return family.Device{}, false
	}
	model := head[:dash]
	if !text.HasPrefixFold(model, "OBi") || !text.IsModelToken(model) {
		return family.Device{}, false
	}
	return family.Device{
		Vendor:      Vendor,
		ProductLine: obihaiProductLine(model[len("OBi"):]),
		Model:       model,
		Firmware:    head[dash+1:],
	}, true
}

// obihaiThreeDigit names the OBi1xx…OBi9xx families by the first digit.
var obihaiThreeDigit = [10]string{
	"OBi0xx", "OBi1xx", "OBi2xx", "OBi3xx", "OBi4xx",
	"OBi5xx", "OBi6xx", "OBi7xx", "OBi8xx", "OBi9xx",
}

// obihaiProductLine derives the product line from the model number
// after "OBi".
func obihaiProductLine(num string) string {
	digits := text.LeadingDigits(num)
	switch {
	case len(digits) == 3:
		return obihaiThreeDigit[digits[0]-'0']
	case len(digits) == 4 && strings.HasPrefix(digits, "10"):
		return "OBi10xx"
	}
	return ""
}
