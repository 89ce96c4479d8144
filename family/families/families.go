// Package families is the one list of the phone families phoneprovd knows,
// and the lookups every caller makes against it: identification of a
// request, the vendor of an OUI, the re-sync event of a vendor, a family by
// name. Adding a family is adding one line to List (see the README's
// "Adding a family").
package families

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/aastra"
	"github.com/phoneprovd/phoneprovd/family/cisco"
	"github.com/phoneprovd/phoneprovd/family/digium"
	"github.com/phoneprovd/phoneprovd/family/fanvil"
	"github.com/phoneprovd/phoneprovd/family/gigaset"
	"github.com/phoneprovd/phoneprovd/family/grandstream"
	"github.com/phoneprovd/phoneprovd/family/linksys"
	"github.com/phoneprovd/phoneprovd/family/obihai"
	"github.com/phoneprovd/phoneprovd/family/polycom"
	"github.com/phoneprovd/phoneprovd/family/snom"
	"github.com/phoneprovd/phoneprovd/family/yealink"
)

// List returns the families, in the order identification tries them. The
// order matters only for file names: each family's User-Agent matcher is
// anchored on its vendor's own leading token, so at most one accepts a
// User-Agent, while a path can fall under two conventions (a file in
// Wazo's Digium/ directory named like another vendor's).
func List() []family.Family {
	return []family.Family{
		cisco.Family(),
		grandstream.Family(),
		yealink.Family(),
		polycom.Family(),
		digium.Family(),
		snom.Family(),
		fanvil.Family(),
		aastra.Family(),
		gigaset.Family(),
		obihai.Family(),
		linksys.Family(),
	}
}

// all is List, built once for the per-request lookups. It is never
// changed after it is built.
var all = List()

// Identify recognises the device behind r with every family (see
// family.Identify). It costs about a microsecond and does not allocate.
func Identify(r family.Request) family.Device { return family.Identify(all, r) }

// VendorByOUI returns the vendor whose phones carry the OUI of mac, in any
// form family.NormalizeMAC accepts, or "".
func VendorByOUI(mac string) string { return family.VendorByOUI(all, mac) }

// ByName returns the family named name ("yealink").
func ByName(name string) (family.Family, bool) {
	for _, f := range all {
		if f.Name == name {
			return f, true
		}
	}
	return family.Family{}, false
}

// ByVendor returns the family whose phones identify as vendor ("Yealink").
func ByVendor(vendor string) (family.Family, bool) {
	for _, f := range all {
		if f.Vendor == vendor {
			return f, true
		}
	}
	return family.Family{}, false
}

// DefaultEvent is the NOTIFY event of a phone whose family is unknown.
const DefaultEvent = "check-sync"

// EventFor returns the re-sync NOTIFY event of a vendor's product line
// (Device.ProductLine), or DefaultEvent for an unknown vendor.
func EventFor(vendor, line string) string {
	if f, ok := ByVendor(vendor); ok && f.Notify.Event != "" {
		return f.Notify.EventFor(line)
	}
	return DefaultEvent
}

// GuessFromProfile guesses a family, and a product line, from words in a
// phoneprov.conf profile name ("snom-d7xx", "cisco-spa"), checking the
// families in order. ok is false when no family's word is in the name.
func GuessFromProfile(profile string) (vendor, line string, ok bool) {
	name := strings.ToLower(profile)
	for _, f := range all {
		for _, w := range f.Notify.ProfileWords {
			if strings.Contains(name, w.Key) {
				return f.Vendor, w.Line, true
			}
		}
	}
	return "", "", false
}
