package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/phoneprovd/phoneprovd/console"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// serveFlags are serve's flags; those left unset fall back to phoneprovd.conf.
type serveFlags struct {
	dirs      dirFlags
	http      string
	admin     string
	tftp      string
	https     string
	stateDir  string
	logFormat string
	logLevel  string
}

func runServe(ctx context.Context, e *env, args []string) int {
	var f serveFlags
	fs := newFlagSet(e, "serve", "[flags]")
	f.dirs.register(fs)
	fs.StringVar(&f.http, "http", "", "phone-facing HTTP listener (default :8080, or [general] http)")
	fs.StringVar(&f.admin, "admin", "", "admin listener for /status (default 127.0.0.1:8081, or [general] admin)")
	fs.StringVar(&f.tftp, "tftp", "", "serve TFTP on ADDR too (or [tftp] listen); e.g. :69")
	fs.StringVar(&f.https, "https", "", "serve phones over HTTPS on ADDR too ([general] https; needs [security] tls_cert and tls_key)")
	fs.StringVar(&f.stateDir, "state-dir", "", "state directory (default /var/lib/phoneprovd, or [general] state_dir)")
	fs.StringVar(&f.logFormat, "log-format", "", "log format: text or json")
	fs.StringVar(&f.logLevel, "log-level", "", "log level: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	s, err := f.settings()
	if err != nil {
		return fail(e, err)
	}
	logOut := newLogWriter(e.stderr)
	defer logOut.Flush()
	lp, err := newLogPart(logOut, s.General.LogFormat, s.General.LogLevel)
	if err != nil {
		return fail(e, err)
	}
	flushCtx, stopFlush := context.WithCancel(context.Background())
	defer stopFlush()
	go logOut.flushEvery(flushCtx, 100*time.Millisecond)
	if err := serve(ctx, &f, s, lp); err != nil {
		lp.log.Error("phoneprovd stopped", "error", err)
		return 1
	}
	return 0
}

// settings reads phoneprovd.conf, with the flags given overriding it.
func (f *serveFlags) settings() (*settings.Settings, error) {
	s, err := settings.Load(f.dirs.configDir)
	if err != nil {
		return nil, err
	}
	f.apply(s)
	return s, nil
}

// apply lets flags that were given override the settings file.
func (f *serveFlags) apply(s *settings.Settings) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&s.General.HTTP, f.http)
	set(&s.General.Admin, f.admin)
	set(&s.General.HTTPS, f.https)
	set(&s.General.StateDir, f.stateDir)
	set(&s.General.LogFormat, f.logFormat)
	set(&s.General.LogLevel, f.logLevel)
	if f.tftp != "" {
		s.TFTP.Enabled = true
		s.TFTP.Listen = []string{f.tftp}
	}
}

func newLogger(w io.Writer, format string, level slog.Leveler) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q is not text or json", format)
}

// serve runs the daemon: it binds the phone-facing and admin listeners
// (a port in use stops it before anything starts), starts the parts in
// the order parts lists them, and stops them, last first, when ctx ends
// or a part fails.
func serve(ctx context.Context, f *serveFlags, s *settings.Settings, lp *logPart) error {
	log := lp.log
	if err := console.CheckAdminAccess(s); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.General.HTTP)
	if err != nil {
		return fmt.Errorf("http listener: %w", err)
	}
	defer ln.Close()
	adminLn, err := net.Listen("tcp", s.General.Admin)
	if err != nil {
		return fmt.Errorf("admin listener: %w", err)
	}
	defer adminLn.Close()

	adm := admin.New(version)
	d := daemon.New(daemon.Config{Admin: adm, Settings: s, Logger: log})
	parts, err := listParts(house{flags: f, settings: s, log: lp, daemon: d, admin: adm, http: ln, adminListener: adminLn})
	if err != nil {
		return err
	}
	err = d.Start(ctx, parts...)
	if err == nil {
		log.Info("serving phones", "http", ln.Addr().String(), "admin", adminLn.Addr().String())
		if err := sdNotify("READY=1"); err != nil {
			log.Warn("cannot notify systemd", "error", err)
		}
		select {
		case <-ctx.Done():
		case err = <-d.Err():
		}
		log.Info("shutting down")
		sdNotify("STOPPING=1")
	}
	// Requests in flight finish and TFTP transfers complete within the
	// grace period; the state is saved last.
	stopCtx, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	if serr := d.Stop(stopCtx); serr != nil {
		log.Warn("stopping", "error", serr)
	}
	return err
}

// listenerIP is the listener's IP when it is a specific address (what
// phones reach, used to pre-render their files), "" for a wildcard.
func listenerIP(a net.Addr) string {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil || ap.Addr().IsUnspecified() {
		return ""
	}
	return ap.Addr().Unmap().WithZone("").String()
}

// listenerPort is the listener's port.
func listenerPort(a net.Addr) int {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return 0
	}
	return int(ap.Port())
}
