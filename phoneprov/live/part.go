package live

import (
	"context"
	"log/slog"
	"reflect"
	"sync/atomic"

	"github.com/phoneprovd/phoneprovd/asterisk/ami"
	"github.com/phoneprovd/phoneprovd/asterisk/ari"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/metrics"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// PartConfig configures the Asterisk part.
type PartConfig struct {
	// Settings are those in force at start: [ami] and [ari].
	Settings *settings.Settings
	// Reload asks for a new snapshot when what the PBX says about a
	// wanted endpoint changed (the reload manager's Reload).
	Reload  func(ctx context.Context, reason string)
	Metrics *metrics.Metrics
	Logger  *slog.Logger
}

// Part connects to Asterisk over AMI and/or ARI when phoneprovd.conf
// configures them, and keeps the cache of live endpoint data that feeds
// the engine. The clients reconnect on their own; when Asterisk is down
// the last known values keep serving. Its /status section is "asterisk".
type Part struct {
	cfg   PartConfig
	ami   *ami.Client // nil without [ami]
	ari   *ari.Client // nil without [ari]
	cache atomic.Pointer[Cache]
}

// NewPart makes the clients [ami] and [ari] configure; they connect when
// the part starts.
func NewPart(cfg PartConfig) *Part {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Part{cfg: cfg}
	s := cfg.Settings
	if s.AMI.Enabled {
		p.ami = ami.New(ami.Config{
			Addr:          s.AMI.Addr(),
			Username:      s.AMI.Username,
			Secret:        s.AMI.Secret,
			Events:        "system",
			ActionTimeout: s.AMI.Timeout,
			Logger:        cfg.Logger.With("component", "ami"),
		})
	}
	if s.ARI.Enabled {
		p.ari = ari.New(ari.Config{
			URL:         s.ARI.URL,
			Username:    s.ARI.Username,
			Password:    s.ARI.Password,
			Application: s.ARI.Application,
			Timeout:     s.ARI.Timeout,
			Logger:      cfg.Logger.With("component", "ari"),
		})
	}
	if m := cfg.Metrics; m != nil && (p.ami != nil || p.ari != nil) {
		m.LabeledFunc("asterisk_connected", "1 when the AMI or ARI connection to Asterisk is up.", "source", false, func() map[string]float64 {
			out := map[string]float64{}
			if c := p.Cache(); c != nil {
				for _, s := range c.Status().Backends {
					out[s.Name] = 0
					if s.Connected {
						out[s.Name] = 1
					}
				}
			}
			return out
		})
	}
	return p
}

// AMI returns the AMI client, nil without [ami]: re-sync sends its
// NOTIFYs through it.
func (p *Part) AMI() *ami.Client { return p.ami }

// Cache returns the live endpoint data, nil without [ami] and [ari] or
// before the part started.
func (p *Part) Cache() *Cache { return p.cache.Load() }

// Name implements daemon.Part.
func (p *Part) Name() string { return "asterisk" }

// Start connects and starts following the PBX.
func (p *Part) Start(_ context.Context, h *daemon.Host) error {
	if p.ami == nil && p.ari == nil {
		return nil
	}
	// The backends and the cache live as long as the part: they are made
	// in a worker, with its context.
	ready := make(chan struct{})
	h.Go(func(ctx context.Context) {
		var backends []Backend
		if p.ami != nil {
			h.Go(func(ctx context.Context) { p.ami.Run(ctx) })
			backends = append(backends, NewAMI(ctx, p.ami))
		}
		if p.ari != nil {
			h.Go(func(ctx context.Context) { p.ari.Run(ctx) })
			backends = append(backends, NewARI(ctx, p.ari))
		}
		s := p.cfg.Settings
		c := New(Config{
			Backends: backends,
			Changed: func(reason string) {
				if p.cfg.Reload != nil {
					p.cfg.Reload(ctx, reason)
				}
			},
			Timeout: s.AMI.Timeout,
			Refresh: s.AMI.Refresh,
			Logger:  p.cfg.Logger.With("component", "live"),
		})
		p.cache.Store(c)
		close(ready)
		c.Run(ctx)
	})
	<-ready
	return nil
}

// Status is the /status "asterisk" section; none without [ami] and [ari].
func (p *Part) Status() any {
	if c := p.Cache(); c != nil {
		return c.Status()
	}
	return nil
}

// Reconfigure reports an edit of [ami] or [ari]: the connections stay as
// they were opened until a restart.
func (p *Part) Reconfigure(s *settings.Settings) ([]string, error) {
	var restart []string
	if !reflect.DeepEqual(s.AMI, p.cfg.Settings.AMI) {
		restart = append(restart, daemon.NeedsRestart("[ami]", ""))
	}
	if !reflect.DeepEqual(s.ARI, p.cfg.Settings.ARI) {
		restart = append(restart, daemon.NeedsRestart("[ari]", ""))
	}
	return restart, nil
}
