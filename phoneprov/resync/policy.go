package resync

import (
	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// DefaultEvent is the NOTIFY event most phones re-sync on.
const DefaultEvent = families.DefaultEvent

// EventForVendor returns the default event for a vendor and product line
// (Cisco SPA wants "resync"), from the vendor's family (family/<name>), or
// DefaultEvent.
func EventForVendor(vendor, line string) string { return families.EventFor(vendor, line) }

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
	if v, line, ok := families.GuessFromProfile(p.Profile.Name); ok {
		return EventForVendor(v, line)
	}
	if v := families.VendorByOUI(p.MAC); v != "" {
		return EventForVendor(v, "")
	}
	return DefaultEvent
}
