package inventory

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
)

// Sighting is what was seen of a device, for the plugin phones a snapshot
// configures from identification (phoneprov.PluginOptions.Identify): its
// last User-Agent, the last file it fetched over HTTP and the vendor
// class of its last DHCP lease.
func (inv *Inventory) Sighting(mac string) (phoneprov.Sighting, bool) {
	dev, ok := inv.Get(mac)
	if !ok {
		return phoneprov.Sighting{}, false
	}
	sg := phoneprov.Sighting{UserAgent: dev.UserAgent}
	if dev.DHCP != nil {
		sg.VendorClass = dev.DHCP.VendorClass
	}
	for i := len(dev.Files) - 1; i >= 0; i-- {
		if dev.Files[i].Proto == "http" {
			sg.Path = dev.Files[i].File
			break
		}
	}
	return sg, true
}

// Reloader is the reload manager, as identification asks it to reload.
type Reloader interface {
	phoneprov.SnapshotSource
	Reload(ctx context.Context, reason string) (reload.Result, error)
}

// Identifier asks for a reload when a request or a lease told more about
// a plugin phone than the snapshot serving it was built with (a phone of
// an "auto" profile, or one without MODEL, seen for the first time): the
// new snapshot serves it files of its own, and re-sync leaves it alone
// (phoneprov.Snapshot.FirstIdentified).
type Identifier struct {
	inv    *Inventory
	m      Reloader
	log    *slog.Logger
	asking atomic.Bool // a reload it asked for runs
}

// NewIdentifier returns the identifier of inv's devices, reloading m.
func NewIdentifier(inv *Inventory, m Reloader, log *slog.Logger) *Identifier {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Identifier{inv: inv, m: m, log: log}
}

// Requested looks at a request for uri, which route served (nil: none):
// only requests of plugins' files, and misses, may identify a phone.
func (id *Identifier) Requested(route *phoneprov.Route, uri string) {
	mac := ""
	switch {
	case route == nil:
		mac, _ = family.MACFromPath(uri)
	case route.Plugin() != "" && route.Owner() != nil:
		mac = route.Owner().NormalMAC()
	}
	id.Seen(mac)
}

// Seen looks at a device by its MAC (12 lower-case hex digits, or "") —
// after a DHCP lease, whose vendor class may name a plugin phone's model.
func (id *Identifier) Seen(mac string) {
	if mac == "" {
		return
	}
	snap := id.m.Snapshot()
	if snap == nil || !snap.Reidentify(mac, id.inv.Sighting) {
		return
	}
	if !id.asking.CompareAndSwap(false, true) {
		return // a reload is on its way; it reads the inventory afresh
	}
	go func() {
		defer id.asking.Store(false)
		id.log.Info("a plugin phone was identified: reloading to serve it its own files", "mac", mac)
		id.m.Reload(context.Background(), "plugin phone "+mac+" identified")
	}()
}
