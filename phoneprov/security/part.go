package security

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/metrics"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// PartConfig configures the security part.
type PartConfig struct {
	// Settings are those in force at start: [security], and whether
	// [tftp] is served.
	Settings *settings.Settings
	// Snapshots lets the guard tell known MACs from unknown ones (the
	// reload manager).
	Snapshots phoneprov.SnapshotSource
	// HTTPListeners are the addresses the phone-facing HTTP and HTTPS
	// listeners are bound to, TFTPListeners those of TFTP (none when
	// TFTP is off): whether they are reachable from other hosts decides
	// whether secrets are open to the world.
	HTTPListeners []string
	TFTPListeners []string
	// Metrics, when set, gets the bans_active gauge.
	Metrics *metrics.Metrics
	Logger  *slog.Logger
}

// Part is the guard of the phone-facing listeners as a part of the daemon:
// its audit runs while the daemon does, POST /unban lifts bans, /status
// "security" reports it, and [security] applies while it runs.
type Part struct {
	guard *Guard
	conns *ConnLimit
	tftp  bool
	log   *slog.Logger
	// httpOut and tftpOut: the listeners accept connections from other
	// hosts.
	httpOut, tftpOut bool
}

// NewPart builds the guard and the connection limit from the settings.
func NewPart(cfg PartConfig) (*Part, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := cfg.Settings
	gc := ConfigFromSettings(s.Security, s.TFTP.Enabled)
	gc.Snapshots, gc.Logger = cfg.Snapshots, log
	g, err := New(gc)
	if err != nil {
		return nil, fmt.Errorf("%s: [security]: %w", s.Where("security", ""), err)
	}
	p := &Part{guard: g, conns: NewConnLimit(s.Security.MaxConnections), tftp: s.TFTP.Enabled, log: log}
	for _, a := range cfg.HTTPListeners {
		p.httpOut = p.httpOut || Reachable(a)
	}
	for _, a := range cfg.TFTPListeners {
		p.tftpOut = p.tftpOut || Reachable(a)
	}
	p.tftpOut = p.tftpOut && s.TFTP.Enabled
	if m := cfg.Metrics; m != nil {
		m.GaugeFunc("bans_active", "Sources banned for scanning MACs or failing authentication.", func() float64 {
			return float64(len(g.Status().Bans))
		})
	}
	return p, nil
}

// Guard returns the guard every phone-facing request goes through.
func (p *Part) Guard() *Guard { return p.guard }

// Conns returns the cap of phone-facing HTTP(S) connections.
func (p *Part) Conns() *ConnLimit { return p.conns }

// Name implements daemon.Part.
func (p *Part) Name() string { return "security" }

// Start warns loudly when SIP secrets are served to the whole world, and
// runs the audit.
func (p *Part) Start(_ context.Context, h *daemon.Host) error {
	p.warnExposure()
	h.Go(p.guard.RunAudit)
	return nil
}

func (p *Part) warnExposure() {
	for _, why := range p.guard.ExposureVia(p.httpOut, p.tftpOut) {
		p.log.Warn("SIP SECRETS ARE OPEN TO THE WORLD: " + why + " (see README, Security)")
	}
}

// Status is the /status "security" section.
func (p *Part) Status() any { return p.guard.Status() }

// AdminRoutes serves POST /unban.
func (p *Part) AdminRoutes(a *admin.Server) {
	a.Handle("POST /unban", http.HandlerFunc(p.serveUnban))
}

// CheckSettings refuses a [security] the guard cannot enforce (a
// certificate or CA that does not load), naming the section.
func (p *Part) CheckSettings(s *settings.Settings) error {
	cfg := ConfigFromSettings(s.Security, p.tftp).withDefaults()
	if _, err := newRules(cfg, p.guard.r()); err != nil {
		return fmt.Errorf("%s: [security]: %w", s.Where("security", ""), err)
	}
	return nil
}

// Reconfigure applies [security]: the next request is decided by the new
// rules, with the bans and nonces of before.
func (p *Part) Reconfigure(s *settings.Settings) ([]string, error) {
	before := p.guard.ExposureVia(p.httpOut, p.tftpOut)
	if err := p.guard.Reconfigure(ConfigFromSettings(s.Security, p.tftp)); err != nil {
		return nil, fmt.Errorf("%s: [security]: %w", s.Where("security", ""), err)
	}
	p.conns.SetMax(s.Security.MaxConnections)
	if after := p.guard.ExposureVia(p.httpOut, p.tftpOut); strings.Join(after, "\n") != strings.Join(before, "\n") {
		p.warnExposure()
	}
	return nil, nil
}

// Exposed returns the guard as the console shows it: its exposure through
// the listeners as they are bound (one on loopback exposes nothing).
func (p *Part) Exposed() ExposedGuard { return ExposedGuard{p.guard, p.httpOut, p.tftpOut} }

// ExposedGuard is a Guard whose Status judges exposure by the listeners
// as they are bound.
type ExposedGuard struct {
	*Guard
	httpOut, tftpOut bool
}

// Status is Guard.Status with the exposure of the listeners as bound.
func (g ExposedGuard) Status() Status {
	st := g.Guard.Status()
	st.Exposure = g.ExposureVia(g.httpOut, g.tftpOut)
	st.OpenToWorld = len(st.Exposure) > 0
	return st
}

// UnbanRequest is the body of POST /unban: {"source": "192.0.2.7"} (an
// address or a prefix) or {"all": true}.
type UnbanRequest struct {
	Source string `json:"source"`
	All    bool   `json:"all"`
}

// UnbanResult answers POST /unban: the sources whose ban was lifted.
type UnbanResult struct {
	Unbanned []string `json:"unbanned"`
	Error    string   `json:"error,omitempty"`
}

// serveUnban lifts bans before they expire.
func (p *Part) serveUnban(w http.ResponseWriter, r *http.Request) {
	var req UnbanRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil || (req.Source == "") == !req.All {
		admin.WriteJSON(w, http.StatusBadRequest, UnbanResult{Error: `body must be {"source": "ADDR or PREFIX"} or {"all": true}`})
		return
	}
	which := req.Source
	if req.All {
		which = "all"
	}
	out, err := p.guard.Unban(which)
	if err != nil {
		admin.WriteJSON(w, http.StatusBadRequest, UnbanResult{Error: err.Error()})
		return
	}
	admin.WriteJSON(w, http.StatusOK, UnbanResult{Unbanned: out})
}

// Reachable reports whether a listen address ("host:port", ":port")
// accepts connections from other hosts: anything but a loopback address
// (or "localhost"). A name that does not resolve counts as reachable.
func Reachable(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "" {
		return true
	}
	if strings.EqualFold(host, "localhost") {
		return false
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return !ip.Unmap().IsLoopback()
	}
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return true
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return true
		}
	}
	return false
}
