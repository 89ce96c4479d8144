package dhcp

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
)

// maxField is the longest product line, model or firmware kept.
const maxField = 64

// Identify tells what phone a lease belongs to, from fams in order: the
// first family one of whose DHCP vendor classes matches vendorClass names
// the vendor (and the product line the class names); that family's DHCP
// extractor adds the model and firmware. Without a matching vendor class,
// the OUI of mac names the vendor (family.VendorByOUI). The zero Identity
// means not a phone phoneprovd knows.
//
// The extractors run isolated, as the User-Agent matchers do: one that
// panics identifies nothing, and what one returns is kept only when it is
// short printable ASCII.
func Identify(fams []family.Family, mac, vendorClass string) Identity {
	if vendorClass != "" {
		for i := range fams {
			f := &fams[i]
			if f.Vendor == "" {
				continue
			}
			for _, c := range f.DHCP.VendorClasses {
				if c.Value == "" || !c.Matches(vendorClass) {
					continue
				}
				id := Identity{Vendor: f.Vendor, ProductLine: c.Line, Source: SourceVendorClass}
				if d, ok := runExtract(f, vendorClass); ok {
					if d.ProductLine != "" {
						id.ProductLine = d.ProductLine
					}
					id.Model, id.Firmware = d.Model, d.Firmware
				}
				return id
			}
		}
	}
	if v := family.VendorByOUI(fams, mac); v != "" {
		return Identity{Vendor: v, Source: family.SourceOUI}
	}
	return Identity{}
}

// runExtract calls f's DHCP extractor in isolation and validates what it
// returns.
func runExtract(f *family.Family, vendorClass string) (d family.Device, ok bool) {
	if f.DHCP.Extract == nil {
		return family.Device{}, false
	}
	defer func() {
		if recover() != nil {
			d, ok = family.Device{}, false
		}
	}()
	d, ok = f.DHCP.Extract(vendorClass)
	if !ok || (d.Vendor != "" && d.Vendor != f.Vendor) {
		return family.Device{}, false
	}
	return family.Device{ProductLine: cleanField(d.ProductLine), Model: cleanField(d.Model), Firmware: cleanField(d.Firmware)}, true
}

// cleanField returns s trimmed if it is short printable ASCII, else "".
func cleanField(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > maxField || !printable(s) {
		return ""
	}
	return s
}
