package main

import (
	"crypto/tls"
	"fmt"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/phoneprovd/phoneprovd/console"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/resync"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// The web console and the protection of the admin listener it shares
// with /status and the API: credentials and HTTPS whenever other hosts
// can reach it, no state-changing request from another origin.

// adminTLSFiles returns the certificate and key the admin listener is
// served with: [admin]'s, else [security]'s when the listener is
// reachable from other hosts; none (plain HTTP) otherwise.
func adminTLSFiles(s *settings.Settings) (cert, key string) {
	if s.Admin.TLSCert != "" {
		return s.Admin.TLSCert, s.Admin.TLSKey
	}
	if reachable(s.General.Admin) && s.Security.TLSCert != "" {
		return s.Security.TLSCert, s.Security.TLSKey
	}
	return "", ""
}

// checkAdminAccess refuses to start with an admin listener other hosts
// can reach without credentials and HTTPS.
func checkAdminAccess(s *settings.Settings) error {
	cert, _ := adminTLSFiles(s)
	return console.CheckExposure(s.General.Admin, reachable(s.General.Admin),
		console.Access{User: s.Admin.User, Password: s.Admin.Password}, cert != "")
}

// startConsole adds the console to the admin listener (unless [admin]
// console = no) and returns what serves it: the admin handler behind its
// protection, and the listener, over TLS when configured.
func (d *daemon) startConsole(ln net.Listener) (http.Handler, net.Listener, error) {
	s := d.settings
	log := d.log.With("component", "console")
	cert, key := adminTLSFiles(s)
	if cert != "" {
		tc, err := console.TLSConfig(cert, key, log)
		if err != nil {
			return nil, nil, err
		}
		ln = tls.NewListener(ln, tc)
	}
	if s.Admin.Console {
		cfg := console.Config{
			Version:   version,
			Snapshot:  d.manager.Snapshot,
			Inventory: d.inventory,
			Reload:    d.manager.Status,
			Secrets: func() []string {
				return []string{s.Security.AuthPassword, s.AMI.Secret, s.ARI.Password, s.Admin.Password, s.DHCP.Token}
			},
			Server: previewServer(d.httpAddr),
			Access: adminAccessText(s, cert != ""),
			Logger: log,
		}
		if d.guard != nil {
			cfg.Security = exposedGuard{d.guard, d}
		}
		if d.resyncer != nil {
			cfg.Resync = consoleResync{d.resyncer, d.requestResync}
		}
		cfg.DHCP = consoleDHCP{d.inventory}
		c, err := console.New(cfg)
		if err != nil {
			return nil, nil, err
		}
		d.admin.Handle("/", c)
		d.onSwap = append(d.onSwap, func(reload.Swap) { c.Forget() })
	}
	return console.Protect(d.admin, console.Access{User: s.Admin.User, Password: s.Admin.Password, Logger: log}), ln, nil
}

// adminAccessText says how the admin listener is protected.
func adminAccessText(s *settings.Settings, tls bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The admin listener %s ", s.General.Admin)
	if reachable(s.General.Admin) {
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
	if ip := listenerIP(a); ip != "" {
		return ip
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

// listenersReachable says whether the phone-facing HTTP(S) and TFTP
// listeners accept connections from other hosts.
func (d *daemon) listenersReachable() (httpOut, tftpOut bool) {
	s := d.settings
	httpOut = reachable(d.httpAddr.String()) || (s.General.HTTPS != "" && reachable(s.General.HTTPS))
	for _, a := range s.TFTP.Listen {
		tftpOut = tftpOut || reachable(a)
	}
	return httpOut, s.TFTP.Enabled && tftpOut
}

// exposedGuard is the guard as the console shows it: exposed through the
// listeners as they are bound (a listener on loopback exposes nothing).
type exposedGuard struct {
	*security.Guard
	d *daemon
}

func (g exposedGuard) Status() security.Status {
	st := g.Guard.Status()
	st.Exposure = g.Guard.ExposureVia(g.d.listenersReachable())
	st.OpenToWorld = len(st.Exposure) > 0
	return st
}

// consoleResync is re-sync as the console uses it.
type consoleResync struct {
	*resync.Resyncer
	request func(macs []string, all bool) (resyncResult, error)
}

func (r consoleResync) Request(macs []string) (console.ResyncResult, error) {
	res, err := r.request(macs, false)
	return console.ResyncResult{Queued: res.Queued, Unknown: res.Unknown, Skipped: res.Skipped}, err
}

// consoleDHCP lists, for the console, the devices that leased an address
// but never asked for a file.
type consoleDHCP struct{ inv *inventory.Inventory }

// Devices implements console.DHCP.
func (c consoleDHCP) Devices() []console.DHCPDevice {
	var out []console.DHCPDevice
	for _, d := range c.inv.Devices() {
		if !d.DHCPOnly() {
			continue
		}
		out = append(out, console.DHCPDevice{
			MAC: d.MAC, IP: d.DHCP.IP, Hostname: d.DHCP.Hostname, VendorClass: d.DHCP.VendorClass,
			Vendor: d.Vendor, Model: d.Model, FirstSeen: d.DHCP.First, LastSeen: d.DHCP.At,
		})
	}
	return out
}
