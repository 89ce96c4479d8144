package main

import (
	"context"
	"log/slog"
	"net"
	"os"

	"github.com/phoneprovd/phoneprovd/console"
	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/internal/gctune"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
	"github.com/phoneprovd/phoneprovd/phoneprov/lastgood"
	"github.com/phoneprovd/phoneprovd/phoneprov/live"
	"github.com/phoneprovd/phoneprovd/phoneprov/metrics"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/resync"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
)

// house is what serve has when it lists the parts.
type house struct {
	flags         *serveFlags
	settings      *settings.Settings // in force at start
	log           *logPart
	daemon        *daemon.Daemon
	admin         *admin.Server
	http          net.Listener // phone-facing, bound
	adminListener net.Listener
}

// listParts builds the daemon's parts and lists them in the order they
// start; they stop in the reverse order. What a part needs of another is
// its constructor's argument, so a part is listed after those it uses.
// Adding a part is adding it here (see README, Daemon parts).
func listParts(h house) ([]daemon.Part, error) {
	s, log := h.settings, h.log.log
	with := func(component string) *slog.Logger { return log.With("component", component) }
	m := metrics.New()
	inv := inventory.New(inventory.Config{Logger: with("inventory")})
	phones := new(inventory.Phones)

	st := state.NewPart(state.Config{Dir: s.General.StateDir, Logger: with("state")}, m)
	// The reload manager is built before the parts that watch it; its
	// loader reads what they supply when it loads, after they started.
	var mgr *reload.Manager
	asterisk := live.NewPart(live.PartConfig{Settings: s, Metrics: m, Logger: log,
		Reload: func(ctx context.Context, reason string) { mgr.Reload(ctx, reason) }})
	ld := &loader{flags: h.flags, log: log, d: h.daemon, httpPort: listenerPort(h.http.Addr()), live: asterisk, state: st,
		identify: inv.Sighting, observer: m, previous: func() *phoneprov.Snapshot { return mgr.Snapshot() }}
	mp := metrics.NewPart(m)
	mgr = reload.New(reload.Config{
		Loader:   ld,
		Debounce: s.General.Debounce,
		Rescan:   s.General.Rescan,
		Server:   listenerIP(h.http.Addr()),
		Logger:   log,
		OnSwap:   h.daemon.Swapped,
		OnError:  func(error) { m.ReloadFailed() },
	})
	ident := inventory.NewIdentifier(inv, mgr, log)
	fw := newFirmwarePart(daemonFleet{dirs: h.flags.dirs, mgr: mgr, inv: inv}, mgr, st, asterisk, s.AMI.Enabled || s.ARI.Enabled, with("rollout"))
	ld.firmware = fw.Pins()

	var httpListeners, tftpListeners []string
	httpListeners = append(httpListeners, h.http.Addr().String())
	if s.General.HTTPS != "" {
		httpListeners = append(httpListeners, s.General.HTTPS)
	}
	if s.TFTP.Enabled {
		tftpListeners = s.TFTP.Listen
	}
	sec, err := security.NewPart(security.PartConfig{Settings: s, Snapshots: mgr, HTTPListeners: httpListeners,
		TFTPListeners: tftpListeners, Metrics: m, Logger: with("security")})
	if err != nil {
		return nil, err
	}
	rs := resync.NewPart(resync.PartConfig{Settings: s, AMI: asterisk.AMI(), Snapshots: mgr, State: st, Devices: inv,
		Metrics: m, Logger: with("resync")})
	invPart := inventory.NewPart(inventory.PartConfig{Inventory: inv, Snapshots: mgr, State: st, ResyncState: rs.State, Phones: phones})
	leases := dhcp.NewPart(dhcp.PartConfig{Settings: s, Admin: h.adminListener.Addr(), Families: families.List(), Logger: with("dhcp"),
		Record: func(e dhcp.Event, id dhcp.Identity) bool {
			ok := inv.ObserveLease(e, id, phones.Phone(mgr.Snapshot(), e.MAC) != nil)
			ident.Seen(e.MAC) // its vendor class may name a plugin phone's model
			return ok
		}})
	adminPart, err := console.NewPart(console.PartConfig{Listener: h.adminListener, Admin: h.admin, Settings: s, Version: version,
		Snapshots: mgr, Inventory: inv, Security: sec, Resync: rs, Firmware: fw.Console(), PhoneListener: h.http.Addr(), Logger: with("console")})
	if err != nil {
		return nil, err
	}
	web := httpserver.NewPart(httpserver.PartConfig{Listener: h.http, Settings: s, Snapshots: mgr, Guard: sec.Guard(),
		Limiter: sec.Conns(), TLS: sec.Guard().TLSConfig, Logger: log,
		OnServe: func(sv httpserver.Served) {
			m.Request("http", metrics.RouteKind(sv.Route), httpserver.StatusLabel(sv.Status), sv.Took)
			inv.ObserveHTTP(sv)
			ident.Requested(sv.Route, sv.URI)
		}})
	tftp := tftpserver.NewPart(tftpserver.PartConfig{Settings: s, DataDir: h.flags.dirs.dataDir, Snapshots: mgr,
		Check: sec.Guard().CheckTFTP, Sensitive: sec.Guard().Sensitive, Logger: with("tftp"),
		OnServe: func(sv tftpserver.Served) {
			m.Request("tftp", metrics.RouteKind(sv.Route), sv.Outcome.String(), sv.Duration)
			inv.ObserveTFTP(sv)
			ident.Requested(sv.Route, sv.URI)
		}})

	return []daemon.Part{
		h.log,
		gctune.New(os.LookupEnv, log),
		st,
		asterisk,
		mp,
		sec,
		invPart,
		leases,
		lastgood.NewSaver(st, with("lastgood")),
		// The rollouts' pins are served from the first snapshot on.
		fw,
		// The admin listener answers while the first configuration loads:
		// /healthz at once, /readyz 503 until a snapshot is served.
		adminPart,
		daemon.NewConfigPart(mgr),
		// Re-sync takes up its saved queue for the first snapshot.
		rs,
		rolloutsPart(fw),
		web,
		tftp,
		daemon.NewWatchPart(mgr),
		&sighupPart{m: mgr, log: log},
	}, nil
}
