package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/console"
	"github.com/phoneprovd/phoneprovd/firmware/install"
	"github.com/phoneprovd/phoneprovd/firmware/pkgsdb"
	"github.com/phoneprovd/phoneprovd/firmware/rollout"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/live"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
)

// startFirmware runs the firmware rollouts: their pins feed the engine
// (opts, before the first snapshot is built, so that the holds and the
// waves under way are served from the start), each swap tells which
// phones are served their new configuration, each fetch of a phone's
// files and each contact Asterisk reports are steps of a phone under way,
// and the admin API (/firmware/rollouts) drives them.
func (d *daemon) startFirmware(ctx context.Context, opts *phoneprov.Options) error {
	m := rollout.New(rollout.Config{
		Fleet: daemonFleet{d},
		Reload: func(ctx context.Context, reason string) {
			if _, err := d.manager.Reload(ctx, reason); err != nil && !errors.Is(err, context.Canceled) {
				d.log.Warn("firmware rollout: reload", "error", err)
			}
		},
		Flush:           d.state.Flush,
		NoRegistrations: d.live == nil,
		Logger:          d.log.With("component", "rollout"),
	})
	if d.live == nil {
		d.log.Info("firmware rollouts do not check that phones register again: neither [ami] nor [ari] is configured")
	}
	if err := m.Restore(d.state); err != nil {
		return err
	}
	d.state.Register(m)
	opts.Plugins.Firmware = rolloutPins{m}
	d.onSwap = append(d.onSwap, func(sw reload.Swap) {
		m.Swapped(sw.Generation, func(mac string) (string, bool) {
			fw, ok := sw.Snapshot.PhoneFirmware(mac)
			return fw.File(), ok
		})
	})
	d.onFetch = append(d.onFetch, m.Fetched)
	if d.live != nil {
		d.live.OnContact(func(c live.Contact) { m.Contact(c.Endpoint, c.AOR, c.Registered(), c.At) })
	}
	m.Register(d.admin)
	d.admin.Section("firmware", func() any { return m.List() })
	// Waves move once the first snapshot is served.
	d.afterStart = append(d.afterStart, func() error {
		d.run(ctx, m.Run)
		return nil
	})
	d.rollouts = m
	return nil
}

// rolloutPins are the rollouts as the engine asks them.
type rolloutPins struct{ m *rollout.Manager }

// FirmwarePin implements phoneprov.FirmwarePins.
func (p rolloutPins) FirmwarePin(plugin, mac string) (phoneprov.FirmwarePin, bool) {
	file, hold, ok := p.m.Pin(plugin, mac)
	return phoneprov.FirmwarePin{File: file, Hold: hold}, ok
}

// daemonFleet is the daemon as the rollouts read it: the snapshot served,
// the plugins' packages, the inventory.
type daemonFleet struct{ d *daemon }

// Phones implements rollout.Fleet.
func (f daemonFleet) Phones(plugin string) ([]rollout.Candidate, error) {
	snap := f.d.manager.Snapshot()
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
		if dev, ok := f.d.inventory.Get(fw.MAC); ok {
			c.Firmware = dev.Firmware
		}
		out = append(out, c)
	}
	return out, nil
}

// Package implements rollout.Fleet: pkgs.db's version, and the files of
// the package's record once that version is installed.
func (f daemonFleet) Package(plugin, id string) (rollout.Package, error) {
	dir := filepath.Join(pluginsDir(f.d.dirs, f.d.settings.Plugins.Dir), plugin)
	if snap := f.d.manager.Snapshot(); snap != nil {
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
	dev, ok := f.d.inventory.Get(mac)
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
