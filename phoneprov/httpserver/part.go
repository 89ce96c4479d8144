package httpserver

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// Limiter caps the connections the servers hold (package security's
// ConnLimit).
type Limiter interface {
	Listener(ln net.Listener) net.Listener
	ConnState(c net.Conn, state http.ConnState)
}

// PartConfig configures the HTTP part.
type PartConfig struct {
	// Listener is the phone-facing HTTP listener, bound by the caller so
	// that a port in use stops phoneprovd before anything starts.
	Listener net.Listener
	// Settings are those in force at start: [general] https, prefix,
	// servername, missing_static_404.
	Settings *settings.Settings
	// Snapshots is the snapshot source (the reload manager).
	Snapshots phoneprov.SnapshotSource
	Guard     Guard
	Limiter   Limiter
	// TLS returns the HTTPS listener's configuration (the guard's), when
	// [general] https is set.
	TLS func() (*tls.Config, error)
	// OnServe hears about every request (metrics, the inventory,
	// identification); the part itself tells the daemon of each dynamic
	// file fetched.
	OnServe func(Served)
	Logger  *slog.Logger
}

// Part serves phones over HTTP, and HTTPS when [general] https is set.
// [general] prefix, servername and missing_static_404 apply to the next
// request after an edit; the listeners' addresses need a restart.
type Part struct {
	cfg     PartConfig
	handler atomic.Pointer[Handler]
	host    *daemon.Host
	servers []*http.Server
}

// NewPart returns the HTTP part.
func NewPart(cfg PartConfig) *Part {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Part{cfg: cfg}
	p.handler.Store(p.newHandler(cfg.Settings))
	return p
}

// newHandler is the handler of s's [general].
func (p *Part) newHandler(s *settings.Settings) *Handler {
	g := s.General
	return NewHandler(p.cfg.Snapshots, Config{
		Prefix:           g.Prefix,
		ServerName:       g.ServerName,
		MissingStatic404: g.MissingStatic404,
		OnServe:          p.served,
		Guard:            p.cfg.Guard,
		Logger:           p.cfg.Logger,
	})
}

// ServeHTTP serves with the handler of the settings in force.
func (p *Part) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.handler.Load().ServeHTTP(w, r)
}

// served tells OnServe, and the daemon of a phone's dynamic file fetched.
func (p *Part) served(s Served) {
	if p.cfg.OnServe != nil {
		p.cfg.OnServe(s)
	}
	if s.Status == http.StatusOK && s.Body != nil && s.Route != nil && s.Route.Phone != nil && p.host != nil {
		p.host.Fetched(s.Route.Phone.MAC, s.Body.Generation)
	}
}

// Name implements daemon.Part.
func (p *Part) Name() string { return "http" }

// Start serves the HTTP listener, and listens and serves HTTPS when
// configured; a server that fails stops the daemon.
func (p *Part) Start(_ context.Context, h *daemon.Host) error {
	p.host = h
	srv := NewServer(p)
	if l := p.cfg.Limiter; l != nil {
		srv.ConnState = l.ConnState
	}
	p.serve(h, "http", srv, func() error { return srv.Serve(p.limit(p.cfg.Listener)) })
	addr := p.cfg.Settings.General.HTTPS
	if addr == "" {
		return nil
	}
	tc, err := p.cfg.TLS()
	if err != nil {
		return fmt.Errorf("https: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("https listener: %w", err)
	}
	tlsSrv := NewTLSServer(p, tc)
	if l := p.cfg.Limiter; l != nil {
		tlsSrv.ConnState = l.ConnState
	}
	p.serve(h, "https", tlsSrv, func() error { return tlsSrv.ServeTLS(p.limit(ln), "", "") })
	p.cfg.Logger.Info("serving phones over HTTPS", "https", ln.Addr().String())
	return nil
}

func (p *Part) limit(ln net.Listener) net.Listener {
	if p.cfg.Limiter == nil {
		return ln
	}
	return p.cfg.Limiter.Listener(ln)
}

func (p *Part) serve(h *daemon.Host, name string, srv *http.Server, serve func() error) {
	p.servers = append(p.servers, srv)
	h.Go(func(context.Context) {
		if err := serve(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.Fail(fmt.Errorf("%s server: %w", name, err))
		}
	})
}

// Stop stops accepting and lets requests in flight finish within ctx.
func (p *Part) Stop(ctx context.Context) error {
	var errs []error
	for _, srv := range p.servers {
		errs = append(errs, srv.Shutdown(ctx))
	}
	return errors.Join(errs...)
}

// Reconfigure applies [general] prefix, servername and missing_static_404;
// another http or https address needs a restart.
func (p *Part) Reconfigure(s *settings.Settings) ([]string, error) {
	was, g := p.cfg.Settings.General, s.General
	var restart []string
	if g.HTTP != was.HTTP {
		restart = append(restart, daemon.NeedsRestart("[general] http", p.cfg.Listener.Addr().String()))
	}
	if g.HTTPS != was.HTTPS {
		inForce := was.HTTPS
		if inForce == "" {
			inForce = "no HTTPS"
		}
		restart = append(restart, daemon.NeedsRestart("[general] https", inForce))
	}
	cur := p.handler.Load().cfg
	if cur.Prefix != g.Prefix || cur.ServerName != g.ServerName || cur.MissingStatic404 != g.MissingStatic404 {
		p.handler.Store(p.newHandler(s))
	}
	return restart, nil
}
