package main

import (
	"context"
	"fmt"
	"net"

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
	for _, why := range guard.Exposure() {
		d.log.Warn("SIP SECRETS ARE OPEN TO THE WORLD: " + why + " (see README, Security)")
	}
	d.guard = guard
	d.run(ctx, guard.RunAudit)
	d.connLimit = security.NewConnLimit(d.settings.Security.MaxConnections)
	d.admin.Section("security", func() any { return guard.Status() })
	return nil
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
