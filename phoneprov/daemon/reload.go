package daemon

import (
	"context"
	"fmt"

	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// The reload manager is two parts: ConfigPart loads the first snapshot, so
// that the parts listed after it start with a configuration served;
// WatchPart, listed last, follows changes once everything serves.

// ConfigPart is the reload manager as the part that loads the first
// snapshot: /status "config", /readyz, and [general] debounce and rescan.
type ConfigPart struct{ m *reload.Manager }

// NewConfigPart returns the part loading m's first snapshot.
func NewConfigPart(m *reload.Manager) *ConfigPart { return &ConfigPart{m} }

// Name implements Part.
func (p *ConfigPart) Name() string { return "config" }

// Start loads the first snapshot (reload.Manager.Start).
func (p *ConfigPart) Start(context.Context, *Host) error { return p.m.Start() }

// AdminRoutes makes /readyz answer 503 until a snapshot is served, then
// report why the configuration served is not the live files'.
func (p *ConfigPart) AdminRoutes(a *admin.Server) {
	a.Ready(func() bool { return p.m.Snapshot() != nil })
	a.Degraded(p.m.Degraded)
}

// Status implements Reporter.
func (p *ConfigPart) Status() any { return p.m.Status() }

// Reconfigure applies [general] debounce and rescan.
func (p *ConfigPart) Reconfigure(s *settings.Settings) ([]string, error) {
	p.m.SetTiming(s.General.Debounce, s.General.Rescan)
	return nil, nil
}

// WatchPart is the reload manager following changes (reload.Manager.Run).
type WatchPart struct{ m *reload.Manager }

// NewWatchPart returns the part that runs m.
func NewWatchPart(m *reload.Manager) *WatchPart { return &WatchPart{m} }

// Name implements Part.
func (p *WatchPart) Name() string { return "watch" }

// Start runs the manager until the part stops; its failure stops the
// daemon.
func (p *WatchPart) Start(_ context.Context, h *Host) error {
	h.Go(func(ctx context.Context) {
		if err := p.m.Run(ctx); err != nil {
			h.Fail(fmt.Errorf("watching the configuration: %w", err))
		}
	})
	return nil
}
