package main

import (
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"net/http"
	"net/netip"
	"path/filepath"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
)

// startInventory remembers every device that asks, persisted in the state
// database (importing the inventory.json of earlier versions once), and
// serves GET /status/phones.
func (d *daemon) startInventory() error {
	d.inventory = inventory.New(inventory.Config{
		Logger: d.log.With("component", "inventory"),
	})
	if err := d.inventory.Restore(d.state); err != nil {
		return err
	}
	if err := d.inventory.MigrateJSON(d.state, filepath.Join(d.state.Dir(), "inventory.json")); err != nil {
		return err
	}
	d.state.Register(d.inventory)
	d.admin.Handle("GET /status/phones", http.HandlerFunc(d.servePhones))
	d.admin.PhoneSection("device", func(mac string) (any, bool) {
		dev, ok := d.inventory.Get(mac)
		return dev, ok
	})
	d.admin.PhoneSection("config", func(mac string) (any, bool) {
		snap := d.manager.Snapshot()
		if snap == nil {
			return nil, false
		}
		if p := snap.Phone(mac); p != nil {
			return inventory.SnapshotEntry(snap, p), true
		}
		want, ok := family.NormalizeMAC(mac)
		for _, p := range snap.Phones() {
			if m, _ := family.NormalizeMAC(p.MAC); ok && m == want {
				return inventory.SnapshotEntry(snap, p), true
			}
		}
		return nil, false
	})
	return nil
}

// servePhones lists configured phones and unknown devices:
// ?vendor=Yealink&model=T46&unseen=1&configured=0&dhcp_only=1
func (d *daemon) servePhones(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := inventory.Filter{Vendor: q.Get("vendor"), Model: q.Get("model"), Unseen: cstring.True(q.Get("unseen")),
		DHCPOnly: cstring.True(q.Get("dhcp_only"))}
	if v := q.Get("configured"); v != "" {
		b := cstring.True(v)
		f.Known = &b
	}
	entries := d.inventory.List(d.manager.Snapshot(), f)
	if d.resyncState != nil {
		for i := range entries {
			entries[i].Resync = d.resyncState(entries[i].MAC)
		}
	}
	admin.WriteJSON(w, http.StatusOK, map[string]any{"count": len(entries), "phones": entries})
}

// observeHTTP records an HTTP request in the inventory.
func (d *daemon) observeHTTP(s httpserver.Served) {
	req := inventory.Request{Proto: "http", UserAgent: s.Request.UserAgent(), Path: s.URI,
		Status: httpStatus(s.Status), Bytes: s.Bytes}
	if ap, err := netip.ParseAddrPort(s.Request.RemoteAddr); err == nil {
		req.RemoteIP = ap.Addr()
	}
	if s.Route != nil {
		// The same bytes as s.URI; the inventory keeps the route's string
		// instead of one allocated per request.
		req.Path = s.Route.URI
		if p := s.Route.Owner(); p != nil {
			req.PhoneMAC = p.MAC
		}
	}
	d.inventory.Observe(req)
}

// observeTFTP records a TFTP transfer in the inventory.
func (d *daemon) observeTFTP(s tftpserver.Served) {
	req := inventory.Request{Proto: "tftp", Path: s.Filename, RemoteIP: s.Remote.Addr(),
		Status: s.Outcome.String(), Bytes: s.Bytes}
	if s.Route != nil {
		if p := s.Route.Owner(); p != nil {
			req.PhoneMAC = p.MAC
		}
	}
	d.inventory.Observe(req)
}
