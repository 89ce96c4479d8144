package dhcp

import (
	"context"
	"log/slog"
	"net"
	"net/netip"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// PartConfig configures the DHCP part.
type PartConfig struct {
	// Settings are those in force at start: [dhcp] token.
	Settings *settings.Settings
	// Admin is the admin listener's address as bound: events reaching a
	// loopback listener need no token.
	Admin net.Addr
	// Families identify the leases (family/families.List()).
	Families []family.Family
	// Record records a lease with its identity and says whether it did
	// (the inventory, which leaves out what is not a phone).
	Record func(e Event, id Identity) bool
	Logger *slog.Logger
}

// Part takes lease events on the admin listener (POST /dhcp/leases from
// the DHCP servers' hook, POST /dev_mgr/dhcpinfo from Wazo's relays).
// When the admin listener is reachable from other hosts, events must
// carry [dhcp] token, which may change while it runs; without one they
// are all refused, and the log says so.
type Part struct {
	h        *Handler
	loopback bool
	admin    string
	log      *slog.Logger
}

// NewPart returns the DHCP part.
func NewPart(cfg PartConfig) *Part {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ap, err := netip.ParseAddrPort(cfg.Admin.String())
	loopback := err == nil && ap.Addr().Unmap().IsLoopback()
	h := NewHandler(HandlerConfig{
		Families:     cfg.Families,
		Record:       cfg.Record,
		RequireToken: !loopback,
		Token:        cfg.Settings.DHCP.Token,
		Logger:       log,
	})
	return &Part{h: h, loopback: loopback, admin: cfg.Admin.String(), log: log}
}

// Name implements daemon.Part.
func (p *Part) Name() string { return "dhcp" }

// Start says when every event will be refused.
func (p *Part) Start(context.Context, *daemon.Host) error {
	p.warn()
	return nil
}

func (p *Part) warn() {
	if p.h.Status().Auth == "refused" {
		p.log.Warn("the admin listener is not loopback and [dhcp] token is not set: DHCP lease events will be refused", "admin", p.admin)
	}
}

// AdminRoutes adds the lease endpoints.
func (p *Part) AdminRoutes(a *admin.Server) { p.h.Register(a) }

// Status is the /status "dhcp" section: events counted, how they are
// authorized.
func (p *Part) Status() any { return p.h.Status() }

// Reconfigure applies a new [dhcp] token to the next event.
func (p *Part) Reconfigure(s *settings.Settings) ([]string, error) {
	if p.loopback {
		return nil, nil
	}
	before := p.h.Status().Auth
	p.h.SetToken(s.DHCP.Token)
	if before != "refused" {
		p.warn()
	}
	return nil, nil
}
