package resync

import (
	"net/netip"

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
	// Address returns the address a DHCP server leased a MAC, when one
	// told (its lease is active): a phone without an endpoint is notified
	// there. nil notifies only phones with an endpoint.
	Address func(mac string) (netip.Addr, bool)
}

// For returns the NOTIFY for phone p; ok is false when its profile has
// resync off or the phone can be reached neither through an endpoint nor
// at a DHCP address.
func (pol Policy) For(p *phoneprov.Phone) (Notification, bool) {
	prof := pol.Profiles[p.Profile.Name]
	if prof.Off {
		return Notification{}, false
	}
	endpoint, tech := p.NotifyTarget()
	var uri string
	if endpoint == "" {
		ip, ok := netip.Addr{}, false
		if pol.Address != nil {
			ip, ok = pol.Address(p.MAC)
		}
		if !ok || !ip.IsValid() {
			return Notification{}, false
		}
		uri, tech = "sip:"+netip.AddrPortFrom(ip.Unmap(), 5060).String(), "PJSIP"
	}
	n := Notification{MAC: p.MAC, Tech: tech, Endpoint: endpoint, URI: uri, Event: prof.Event, Option: prof.Option}
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
