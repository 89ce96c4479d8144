package console

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"github.com/phoneprovd/phoneprovd/dhcp"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/resync"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// AdminTLSFiles returns the certificate and key the admin listener is
// served with: [admin]'s, else [security]'s when the listener is
// reachable from other hosts; none (plain HTTP) otherwise.
func AdminTLSFiles(s *settings.Settings) (cert, key string) {
	if s.Admin.TLSCert != "" {
		return s.Admin.TLSCert, s.Admin.TLSKey
	}
	if security.Reachable(s.General.Admin) && s.Security.TLSCert != "" {
		return s.Security.TLSCert, s.Security.TLSKey
	}
	return "", ""
}

// CheckAdminAccess refuses an admin listener other hosts can reach
// without credentials and HTTPS.
func CheckAdminAccess(s *settings.Settings) error {
	cert, _ := AdminTLSFiles(s)
	return CheckExposure(s.General.Admin, security.Reachable(s.General.Admin),
		Access{User: s.Admin.User, Password: s.Admin.Password}, cert != "")
}

// PartConfig configures the admin listener's part.
type PartConfig struct {
	// Listener is the admin listener, bound by the caller (it answers
	// /healthz while the first configuration loads).
	Listener net.Listener
	// Admin is the handler of /status and the API, which the console
	// joins unless [admin] console = no.
	Admin *admin.Server
	// Settings are those in force at start: [general] admin, [admin].
	Settings *settings.Settings
	Version  string
	// Snapshots is the reload manager.
	Snapshots interface {
		phoneprov.SnapshotSource
		Status() reload.Status
	}
	Inventory *inventory.Inventory
	Security  *security.Part // nil: no security page
	Resync    *resync.Part   // nil or off: no re-sync
	// Firmware, when set, is the firmware rollouts' page.
	Firmware Firmware
	// PhoneListener is the phone-facing HTTP listener's address as bound:
	// the console's previews render for it.
	PhoneListener net.Addr
	Logger        *slog.Logger
}

// Part is the admin listener: /status, /metrics, the API and the web
// console, behind credentials and HTTPS whenever other hosts can reach
// it, refusing state-changing requests from another origin. [admin] user
// and password apply to the next request after an edit; the listener's
// address, its certificate and the console on or off need a restart.
type Part struct {
	cfg     PartConfig
	log     *slog.Logger
	tls     bool // the listener serves HTTPS
	console atomic.Pointer[Console]
	handler atomic.Pointer[http.Handler]
	current atomic.Pointer[settings.Settings]
	srv     *http.Server
}

// NewPart refuses an admin listener left open to other hosts, and builds
// the console.
func NewPart(cfg PartConfig) (*Part, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := cfg.Settings
	if err := CheckAdminAccess(s); err != nil {
		return nil, err
	}
	cert, _ := AdminTLSFiles(s)
	p := &Part{cfg: cfg, log: cfg.Logger, tls: cert != ""}
	p.current.Store(s)
	if err := p.build(s); err != nil {
		return nil, err
	}
	return p, nil
}

// build makes the console (unless [admin] console = no) and the
// protection of the admin handler for s.
func (p *Part) build(s *settings.Settings) error {
	if p.cfg.Settings.Admin.Console {
		c, err := New(p.consoleConfig(s))
		if err != nil {
			return err
		}
		p.console.Store(c)
	}
	var h http.Handler = Protect(p.cfg.Admin, Access{User: s.Admin.User, Password: s.Admin.Password, Logger: p.log,
		OwnAuth: []string{dhcp.LeasesPath, dhcp.DHCPInfoPath, dhcp.ProvdDHCPInfoPath}})
	p.handler.Store(&h)
	return nil
}

func (p *Part) consoleConfig(s *settings.Settings) Config {
	cfg := Config{
		Version:   p.cfg.Version,
		Snapshot:  p.cfg.Snapshots.Snapshot,
		Inventory: p.cfg.Inventory,
		Reload:    p.cfg.Snapshots.Status,
		Secrets:   p.secrets,
		Server:    previewServer(p.cfg.PhoneListener),
		Access:    accessText(p.cfg.Settings.General.Admin, s, p.tls),
		DHCP:      dhcpDevices{p.cfg.Inventory},
		Firmware:  p.cfg.Firmware,
		Logger:    p.log,
	}
	if p.cfg.Security != nil {
		cfg.Security = p.cfg.Security.Exposed()
	}
	if rp := p.cfg.Resync; rp != nil && rp.Resyncer() != nil {
		cfg.Resync = consoleResync{rp.Resyncer(), rp}
	}
	return cfg
}

// secrets are the site's secrets file previews mask, those the daemon
// started with and those in force.
func (p *Part) secrets() []string {
	var out []string
	for _, s := range []*settings.Settings{p.cfg.Settings, p.current.Load()} {
		out = append(out, s.Security.AuthPassword, s.AMI.Secret, s.ARI.Password, s.Admin.Password, s.DHCP.Token)
	}
	return out
}

// Name implements daemon.Part.
func (p *Part) Name() string { return "admin" }

// AdminRoutes serves the console at the root.
func (p *Part) AdminRoutes(a *admin.Server) {
	if p.console.Load() != nil {
		a.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { p.console.Load().ServeHTTP(w, r) }))
	}
}

// Swapped makes the console forget what it computed of the previous
// snapshot.
func (p *Part) Swapped(reload.Swap) {
	if c := p.console.Load(); c != nil {
		c.Forget()
	}
}

// ServeHTTP serves the admin handler behind the protection in force.
func (p *Part) ServeHTTP(w http.ResponseWriter, r *http.Request) { (*p.handler.Load()).ServeHTTP(w, r) }

// Start serves the admin listener, over TLS when configured, until the
// part stops.
func (p *Part) Start(_ context.Context, h *daemon.Host) error {
	ln := p.cfg.Listener
	if cert, key := AdminTLSFiles(p.cfg.Settings); cert != "" {
		tc, err := TLSConfig(cert, key, p.log)
		if err != nil {
			return err
		}
		ln = tls.NewListener(ln, tc)
	}
	p.srv = admin.NewServer(p)
	h.Go(func(context.Context) {
		if err := p.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.Fail(fmt.Errorf("admin server: %w", err))
		}
	})
	return nil
}

// Stop stops the listener, letting requests in flight finish within ctx.
func (p *Part) Stop(ctx context.Context) error {
	if p.srv == nil {
		return nil
	}
	return p.srv.Shutdown(ctx)
}

// CheckSettings refuses [admin] credentials that would leave the
// listener, as it is bound, open to other hosts.
func (p *Part) CheckSettings(s *settings.Settings) error {
	addr := p.cfg.Settings.General.Admin
	err := CheckExposure(addr, security.Reachable(addr), Access{User: s.Admin.User, Password: s.Admin.Password}, p.tls)
	if err != nil {
		return fmt.Errorf("%s: %w", s.Where("admin", "user"), err)
	}
	return nil
}

// Reconfigure applies [admin] user and password; the rest needs a
// restart.
func (p *Part) Reconfigure(s *settings.Settings) ([]string, error) {
	was := p.cfg.Settings
	var restart []string
	if s.General.Admin != was.General.Admin {
		restart = append(restart, daemon.NeedsRestart("[general] admin", p.cfg.Listener.Addr().String()))
	}
	if s.Admin.TLSCert != was.Admin.TLSCert || s.Admin.TLSKey != was.Admin.TLSKey {
		restart = append(restart, daemon.NeedsRestart("[admin] tls_cert", was.Admin.TLSCert))
	}
	if s.Admin.Console != was.Admin.Console {
		restart = append(restart, daemon.NeedsRestart("[admin] console", map[bool]string{true: "yes", false: "no"}[was.Admin.Console]))
	}
	cur := p.current.Swap(s)
	if s.Admin.User != cur.Admin.User || s.Admin.Password != cur.Admin.Password {
		if err := p.build(s); err != nil {
			p.current.Store(cur)
			return restart, err
		}
	}
	return restart, nil
}

// accessText says how the admin listener is protected.
func accessText(addr string, s *settings.Settings, tls bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The admin listener %s ", addr)
	if security.Reachable(addr) {
		b.WriteString("is reachable from other hosts; ")
	} else {
		b.WriteString("is on loopback only; ")
	}
	if s.Admin.User != "" {
		fmt.Fprintf(&b, "it asks for the credentials of [admin] user %q", s.Admin.User)
	} else {
		b.WriteString("it asks for no credentials ([admin] user and password)")
	}
	if tls {
		b.WriteString(", over HTTPS.")
	} else {
		b.WriteString(", over plain HTTP.")
	}
	b.WriteString(" Every state-changing request from another origin is refused.")
	return b.String()
}

// previewServer is the SERVER the console's previews show: the
// phone-facing listener's address, or for a wildcard listener the first
// global address of the host, as a phone would reach it.
func previewServer(a net.Addr) string {
	if a == nil {
		return ""
	}
	if ap, err := netip.ParseAddrPort(a.String()); err == nil && !ap.Addr().IsUnspecified() {
		return ap.Addr().Unmap().WithZone("").String()
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	var v6 string
	for _, a := range addrs {
		pfx, err := netip.ParsePrefix(a.String())
		if err != nil || !pfx.Addr().IsGlobalUnicast() {
			continue
		}
		if pfx.Addr().Is4() {
			return pfx.Addr().String()
		}
		if v6 == "" {
			v6 = pfx.Addr().String()
		}
	}
	return v6
}

// consoleResync is re-sync as the console uses it.
type consoleResync struct {
	*resync.Resyncer
	part *resync.Part
}

func (r consoleResync) Request(macs []string) (ResyncResult, error) {
	res, err := r.part.Queue(macs, false)
	return ResyncResult{Queued: res.Queued, Unknown: res.Unknown, Skipped: res.Skipped}, err
}

// dhcpDevices lists, for the console, the devices that leased an address
// but never asked for a file.
type dhcpDevices struct{ inv *inventory.Inventory }

// Devices implements DHCP.
func (c dhcpDevices) Devices() []DHCPDevice {
	var out []DHCPDevice
	for _, d := range c.inv.Devices() {
		if !d.DHCPOnly() {
			continue
		}
		out = append(out, DHCPDevice{
			MAC: d.MAC, IP: d.DHCP.IP, Hostname: d.DHCP.Hostname, VendorClass: d.DHCP.VendorClass,
			Vendor: d.Vendor, Model: d.Model, FirstSeen: d.DHCP.First, LastSeen: d.DHCP.At,
		})
	}
	return out
}
