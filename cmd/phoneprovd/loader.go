package main

import (
	"log/slog"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/lastgood"
	"github.com/phoneprovd/phoneprovd/phoneprov/live"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// loader is the reload manager's Loader: for every load it reads
// phoneprovd.conf (the flags overriding it) and lets the daemon's parts
// check it, then builds the snapshot with the engine options it gives —
// quiet files and plugins per profile, Asterisk's behaviours — and what
// the parts supply: Asterisk's answers, what identification saw, the
// render metrics.
type loader struct {
	flags *serveFlags
	log   *slog.Logger
	d     *daemon.Daemon
	// httpPort is the phone-facing listener's port: PROV_PORT of the
	// files rendered for TFTP. It changes only with a restart.
	httpPort int
	live     *live.Part
	state    *state.Part
	// identify, observer and previous are the engine options of the same
	// names.
	identify func(mac string) (phoneprov.Sighting, bool)
	firmware phoneprov.FirmwarePins
	observer phoneprov.RenderObserver
	previous func() *phoneprov.Snapshot
}

// Settings reads phoneprovd.conf; settings a part refuses are refused.
func (l *loader) Settings() (*settings.Settings, error) {
	s, err := l.flags.settings()
	if err != nil {
		return nil, err
	}
	if err := l.d.CheckSettings(s); err != nil {
		return nil, err
	}
	return s, nil
}

// options are the engine options of s.
func (l *loader) options(s *settings.Settings) phoneprov.Options {
	opts := engineOptions(l.flags.dirs, s, l.log)
	opts.HTTPPort = l.httpPort
	if c := l.live.Cache(); c != nil {
		opts.Live = c
	}
	opts.Plugins.Identify = l.identify
	opts.Plugins.Firmware = l.firmware
	opts.Observer = l.observer
	opts.Previous = l.previous
	return opts
}

// Load builds a snapshot of the live files with s.
func (l *loader) Load(s *settings.Settings) (*phoneprov.Snapshot, error) {
	return phoneprov.Load(l.options(s))
}

// LastGood builds a snapshot with s from the copy of the last good
// configuration saved in the state database.
func (l *loader) LastGood(s *settings.Settings) (*phoneprov.Snapshot, string, error) {
	return lastgood.Snapshot(l.state.Store(), l.options(s))
}
