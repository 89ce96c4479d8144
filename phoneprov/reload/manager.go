// Package reload keeps phoneprovd's configuration current: it watches every
// file a snapshot depends on, builds a new snapshot beside the one being
// served when something changed, and swaps it in with one atomic store. A
// reload that fails keeps the old snapshot serving.
package reload

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// Config configures a Manager.
type Config struct {
	// Loader reads phoneprovd's settings and builds snapshots with them
	// (see Loader); when it is set, Load and LastGood are not used.
	Loader Loader
	// Load builds a snapshot from the files, without settings.
	Load func() (*phoneprov.Snapshot, error)
	// Debounce is how long the files must be quiet after a change before a
	// reload (default 250 ms); MaxDelay bounds the wait during a long burst
	// of changes (default 2 s).
	Debounce time.Duration
	MaxDelay time.Duration
	// Rescan is the period of the safety-net comparison of the files with
	// the snapshot (default 60 s; negative disables it).
	Rescan time.Duration
	// Server is the address phones reach, used to pre-render every phone's
	// files after a swap ("" when unknown).
	Server string
	// OnSwap is called, on the manager's goroutine, after each swap;
	// OnError after each refused reload.
	OnSwap  func(Swap)
	OnError func(error)
	Logger  *slog.Logger
	// LastGood, when set, builds a snapshot from the saved copy of the
	// last good configuration (nil, nil when none is saved) and describes
	// the copy. Start serves it when the live files fail to load or have
	// errors the copy does not have (see lastgood.go).
	LastGood func() (*phoneprov.Snapshot, string, error)
}

// Swap describes one snapshot taking over.
type Swap struct {
	Generation uint64
	Snapshot   *phoneprov.Snapshot
	Previous   *phoneprov.Snapshot // nil for the first load
	Changes    phoneprov.Changes
	Reason     string
	Took       time.Duration // building the snapshot
	RenderTook time.Duration // then pre-rendering and fingerprinting every phone's files
	// LastGood is set when the snapshot was built from the saved copy of
	// the last good configuration, not from the live files.
	LastGood bool
	// Settings are the settings the snapshot was built with, to be applied
	// with it (nil without a Loader).
	Settings *settings.Settings
}

// current is the snapshot being served, with what belongs to it.
type current struct {
	snap         *phoneprov.Snapshot
	settings     *settings.Settings
	generation   uint64
	fingerprints map[string]phoneprov.Fingerprint
	deps         phoneprov.Dependencies // the snapshot's and the settings'
}

// Manager owns the snapshot being served.
type Manager struct {
	cfg    Config
	loader Loader
	// lastGood: a saved copy of the last good configuration may be served
	// at Start.
	lastGood bool
	log      *slog.Logger
	timing   timing
	cur      atomic.Pointer[current]
	reqs     chan request

	mu     sync.Mutex
	status Status

	// Owned by the goroutine that loads (Start, then Run): the last failed
	// attempt, so the same broken files are not tried again and again.
	failed         *[32]byte
	failedDeps     phoneprov.Dependencies
	lastFailedSnap *phoneprov.Snapshot
	// fromLastGood is set by startLoad when what it returns is the last
	// good copy.
	fromLastGood bool
	start        *startState
}

// request asks the manager's goroutine to compare the files with the
// snapshot (force: reload regardless) and to answer on done.
type request struct {
	reason string
	force  bool
	done   chan Result
}

// Result is the outcome of one check or reload.
type Result struct {
	Reloaded bool
	Err      error
	Swap     *Swap
}

// ErrRejected wraps the reason a new snapshot was not swapped in.
var ErrRejected = errors.New("reload rejected")

// New returns a Manager; call Start to load and Run to follow changes.
func New(cfg Config) *Manager {
	if cfg.Debounce <= 0 {
		cfg.Debounce = 250 * time.Millisecond
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = 2 * time.Second
	}
	if cfg.Rescan == 0 {
		cfg.Rescan = 60 * time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Manager{cfg: cfg, loader: cfg.Loader, log: log, reqs: make(chan request), lastGood: cfg.Loader != nil || cfg.LastGood != nil}
	if m.loader == nil {
		m.loader = funcLoader{load: cfg.Load, lastGood: cfg.LastGood}
	}
	m.timing.set(cfg.Debounce, cfg.Rescan)
	return m
}

// Snapshot returns the snapshot being served, or nil before Start.
func (m *Manager) Snapshot() *phoneprov.Snapshot {
	if c := m.cur.Load(); c != nil {
		return c.snap
	}
	return nil
}

// Generation returns the number of the snapshot being served (1 for the
// first load), 0 before Start.
func (m *Manager) Generation() uint64 {
	if c := m.cur.Load(); c != nil {
		return c.generation
	}
	return 0
}

// Start loads the first snapshot. It fails when the configuration cannot be
// used at all; problems that leave something to serve are in the status.
func (m *Manager) Start() error {
	res := m.reloadWith("start", m.startLoad)
	if res.Err != nil {
		return res.Err
	}
	m.afterStart()
	return nil
}

// Reload asks the running manager to reload now, whether or not the files
// changed (SIGHUP), and waits for the outcome.
func (m *Manager) Reload(ctx context.Context, reason string) (Result, error) {
	return m.ask(ctx, request{reason: reason, force: true})
}

// Check asks the running manager to compare the files with the snapshot
// and reload if they differ, and waits for the outcome.
func (m *Manager) Check(ctx context.Context, reason string) (Result, error) {
	return m.ask(ctx, request{reason: reason})
}

func (m *Manager) ask(ctx context.Context, r request) (Result, error) {
	r.done = make(chan Result, 1)
	select {
	case m.reqs <- r:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	select {
	case res := <-r.done:
		return res, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

// check compares the files with the current snapshot and reloads when they
// differ (or always, with force).
func (m *Manager) check(reason string, force bool) Result {
	c := m.cur.Load()
	if c != nil && !force {
		what := c.deps.Changed()
		if what == "" {
			// The files are what is being served: a broken edit that was
			// undone is no longer an error.
			m.clearError()
			return Result{}
		}
		reason = what
	}
	return m.reload(reason, force)
}

// reload builds a new snapshot and swaps it in unless it is worse than the
// one being served: it failed to load, or it has errors (a missing
// template, a broken include) that the current one does not have.
func (m *Manager) reload(reason string, force bool) Result {
	return m.reloadWith(reason, m.loader.Load)
}

// reloadWith is reload with the snapshot built by load, with the settings
// read first.
func (m *Manager) reloadWith(reason string, load func(*settings.Settings) (*phoneprov.Snapshot, error)) Result {
	start := time.Now()
	prev := m.cur.Load()
	m.fromLastGood = false
	var snap *phoneprov.Snapshot
	s, err := m.loader.Settings()
	if err == nil {
		snap, err = load(s)
	}
	took := time.Since(start)
	if err == nil && prev != nil {
		if fresh := newErrors(prev.snap, snap); len(fresh) > 0 {
			err = fmt.Errorf("%w: %s", ErrRejected, strings.Join(fresh, "; "))
		}
	}
	if err != nil {
		m.lastFailedSnap = snap
		m.recordError(reason, err, snap)
		if prev != nil {
			m.log.Error("reload failed; the previous configuration keeps serving", "reason", reason, "error", err)
		} else {
			m.log.Error("cannot load the configuration; nothing is served", "error", err)
		}
		if m.cfg.OnError != nil {
			m.cfg.OnError(err)
		}
		return Result{Err: err}
	}

	next := &current{snap: snap, settings: s, generation: 1}
	if prev != nil {
		next.generation = prev.generation + 1
	}
	snap.Publish(next.generation) // before anything renders or serves it
	// Render every phone's files (filling the render cache) and
	// fingerprint them before the swap, so the first requests are served
	// from memory.
	var prevSnap *phoneprov.Snapshot
	if prev != nil {
		prevSnap = prev.snap
	}
	renderStart := time.Now()
	next.fingerprints = snap.Fingerprints(m.cfg.Server, prevSnap)
	next.deps = snap.Dependencies().Merge(settingsDeps(s))
	m.cur.Store(next)
	renderTook := time.Since(renderStart)

	sw := Swap{Generation: next.generation, Snapshot: snap, Reason: reason, Took: took, RenderTook: renderTook, LastGood: m.fromLastGood, Settings: s}
	if !sw.LastGood {
		m.liveServed(prev != nil)
	}
	if prev != nil {
		sw.Previous = prev.snap
		sw.Changes = phoneprov.Diff(prev.fingerprints, next.fingerprints)
	} else {
		sw.Changes = phoneprov.Diff(nil, next.fingerprints)
	}
	m.recordSwap(sw, len(next.deps.Paths()))
	attrs := []any{"generation", sw.Generation, "reason", reason,
		"took", took.Round(time.Microsecond).String(), "render_took", renderTook.Round(time.Microsecond).String(),
		"snapshot", snap.String(), "derived", snap.Derived()}
	if prev != nil {
		c := sw.Changes
		m.log.Info(fmt.Sprintf("reload: %d phones changed (%d worth a NOTIFY, %d only in quiet_files), %d added, %d removed",
			len(c.Changed)+len(c.Quiet), len(c.Changed), len(c.Quiet), len(c.Added), len(c.Removed)), attrs...)
	} else {
		m.log.Info("configuration loaded", attrs...)
	}
	for _, d := range snap.Diagnostics {
		m.log.Warn("configuration problem", "severity", d.Severity.String(), "problem", d.String())
	}
	if m.cfg.OnSwap != nil {
		m.cfg.OnSwap(sw)
	}
	return Result{Reloaded: true, Swap: &sw}
}

// newErrors returns the error diagnostics of next that cur does not have.
func newErrors(cur, next *phoneprov.Snapshot) []string {
	var have []string
	for _, d := range cur.Errors() {
		have = append(have, d.String())
	}
	var fresh []string
	for _, d := range next.Errors() {
		if s := d.String(); !slices.Contains(have, s) {
			fresh = append(fresh, s)
		}
	}
	return fresh
}
