package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/console"
	"github.com/phoneprovd/phoneprovd/firmware/install"
	"github.com/phoneprovd/phoneprovd/firmware/pkgsdb"
	"github.com/phoneprovd/phoneprovd/firmware/rollout"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
	"github.com/phoneprovd/phoneprovd/phoneprov/live"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// firmwarePart runs the firmware rollouts: their pins feed the engine
// (restored when the part starts, before the first snapshot is built, so
// that the holds and the waves under way are served from the start),
// each swap tells which phones are served their new configuration, each
// fetch of a phone's files and each contact Asterisk reports are steps of
// a phone under way, and the admin API (/firmware/rollouts) drives them.
// Its waves move from the start of rolloutsPart, listed after the first
// load.
type firmwarePart struct {
	m        *rollout.Manager
	st       *state.Part
	asterisk *live.Part
	log      *slog.Logger
}

// newFirmwarePart returns the rollouts of fleet.
func newFirmwarePart(fleet rollout.Fleet, mgr *reload.Manager, st *state.Part, asterisk *live.Part, registrations bool, log *slog.Logger) *firmwarePart {
	p := &firmwarePart{st: st, asterisk: asterisk, log: log}
	p.m = rollout.New(rollout.Config{
		Fleet: fleet,
		Reload: func(ctx context.Context, reason string) {
			if _, err := mgr.Reload(ctx, reason); err != nil && !errors.Is(err, context.Canceled) {
				log.Warn("firmware rollout: reload", "error", err)
			}
		},
		Flush:           func() error { return st.Store().Flush() },
		NoRegistrations: !registrations,
		Logger:          log,
	})
	return p
}

// Name implements daemon.Part.
func (p *firmwarePart) Name() string { return "firmware" }

// Start takes up the saved rollouts and follows Asterisk's contacts.
func (p *firmwarePart) Start(context.Context, *daemon.Host) error {
	st := p.st.Store()
	if err := p.m.Restore(st); err != nil {
		return err
	}
	st.Register(p.m)
	if c := p.asterisk.Cache(); c != nil {
		c.OnContact(func(c live.Contact) { p.m.Contact(c.Endpoint, c.AOR, c.Registered(), c.At) })
	} else {
		p.log.Info("firmware rollouts do not check that phones register again: neither [ami] nor [ari] is configured")
	}
	return nil
}

// Swapped tells the rollouts which firmware each phone is served.
func (p *firmwarePart) Swapped(sw reload.Swap) {
	p.m.Swapped(sw.Generation, func(mac string) (string, bool) {
		fw, ok := sw.Snapshot.PhoneFirmware(mac)
		return fw.File(), ok
	})
}

// Fetched is a step of a phone under way.
func (p *firmwarePart) Fetched(mac string, generation uint64) { p.m.Fetched(mac, generation) }

// AdminRoutes serves /firmware/rollouts.
func (p *firmwarePart) AdminRoutes(a *admin.Server) { p.m.Register(a) }

// Status is the /status "firmware" section.
func (p *firmwarePart) Status() any { return p.m.List() }

// Pins are the rollouts as the engine asks them.
func (p *firmwarePart) Pins() phoneprov.FirmwarePins { return rolloutPins{p.m} }

// Console is the rollouts as the console lists them.
func (p *firmwarePart) Console() console.Firmware { return consoleFirmware{p.m} }

// rolloutsPart moves the waves, once the first snapshot is served.
func rolloutsPart(p *firmwarePart) daemon.Part {
	return &daemon.Funcs{PartName: "rollouts", OnStart: func(_ context.Context, h *daemon.Host) error {
		h.Go(p.m.Run)
		return nil
	}}
}

// rolloutPins are the rollouts as the engine asks them.
type rolloutPins struct{ m *rollout.Manager }

// FirmwarePin implements phoneprov.FirmwarePins.
func (p rolloutPins) FirmwarePin(plugin, mac string) (phoneprov.FirmwarePin, bool) {
	file, hold, ok := p.m.Pin(plugin, mac)
	return phoneprov.FirmwarePin{File: file, Hold: hold}, ok
}

// daemonFleet is the daemon as the rollouts read it: the snapshot served
// (and the settings it was built with), the plugins' packages, the
// inventory.
type daemonFleet struct {
	dirs dirFlags
	mgr  *reload.Manager
	inv  *inventory.Inventory
}

// Phones implements rollout.Fleet.
func (f daemonFleet) Phones(plugin string) ([]rollout.Candidate, error) {
	snap := f.mgr.Snapshot()
	if snap == nil {
		return nil, errors.New("no configuration is served yet")
	}
	if _, ok := snap.PluginDir(plugin); !ok {
		return nil, fmt.Errorf("plugin %s is not loaded (loaded: %s)", plugin, noneIfEmpty(strings.Join(snap.Plugins(), ", ")))
	}
	var out []rollout.Candidate
	for _, p := range snap.Phones() {
		fw, ok := snap.PhoneFirmware(p.MAC)
		if !ok || fw.Plugin != plugin {
			continue
		}
		c := rollout.Candidate{MAC: fw.MAC, Vendor: fw.Vendor, Model: fw.Model, Profile: p.Profile.Name,
			PluginFile: fw.PluginFile, HasFile: fw.HasFile, File: fw.File()}
		for _, l := range p.Lines {
			if l.Endpoint != "" && !slices.Contains(c.Endpoints, l.Endpoint) {
				c.Endpoints = append(c.Endpoints, l.Endpoint)
			}
		}
		if dev, ok := f.inv.Get(fw.MAC); ok {
			c.Firmware = dev.Firmware
		}
		out = append(out, c)
	}
	return out, nil
}

// Package implements rollout.Fleet: pkgs.db's version, and the files of
// the package's record once that version is installed.
func (f daemonFleet) Package(plugin, id string) (rollout.Package, error) {
	var setting string
	if s := f.mgr.Settings(); s != nil {
		setting = s.Plugins.Dir
	}
	dir := filepath.Join(pluginsDir(f.dirs, setting), plugin)
	if snap := f.mgr.Snapshot(); snap != nil {
		if d, ok := snap.PluginDir(plugin); ok {
			dir = d
		}
	}
	db, err := pkgsdb.Load(filepath.Join(dir, install.PkgsDir))
	if err != nil {
		return rollout.Package{}, fmt.Errorf("plugin %s: %w", plugin, err)
	}
	p := db.Packages[id]
	if p == nil {
		return rollout.Package{}, fmt.Errorf("plugin %s has no package %s (its packages: %s)", plugin, id, strings.Join(db.PackageIDs(), ", "))
	}
	out := rollout.Package{ID: p.ID, Version: p.Version}
	recs, err := install.ReadRecords(dir)
	if err != nil {
		return rollout.Package{}, fmt.Errorf("plugin %s: %w", plugin, err)
	}
	if rec := recs[id]; rec != nil && rec.Version == p.Version {
		out.Installed = true
		for _, file := range rec.Files {
			if !strings.HasSuffix(file, "/") {
				out.Files = append(out.Files, file)
			}
		}
		return out, nil
	}
	for _, file := range p.Files {
		out.Files = append(out.Files, file.Filename)
	}
	return out, nil
}

// Device implements rollout.Fleet from the inventory.
func (f daemonFleet) Device(mac string) (rollout.Device, bool) {
	dev, ok := f.inv.Get(mac)
	if !ok {
		return rollout.Device{}, false
	}
	out := rollout.Device{Firmware: dev.Firmware, Fetches: make([]rollout.Fetch, len(dev.Files))}
	for i, h := range dev.Files {
		out.Fetches[i] = rollout.Fetch{At: h.At, Proto: h.Proto, File: h.File, Status: h.Status}
	}
	return out, true
}

func noneIfEmpty(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// pluginsDir is where the plugins are: [plugins] dir, else DATA-DIR/plugins.
func pluginsDir(dirs dirFlags, dir string) string {
	if dir != "" {
		return dir
	}
	return filepath.Join(dirs.dataDir, "plugins")
}

// consoleFirmware is the rollouts as the console lists them.
type consoleFirmware struct{ m *rollout.Manager }

// Rollouts implements console.Firmware.
func (c consoleFirmware) Rollouts() []console.Rollout {
	var out []console.Rollout
	for _, s := range c.m.List() {
		out = append(out, console.Rollout{
			ID: s.ID, Name: s.Package, Vendor: s.Vendor, Model: strings.Join(s.Models, ", "),
			From: strings.Join(s.From, ", "), To: s.Version, State: s.State, Paused: s.State == rollout.Paused,
			Phones: s.Phones, Done: s.Upgraded + s.Current, Failed: s.Failed,
			Started: s.Created, Updated: s.Updated, Message: s.Message,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Started.After(out[j].Started) })
	return out
}

// Pause implements console.Firmware.
func (c consoleFirmware) Pause(id string) error {
	_, err := c.m.Pause(id)
	return err
}

// Resume implements console.Firmware.
func (c consoleFirmware) Resume(id string) error {
	_, err := c.m.Resume(id)
	return err
}
