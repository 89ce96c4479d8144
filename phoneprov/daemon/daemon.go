package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// Config configures a Daemon.
type Config struct {
	// Admin is the admin listener's handler: parts add their routes and
	// /status sections to it, and the daemon its "settings" section.
	Admin *admin.Server
	// Settings are those the parts were built with; nil makes the first
	// settings swapped in reconfigure every part.
	Settings *settings.Settings
	Logger   *slog.Logger
}

// Daemon runs a list of parts.
type Daemon struct {
	cfg   Config
	log   *slog.Logger
	errc  chan error
	parts []Part
	// fetchers are the parts that are Fetchers, found once: every
	// request of a boot storm tells them.
	fetchers []Fetcher

	mu      sync.Mutex
	hosts   []*Host // of the parts started, in order (nil for a part without Start)
	applied applied
}

// New returns a Daemon; Start runs its parts.
func New(cfg Config) *Daemon {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &Daemon{cfg: cfg, log: log, errc: make(chan error, 1)}
	d.applied.init(cfg.Settings)
	return d
}

// Start adds every part's admin routes and /status section, then starts
// the parts in order. When one fails it returns its error, naming the
// part; Stop then stops those that started.
func (d *Daemon) Start(ctx context.Context, parts ...Part) error {
	seen := make(map[string]bool)
	for _, p := range parts {
		if seen[p.Name()] {
			return fmt.Errorf("two parts are named %q", p.Name())
		}
		seen[p.Name()] = true
	}
	d.parts = parts
	for _, p := range parts {
		if f, ok := p.(Fetcher); ok {
			d.fetchers = append(d.fetchers, f)
		}
	}
	if a := d.cfg.Admin; a != nil {
		for _, p := range parts {
			if r, ok := p.(Router); ok {
				r.AdminRoutes(a)
			}
			if r, ok := p.(Reporter); ok {
				a.Section(p.Name(), r.Status)
			}
		}
		a.Section("settings", func() any { return d.SettingsStatus() })
	}
	for _, p := range parts {
		var h *Host
		if s, ok := p.(Starter); ok {
			h = &Host{d: d, part: p}
			h.ctx, h.cancel = context.WithCancel(ctx)
			d.mu.Lock()
			d.hosts = append(d.hosts, h)
			d.mu.Unlock()
			if err := s.Start(h.ctx, h); err != nil {
				return fmt.Errorf("%s: %w", p.Name(), err)
			}
			continue
		}
		d.mu.Lock()
		d.hosts = append(d.hosts, h)
		d.mu.Unlock()
	}
	return nil
}

// Stop stops the parts that started, last first: each part's Stop, then
// its context ends and its workers are waited for, within ctx. It returns
// the parts' errors.
func (d *Daemon) Stop(ctx context.Context) error {
	d.mu.Lock()
	hosts := d.hosts
	d.hosts = nil
	d.mu.Unlock()
	var errs []error
	for i := len(hosts) - 1; i >= 0; i-- {
		p := d.parts[i]
		if s, ok := p.(Stopper); ok {
			if err := s.Stop(ctx); err != nil {
				errs = append(errs, fmt.Errorf("stopping %s: %w", p.Name(), err))
			}
		}
		if h := hosts[i]; h != nil {
			h.cancel()
			if !h.wait(ctx) {
				errs = append(errs, fmt.Errorf("stopping %s: its workers did not return in time", p.Name()))
			}
		}
	}
	return errors.Join(errs...)
}

// Err delivers the first failure a part reported (Host.Fail).
func (d *Daemon) Err() <-chan error { return d.errc }

func (d *Daemon) fail(p Part, err error) {
	select {
	case d.errc <- fmt.Errorf("%s: %w", p.Name(), err):
	default:
		d.log.Error("part failed", "part", p.Name(), "error", err)
	}
}

// Swapped is the reload manager's OnSwap: it applies the settings the
// snapshot came with when they differ from those in force
// (Reconfigurer), then tells every Swapper.
func (d *Daemon) Swapped(sw reload.Swap) {
	if sw.Settings != nil {
		d.apply(sw.Settings, sw.Generation)
	}
	for _, p := range d.parts {
		if s, ok := p.(Swapper); ok {
			s.Swapped(sw)
		}
	}
}

// Fetched tells every Fetcher that phone mac fetched a dynamic file of
// the given generation.
func (d *Daemon) Fetched(mac string, generation uint64) {
	for _, f := range d.fetchers {
		f.Fetched(mac, generation)
	}
}

// CheckSettings asks every SettingsChecker whether s may be applied; the
// reload's Loader refuses s with their errors.
func (d *Daemon) CheckSettings(s *settings.Settings) error {
	var errs []error
	for _, p := range d.parts {
		if c, ok := p.(SettingsChecker); ok {
			if err := c.CheckSettings(s); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
