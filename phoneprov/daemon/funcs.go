package daemon

import (
	"context"

	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// Funcs is a Part made of functions, for small parts and tests: each hook
// whose function is nil does nothing (and a nil OnStatus leaves the
// section out).
type Funcs struct {
	PartName        string
	OnStart         func(ctx context.Context, h *Host) error
	OnStop          func(ctx context.Context) error
	OnSwapped       func(sw reload.Swap)
	OnFetched       func(mac string, generation uint64)
	OnAdminRoutes   func(a *admin.Server)
	OnStatus        func() any
	OnCheckSettings func(s *settings.Settings) error
	OnReconfigure   func(s *settings.Settings) ([]string, error)
}

// Name implements Part.
func (f *Funcs) Name() string { return f.PartName }

// Start implements Starter.
func (f *Funcs) Start(ctx context.Context, h *Host) error {
	if f.OnStart == nil {
		return nil
	}
	return f.OnStart(ctx, h)
}

// Stop implements Stopper.
func (f *Funcs) Stop(ctx context.Context) error {
	if f.OnStop == nil {
		return nil
	}
	return f.OnStop(ctx)
}

// Swapped implements Swapper.
func (f *Funcs) Swapped(sw reload.Swap) {
	if f.OnSwapped != nil {
		f.OnSwapped(sw)
	}
}

// Fetched implements Fetcher.
func (f *Funcs) Fetched(mac string, generation uint64) {
	if f.OnFetched != nil {
		f.OnFetched(mac, generation)
	}
}

// AdminRoutes implements Router.
func (f *Funcs) AdminRoutes(a *admin.Server) {
	if f.OnAdminRoutes != nil {
		f.OnAdminRoutes(a)
	}
}

// Status implements Reporter.
func (f *Funcs) Status() any {
	if f.OnStatus == nil {
		return nil
	}
	return f.OnStatus()
}

// CheckSettings implements SettingsChecker.
func (f *Funcs) CheckSettings(s *settings.Settings) error {
	if f.OnCheckSettings == nil {
		return nil
	}
	return f.OnCheckSettings(s)
}

// Reconfigure implements Reconfigurer.
func (f *Funcs) Reconfigure(s *settings.Settings) ([]string, error) {
	if f.OnReconfigure == nil {
		return nil, nil
	}
	return f.OnReconfigure(s)
}
