package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/ami"
	"github.com/phoneprovd/phoneprovd/internal/gctune"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
	"github.com/phoneprovd/phoneprovd/phoneprov/live"
	"github.com/phoneprovd/phoneprovd/phoneprov/metrics"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/resync"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
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
	s, err := settings.Load(f.dirs.configDir)
	if err != nil {
		return fail(e, err)
	}
	f.apply(s)
	logOut := newLogWriter(e.stderr)
	defer logOut.Flush()
	log, err := newLogger(logOut, s.General.LogFormat, s.General.LogLevel)
	if err != nil {
		return fail(e, err)
	}
	flushCtx, stopFlush := context.WithCancel(context.Background())
	defer stopFlush()
	go logOut.flushEvery(flushCtx, 100*time.Millisecond)
	if err := serve(ctx, f.dirs, s, log); err != nil {
		log.Error("phoneprovd stopped", "error", err)
		return 1
	}
	return 0
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

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q is not text or json", format)
}

// daemon is a running phoneprovd: the reload manager and everything that
// serves from its snapshots.
type daemon struct {
	dirs      dirFlags
	settings  *settings.Settings
	log       *slog.Logger
	manager   *reload.Manager
	admin     *admin.Server
	ami       *ami.Client // nil without [ami]
	inventory *inventory.Inventory
	state     *state.Store
	guard     *security.Guard
	httpAddr  net.Addr // the phone-facing HTTP listener
	connLimit *security.ConnLimit
	metrics   *metrics.Metrics
	// liveStatus and resyncStatus read parts that may be off (nil).
	liveStatus   func() live.Status
	resyncStatus func() resync.Status
	// resyncState reports a phone's re-sync state (nil without re-sync).
	resyncState func(mac string) string
	// resyncer and requestResync re-sync phones (nil without re-sync).
	resyncer      *resync.Resyncer
	requestResync func(macs []string, all bool) (resyncResult, error)
	// onSwap are called after each snapshot swap; onFetch when a phone
	// fetched one of its dynamic files (its MAC, the generation served).
	onSwap  []func(reload.Swap)
	onFetch []func(mac string, generation uint64)
	// afterStart run once the first snapshot is served.
	afterStart []func() error
	// reidentifying is set while a reload asked by a plugin phone's
	// identification runs.
	reidentifying atomic.Bool
	// workers run until the daemon's context ends; servers stop on shutdown.
	workers   sync.WaitGroup
	errc      chan error
	shutdowns []func(context.Context) error
}

func serve(ctx context.Context, dirs dirFlags, s *settings.Settings, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	d := &daemon{dirs: dirs, settings: s, log: log, admin: admin.New(version), errc: make(chan error, 8)}
	gc := gctune.New(os.LookupEnv, log)
	opts := engineOptions(dirs, s, log)
	if err := checkAdminAccess(s); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", s.General.HTTP)
	if err != nil {
		return fmt.Errorf("http listener: %w", err)
	}
	defer ln.Close()
	d.httpAddr = ln.Addr()
	opts.Plugins.Identify = d.identify
	adminLn, err := net.Listen("tcp", s.General.Admin)
	if err != nil {
		return fmt.Errorf("admin listener: %w", err)
	}
	defer adminLn.Close()

	if err := d.startState(ctx); err != nil {
		return err
	}
	defer func() {
		if err := d.state.Close(); err != nil {
			log.Warn("closing the state database", "error", err)
		}
	}()

	if cache := d.startAsterisk(ctx); cache != nil {
		opts.Live = cache
		d.liveStatus = cache.Status
	}
	d.metrics = d.startMetrics()
	opts.Observer = d.metrics
	opts.Previous = func() *phoneprov.Snapshot { return d.manager.Snapshot() }
	d.manager = reload.New(reload.Config{
		Load:     func() (*phoneprov.Snapshot, error) { return phoneprov.Load(opts) },
		Debounce: s.General.Debounce,
		Rescan:   s.General.Rescan,
		Server:   listenerIP(ln.Addr()),
		Logger:   log,
		OnSwap: func(sw reload.Swap) {
			gc.Swapped(sw)
			d.metrics.Swapped(sw.Generation, sw.Took+sw.RenderTook, len(sw.Snapshot.Phones()))
			for _, f := range d.onSwap {
				f(sw)
			}
		},
		OnError:  func(error) { d.metrics.ReloadFailed() },
		LastGood: func() (*phoneprov.Snapshot, string, error) { return d.loadLastGood(opts) },
	})
	d.startLastGood(ctx)
	if err := d.startSecurity(ctx); err != nil {
		return err
	}
	if err := d.startInventory(); err != nil {
		return err
	}
	d.startDHCP(adminLn.Addr())
	d.startResync(ctx)
	d.registerLater(d.metrics)
	// The admin listener answers while the first configuration loads:
	// /healthz at once, /readyz 503 until a snapshot is served.
	d.admin.Ready(func() bool { return d.manager.Snapshot() != nil })
	d.admin.Degraded(d.manager.Degraded)
	d.admin.Section("config", func() any { return d.manager.Status() })
	adminHandler, adminServed, err := d.startConsole(adminLn)
	if err != nil {
		return err
	}
	d.serveHTTP("admin", admin.NewServer(adminHandler), adminServed)
	if err := d.manager.Start(); err != nil {
		return err
	}
	for _, f := range d.afterStart {
		if err := f(); err != nil {
			return err
		}
	}

	handler := httpserver.NewHandler(d.manager, httpserver.Config{
		Prefix:           s.General.Prefix,
		ServerName:       s.General.ServerName,
		MissingStatic404: s.General.MissingStatic404,
		OnServe:          d.servedHTTP,
		Guard:            d.guard,
		Logger:           log,
	})
	srv := httpserver.NewServer(handler)
	srv.ConnState = d.connLimit.ConnState
	d.serveHTTP("http", srv, d.connLimit.Listener(ln))
	if err := d.serveHTTPS(handler); err != nil {
		return err
	}
	if err := d.startTFTP(); err != nil {
		return err
	}
	d.workers.Add(1)
	go func() {
		defer d.workers.Done()
		if err := d.manager.Run(ctx); err != nil {
			d.errc <- err
		}
	}()
	log.Info("serving phones", "http", ln.Addr().String(), "admin", adminLn.Addr().String())
	if err := sdNotify("READY=1"); err != nil {
		log.Warn("cannot notify systemd", "error", err)
	}

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	var runErr error
loop:
	for {
		select {
		case <-hup:
			log.Info("SIGHUP: reloading")
			go d.manager.Reload(ctx, "SIGHUP")
		case <-ctx.Done():
			break loop
		case err := <-d.errc:
			runErr = err
			break loop
		}
	}
	log.Info("shutting down")
	sdNotify("STOPPING=1")
	shutdownCtx, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	for _, stop := range d.shutdowns {
		stop(shutdownCtx)
	}
	cancel()
	d.workers.Wait()
	return runErr
}

// servedHTTP hears about every request a phone made over HTTP.
func (d *daemon) servedHTTP(s httpserver.Served) {
	d.metrics.Request("http", routeKind(s.Route), httpStatus(s.Status), s.Took)
	d.observeHTTP(s)
	if s.Status == http.StatusOK && s.Body != nil && s.Route != nil && s.Route.Phone != nil {
		d.fetched(s.Route.Phone.MAC, s.Body.Generation)
	}
	d.reidentify(s.Route, s.URI)
}

// fetched tells who cares that a phone fetched one of its dynamic files.
func (d *daemon) fetched(mac string, generation uint64) {
	for _, f := range d.onFetch {
		f(mac, generation)
	}
}

// serveHTTP serves srv on ln until shutdown.
func (d *daemon) serveHTTP(name string, srv *http.Server, ln net.Listener) {
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.errc <- fmt.Errorf("%s server: %w", name, err)
		}
	}()
	d.shutdowns = append(d.shutdowns, srv.Shutdown)
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
