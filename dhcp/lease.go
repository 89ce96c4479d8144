package dhcp

import (
	"time"

	"github.com/phoneprovd/phoneprovd/family"
)

// Sources of lease events: the DHCP server (or relay) an Event came from.
const (
	SourceDnsmasq = "dnsmasq"
	SourceISC     = "isc"
	SourceKea     = "kea"
	SourceProvd   = "provd" // Wazo's POST /dev_mgr/dhcpinfo
)

// Event is one lease event, as the hook command sends it to the daemon
// (POST /dhcp/leases, {"events": [...]}).
type Event struct {
	Source string `json:"source"`
	// Action is the server's own word for what happened: dnsmasq's "add",
	// "old", "del"; ISC's "commit", "release", "expiry"; Kea's hook point
	// ("leases4_committed", "lease4_renew", …); provd's op.
	Action string `json:"action"`
	// Ended is true when the lease ended (released, expired, declined,
	// deleted) rather than started or was renewed.
	Ended bool   `json:"ended,omitempty"`
	MAC   string `json:"mac"` // 12 lower-case hex digits
	IP    string `json:"ip"`
	// VendorClass is option 60 as the client sent it; nil when the event
	// does not say (a renewal dnsmasq reports from its lease file, every Kea
	// event), which is not the same as a client that sent none ("").
	VendorClass *string `json:"vendor_class,omitempty"`
	Hostname    string  `json:"hostname,omitempty"`
	// Expires is when the lease ends, zero when unknown.
	Expires time.Time `json:"expires,omitzero"`
}

// Identity is what identification made of a lease: the phone's vendor,
// product line, model and firmware, any of them empty when unknown.
type Identity struct {
	Vendor      string `json:"vendor,omitempty"`
	ProductLine string `json:"family,omitempty"` // the saved state's name for it
	Model       string `json:"model,omitempty"`
	Firmware    string `json:"firmware,omitempty"`
	// Source is what named the vendor: SourceVendorClass or family.SourceOUI.
	Source string `json:"source,omitempty"`
}

// SourceVendorClass is Identity.Source when option 60 named the vendor.
const SourceVendorClass = "vendor-class"

// Device returns the identity as a family.Device (without MAC).
func (id Identity) Device() family.Device {
	return family.Device{Vendor: id.Vendor, ProductLine: id.ProductLine, Model: id.Model, Firmware: id.Firmware, Source: id.Source}
}

// Lease is the last lease known for a MAC, as the inventory keeps it.
type Lease struct {
	IP          string    `json:"ip"`
	VendorClass string    `json:"vendor_class,omitempty"`
	Hostname    string    `json:"hostname,omitempty"`
	Identity    Identity  `json:"identity"`
	Source      string    `json:"source"`
	Action      string    `json:"action"` // the last event's Action
	Active      bool      `json:"active"` // false once the lease ended
	At          time.Time `json:"at"`     // when the last event was received
	Expires     time.Time `json:"expires,omitzero"`
	// First is when the first lease event for this MAC was received.
	First time.Time `json:"first"`
}

// Update returns l after event e, identified as id and received at: the
// address, source and state are e's; the vendor class, hostname and
// identity are kept when e does not carry them (a renewal replayed from a
// lease file, a Kea event).
func (l Lease) Update(e Event, id Identity, at time.Time) Lease {
	if l.First.IsZero() {
		l.First = at
	}
	l.IP, l.Source, l.Action, l.Active, l.At = e.IP, e.Source, e.Action, !e.Ended, at
	if e.VendorClass != nil {
		l.VendorClass = *e.VendorClass
	}
	if e.Hostname != "" {
		l.Hostname = e.Hostname
	}
	if id.Vendor != "" && (id.Source == SourceVendorClass || l.Identity.Source != SourceVendorClass) {
		l.Identity = id
	}
	if !e.Expires.IsZero() || !e.Ended {
		l.Expires = e.Expires
	}
	if e.Ended && (l.Expires.IsZero() || l.Expires.After(at)) {
		l.Expires = at
	}
	return l
}

// LeaseLookup gives the last lease seen for a MAC (in any form
// family.NormalizeMAC accepts). The inventory implements it.
type LeaseLookup interface {
	LastLease(mac string) (Lease, bool)
}
