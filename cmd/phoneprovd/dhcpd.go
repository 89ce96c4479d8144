package main

import (
	"net"
	"net/netip"

	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/families"
)

// startDHCP takes lease events on the admin listener (POST /dhcp/leases
// from the DHCP servers' hook, POST /dev_mgr/dhcpinfo from Wazo's relays)
// and records the phones' leases in the inventory. When the admin listener
// is reachable from other hosts, events must carry [dhcp] token; without
// one they are all refused, and the log says so at start.
func (d *daemon) startDHCP(admin net.Addr) {
	loopback := isLoopback(admin)
	token := d.settings.DHCP.Token
	h := dhcp.NewHandler(dhcp.HandlerConfig{
		Families: families.List(),
		Record: func(e dhcp.Event, id dhcp.Identity) bool {
			ok := d.inventory.ObserveLease(e, id, d.configuredMAC(e.MAC))
			d.reidentifyMAC(e.MAC) // its vendor class may name a plugin phone's model
			return ok
		},
		RequireToken: !loopback,
		Token:        token,
		Logger:       d.log.With("component", "dhcp"),
	})
	h.Register(d.admin)
	d.admin.Section("dhcp", func() any { return h.Status() })
	if !loopback && token == "" {
		d.log.Warn("the admin listener is not loopback and [dhcp] token is not set: DHCP lease events will be refused", "admin", admin.String())
	}
}

// configuredMAC reports whether mac (12 lower-case hex digits) is a
// configured phone's.
func (d *daemon) configuredMAC(mac string) bool {
	snap := d.manager.Snapshot()
	if snap == nil {
		return false
	}
	if snap.Phone(mac) != nil {
		return true
	}
	for _, p := range snap.Phones() {
		if m, ok := family.NormalizeMAC(p.MAC); ok && m == mac {
			return true
		}
	}
	return false
}

// isLoopback reports whether a listener's address is a loopback one.
func isLoopback(a net.Addr) bool {
	ap, err := netip.ParseAddrPort(a.String())
	return err == nil && ap.Addr().Unmap().IsLoopback()
}
