package resync

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/device"
)

// DefaultEvent is the NOTIFY event most phones re-sync on.
const DefaultEvent = "check-sync"

// vendorEvents are the per-vendor defaults (VENDORS.md §1 and §5.4): the
// event that makes the phone fetch its configuration without being told
// to reboot where the vendor distinguishes the two.
var vendorEvents = map[string]string{
	device.VendorPolycom:     "check-sync",
	device.VendorYealink:     "check-sync",
	device.VendorCisco:       "check-sync", // 3PCC MPP and 79xx SIP
	device.VendorGrandstream: "check-sync",
	device.VendorFanvil:      "check-sync",
	device.VendorAastra:      "check-sync",
	device.VendorDigium:      "check-sync",
	device.VendorSnom:        "check-sync;reboot=false",
	device.VendorGigaset:     "check-sync;reboot=false",
	device.VendorLinksys:     "resync", // Sipura/Linksys/Cisco SPA
	device.VendorObihai:      "resync",
}

// EventForVendor returns the default event for a vendor (and family, for
// Cisco SPA), or DefaultEvent.
func EventForVendor(vendor, family string) string {
	if vendor == device.VendorCisco && family == "SPA" {
		return "resync"
	}
	if e, ok := vendorEvents[vendor]; ok {
		return e
	}
	return DefaultEvent
}

// ProfilePolicy is what phoneprovd.conf says about one profile
// ([profile:NAME]).
type ProfilePolicy struct {
	Event  string // "" = the vendor default
	Option string // a pjsip_notify.conf section instead of Event
	Off    bool   // resync = no
}

// Policy decides whether and how to notify a phone.
type Policy struct {
	Profiles map[string]ProfilePolicy
	// Vendor returns what identification last saw for a MAC (vendor,
	// family), when known.
	Vendor func(mac string) (vendor, family string, ok bool)
}

// For returns the NOTIFY for phone p; ok is false when its profile has
// resync off or the phone has no known endpoint.
func (pol Policy) For(p *phoneprov.Phone) (Notification, bool) {
	endpoint, tech := p.NotifyTarget()
	if endpoint == "" {
		return Notification{}, false
	}
	prof := pol.Profiles[p.Profile.Name]
	if prof.Off {
		return Notification{}, false
	}
	n := Notification{MAC: p.MAC, Tech: tech, Endpoint: endpoint, Event: prof.Event, Option: prof.Option}
	if n.Tech == "" {
		n.Tech = "PJSIP"
	}
	if n.Option != "" && n.Tech == "PJSIP" {
		return n, true
	}
	n.Option = ""
	if n.Event == "" {
		n.Event = pol.defaultEvent(p)
	}
	return n, true
}

// defaultEvent guesses the vendor: from identification of the phone's
// requests, else from the profile's name, else from the MAC's OUI.
func (pol Policy) defaultEvent(p *phoneprov.Phone) string {
	if pol.Vendor != nil {
		if v, fam, ok := pol.Vendor(p.MAC); ok && v != "" {
			return EventForVendor(v, fam)
		}
	}
	name := strings.ToLower(p.Profile.Name)
	for _, g := range []struct{ word, vendor, family string }{
		{"snom", device.VendorSnom, ""}, {"gigaset", device.VendorGigaset, ""},
		{"spa", device.VendorCisco, "SPA"}, {"linksys", device.VendorLinksys, ""}, {"sipura", device.VendorLinksys, ""},
		{"obi", device.VendorObihai, ""}, {"polycom", device.VendorPolycom, ""}, {"yealink", device.VendorYealink, ""},
	} {
		if strings.Contains(name, g.word) {
			return EventForVendor(g.vendor, g.family)
		}
	}
	if mac, ok := device.NormalizeMAC(p.MAC); ok {
		if v := device.VendorByOUI(mac); v != "" {
			return EventForVendor(v, "")
		}
	}
	return DefaultEvent
}
