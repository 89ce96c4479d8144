package inventory

import (
	"net/netip"

	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/family"
)

// ObserveLease records a DHCP lease event of a device, identified as id
// (see package dhcp); configured says whether the MAC is a configured
// phone's. Only phones are recorded: a configured phone, a device
// identification recognises, or one already in the inventory; anything
// else (a laptop on the same DHCP server) is left out and false returned.
//
// It is not on the requests' path and costs what one request does: one
// map lookup under the lock, the device marked for the next flush.
// Identification from DHCP fills the vendor, model and firmware of a
// device no User-Agent has identified: option 60 says more than a path or
// an OUI, a User-Agent more than option 60.
func (inv *Inventory) ObserveLease(e dhcp.Event, id dhcp.Identity, configured bool) bool {
	mac, ok := family.NormalizeMAC(e.MAC)
	if !ok {
		return false
	}
	at := inv.cfg.Now()
	inv.mu.Lock()
	defer inv.mu.Unlock()
	d := inv.devices[mac]
	if d == nil {
		if !configured && id.Vendor == "" {
			return false
		}
		if !configured {
			inv.makeRoomLocked(at)
		}
		d = &record{Device: Device{MAC: mac, FirstSeen: at, LastSeen: at}, inv: inv}
		inv.devices[mac] = d
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	var l dhcp.Lease
	if d.DHCP != nil {
		l = *d.DHCP
	}
	l = l.Update(e, id, at)
	d.DHCP = &l
	d.Configured = configured
	if !e.Ended && at.After(d.LastSeen) {
		d.LastSeen = at
	}
	if id.Vendor != "" && d.UserAgent == "" && (d.Vendor == "" ||
		id.Source == dhcp.SourceVendorClass && (id.Model != "" || id.Vendor != d.Vendor)) {
		d.Vendor, d.ProductLine, d.Model, d.Firmware = id.Vendor, id.ProductLine, id.Model, id.Firmware
	}
	inv.markLocked(d)
	return true
}

// LastLease implements dhcp.LeaseLookup: the last lease a DHCP server
// reported for mac (in any notation).
func (inv *Inventory) LastLease(mac string) (dhcp.Lease, bool) {
	m, ok := family.NormalizeMAC(mac)
	if !ok {
		return dhcp.Lease{}, false
	}
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if d := inv.devices[m]; d != nil {
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.DHCP != nil {
			return *d.DHCP, true
		}
	}
	return dhcp.Lease{}, false
}

// DHCPOnly reports whether d leased an address but never asked for a
// file: usually a DHCP option that does not point at phoneprovd, or a
// port it cannot reach.
func (d *Device) DHCPOnly() bool { return d.DHCP != nil && d.Requests == 0 }

// LeaseAddress returns where a phone without an endpoint can be notified:
// the address of its active DHCP lease.
func (inv *Inventory) LeaseAddress(mac string) (netip.Addr, bool) {
	l, ok := inv.LastLease(mac)
	if !ok || !l.Active {
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(l.IP)
	return ip, err == nil
}
