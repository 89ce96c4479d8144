package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/phoneprovd/phoneprovd/phoneprov/admin"

	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// startSecurity builds the guard every phone-facing request goes through
// ([security] of phoneprovd.conf) and warns loudly when SIP secrets are
// served to the whole world.
func (d *daemon) startSecurity(ctx context.Context) error {
	sc := security.ConfigFromSettings(d.settings.Security, d.settings.TFTP.Enabled)
	sc.Source, sc.Logger = d.manager, d.log.With("component", "security")
	guard, err := security.New(sc)
	if err != nil {
		return fmt.Errorf("[security]: %w", err)
	}
	for _, why := range guard.ExposureVia(d.listenersReachable()) {
		d.log.Warn("SIP SECRETS ARE OPEN TO THE WORLD: " + why + " (see README, Security)")
	}
	d.guard = guard
	d.run(ctx, guard.RunAudit)
	d.connLimit = security.NewConnLimit(d.settings.Security.MaxConnections)
	d.admin.Section("security", func() any { return guard.Status() })
	d.admin.Handle("POST /unban", http.HandlerFunc(d.serveUnban))
	return nil
}

// unbanRequest is the body of POST /unban: {"source": "192.0.2.7"} (an
// address or a prefix) or {"all": true}.
type unbanRequest struct {
	Source string `json:"source"`
	All    bool   `json:"all"`
}

// unbanResult answers POST /unban: the sources whose ban was lifted.
type unbanResult struct {
	Unbanned []string `json:"unbanned"`
	Error    string   `json:"error,omitempty"`
}

// serveUnban lifts bans before they expire.
func (d *daemon) serveUnban(w http.ResponseWriter, r *http.Request) {
	var req unbanRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil || (req.Source == "") == !req.All {
		admin.WriteJSON(w, http.StatusBadRequest, unbanResult{Error: `body must be {"source": "ADDR or PREFIX"} or {"all": true}`})
		return
	}
	which := req.Source
	if req.All {
		which = "all"
	}
	out, err := d.guard.Unban(which)
	if err != nil {
		admin.WriteJSON(w, http.StatusBadRequest, unbanResult{Error: err.Error()})
		return
	}
	admin.WriteJSON(w, http.StatusOK, unbanResult{Unbanned: out})
}

// reachable reports whether a listen address ("host:port", ":port")
// accepts connections from other hosts: anything but a loopback address
// (or "localhost"). A name that does not resolve counts as reachable.
func reachable(addr string) bool {
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

// serveHTTPS serves phones over HTTPS when [general] https (or -https) is
// set, with the guard's reloading certificate and client-certificate
// checks.
func (d *daemon) serveHTTPS(handler *httpserver.Handler) error {
	addr := d.settings.General.HTTPS
	if addr == "" {
		return nil
	}
	tc, err := d.guard.TLSConfig()
	if err != nil {
		return fmt.Errorf("https: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("https listener: %w", err)
	}
	srv := httpserver.NewTLSServer(handler, tc)
	srv.ConnState = d.connLimit.ConnState
	tlsLn := d.connLimit.Listener(ln)
	go func() {
		if err := srv.ServeTLS(tlsLn, "", ""); err != nil && err.Error() != "http: Server closed" {
			d.errc <- fmt.Errorf("https server: %w", err)
		}
	}()
	d.shutdowns = append(d.shutdowns, srv.Shutdown)
	d.log.Info("serving phones over HTTPS", "https", ln.Addr().String())
	return nil
}
