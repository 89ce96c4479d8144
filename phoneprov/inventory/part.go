package inventory

import (
	"context"
	"net/http"
	"path/filepath"

	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// PartConfig configures the inventory part.
type PartConfig struct {
	Inventory *Inventory
	Snapshots phoneprov.SnapshotSource
	// State keeps the inventory across restarts.
	State *state.Part
	// ResyncState, when set, is each phone's re-sync state in the
	// listing.
	ResyncState func(mac string) string
	// Phones finds configured phones by MAC (shared with DHCP).
	Phones *Phones
}

// Part is the device inventory as a part of the daemon: it remembers every
// device that asks, in the state database (importing the inventory.json
// of earlier versions once), and serves GET /status/phones and the
// "device" and "config" sections of each phone's status.
type Part struct {
	cfg PartConfig
}

// NewPart returns the inventory part.
func NewPart(cfg PartConfig) *Part {
	if cfg.Phones == nil {
		cfg.Phones = new(Phones)
	}
	return &Part{cfg: cfg}
}

// Name implements daemon.Part.
func (p *Part) Name() string { return "inventory" }

// Start reads the inventory saved, and keeps it saved from then on.
func (p *Part) Start(_ context.Context, _ *daemon.Host) error {
	inv, st := p.cfg.Inventory, p.cfg.State.Store()
	if err := inv.Restore(st); err != nil {
		return err
	}
	if err := inv.MigrateJSON(st, filepath.Join(st.Dir(), "inventory.json")); err != nil {
		return err
	}
	st.Register(inv)
	return nil
}

// AdminRoutes serves the listing and each phone's device and
// configuration.
func (p *Part) AdminRoutes(a *admin.Server) {
	a.Handle("GET /status/phones", http.HandlerFunc(p.servePhones))
	a.PhoneSection("device", func(mac string) (any, bool) {
		dev, ok := p.cfg.Inventory.Get(mac)
		return dev, ok
	})
	a.PhoneSection("config", func(mac string) (any, bool) {
		snap := p.cfg.Snapshots.Snapshot()
		if ph := p.cfg.Phones.Phone(snap, mac); ph != nil {
			return SnapshotEntry(snap, ph), true
		}
		return nil, false
	})
}

// servePhones lists configured phones and unknown devices:
// ?vendor=Yealink&model=T46&unseen=1&configured=0&dhcp_only=1
func (p *Part) servePhones(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := Filter{Vendor: q.Get("vendor"), Model: q.Get("model"), Unseen: cstring.True(q.Get("unseen")),
		DHCPOnly: cstring.True(q.Get("dhcp_only"))}
	if v := q.Get("configured"); v != "" {
		b := cstring.True(v)
		f.Known = &b
	}
	entries := p.cfg.Inventory.List(p.cfg.Snapshots.Snapshot(), f)
	if rs := p.cfg.ResyncState; rs != nil {
		for i := range entries {
			entries[i].Resync = rs(entries[i].MAC)
		}
	}
	admin.WriteJSON(w, http.StatusOK, map[string]any{"count": len(entries), "phones": entries})
}
