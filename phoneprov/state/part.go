package state

import (
	"context"
	"sync/atomic"

	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/metrics"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// Part is the state database as a part of the daemon. It opens the
// database when it starts — a state directory that cannot be created or
// written stops phoneprovd at once, naming the directory: it would
// otherwise lose what it observes without anyone noticing — flushes while
// the daemon runs, and closes it once every part listed after it (those
// that keep state in it) has stopped. Later failures (a full disk)
// degrade /readyz, show in /status and the state_writable gauge, and are
// retried.
type Part struct {
	cfg   Config
	store atomic.Pointer[Store]
}

// NewPart returns the part that opens the database in cfg.Dir; m, when
// set, gets the state_writable gauge.
func NewPart(cfg Config, m *metrics.Metrics) *Part {
	p := &Part{cfg: cfg}
	if m != nil {
		m.GaugeFunc("state_writable", "1 while the state database (inventory, re-sync queue, last good configuration) is being saved; 0 after a failed write, until one succeeds.", func() float64 {
			if st := p.Store(); st != nil && st.Health().Writable {
				return 1
			}
			return 0
		})
	}
	return p
}

// Store returns the database, nil before the part started.
func (p *Part) Store() *Store { return p.store.Load() }

// Name implements daemon.Part.
func (p *Part) Name() string { return "state" }

// Start opens the database and flushes it until the part stops, then
// once more, and closes it.
func (p *Part) Start(_ context.Context, h *daemon.Host) error {
	st, err := Open(p.cfg)
	if err != nil {
		return err
	}
	p.store.Store(st)
	h.Go(func(ctx context.Context) {
		st.Run(ctx)
		if err := st.Close(); err != nil {
			st.log.Warn("closing the state database", "error", err)
		}
	})
	return nil
}

// AdminRoutes makes /readyz report state that is not being saved.
func (p *Part) AdminRoutes(a *admin.Server) {
	a.Degraded(func() string {
		if st := p.Store(); st != nil {
			return st.Degraded()
		}
		return ""
	})
}

// Status is the /status "state" section.
func (p *Part) Status() any {
	if st := p.Store(); st != nil {
		return st.Health()
	}
	return nil
}

// Reconfigure reports a new [general] state_dir: the database stays where
// it was opened until a restart.
func (p *Part) Reconfigure(s *settings.Settings) ([]string, error) {
	if s.General.StateDir != p.cfg.Dir {
		return []string{daemon.NeedsRestart("[general] state_dir", p.cfg.Dir)}, nil
	}
	return nil, nil
}
