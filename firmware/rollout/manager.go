package rollout

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/phoneprovd/phoneprovd/family"
)

// Fleet is what a rollout reads of the daemon: the phones of the
// configuration served, the plugin's packages, what was seen of devices.
type Fleet interface {
	// Phones returns the phones the plugin serves in the configuration
	// being served (those waiting to be identified left out); an error
	// when no such plugin is loaded.
	Phones(plugin string) ([]Candidate, error)
	// Package returns one of the plugin's firmware packages.
	Package(plugin, id string) (Package, error)
	// Device returns what was seen of the device with this MAC (12
	// lower-case hex digits).
	Device(mac string) (Device, bool)
}

// Candidate is a phone a rollout may take.
type Candidate struct {
	MAC       string // 12 lower-case hex digits
	Vendor    string
	Model     string
	Profile   string
	Endpoints []string // of its lines, lowest line first
	// PluginFile is the firmware file its plugin names for its model
	// (HasFile false: none); File the one its files name now (a pin of an
	// earlier rollout may hold it elsewhere).
	PluginFile string
	HasFile    bool
	File       string
	// Firmware is the version its User-Agent reported last ("" never seen).
	Firmware string
}

// Package is a firmware package of a plugin.
type Package struct {
	ID      string
	Version string
	// Files are the firmware files the package brings, relative to
	// var/tftpboot once installed (firmware/T46S(…)-66.86.0.15.rom), else
	// the names of its downloads (pkgs.db's).
	Files     []string
	Installed bool
}

// Device is what was seen of a device.
type Device struct {
	Firmware string  // as its User-Agent reported last
	Fetches  []Fetch // its latest requests, oldest first
}

// Fetch is one request of a device.
type Fetch struct {
	At     time.Time
	Proto  string // http or tftp
	File   string // the route, relative to /phoneprov/
	Status string // "200", "206", "404", …; TFTP's outcome ("completed")
}

// Config configures a Manager.
type Config struct {
	Fleet Fleet
	// Reload asks the daemon for a new snapshot, because the pins
	// changed, and waits for it.
	Reload func(ctx context.Context, reason string)
	// Flush saves the state now (an administrator's request is saved
	// before it is answered); nil when nothing is saved.
	Flush func() error
	// NoRegistrations: nothing reports registrations (neither AMI nor ARI
	// is configured), so the register step is not checked.
	NoRegistrations bool
	// Interval is how often phones are checked (default 1 s).
	Interval time.Duration
	Logger   *slog.Logger
	Now      func() time.Time
}

// Errors of the requests.
var (
	ErrNotFound = errors.New("no such rollout")
	ErrState    = errors.New("not possible in this state")
	ErrConflict = errors.New("phones are in another rollout")
	ErrInvalid  = errors.New("invalid rollout")
)

// Manager holds every rollout, moves them on and answers the engine's
// question: which firmware file does this phone's configuration name.
// Its methods are safe for concurrent use.
type Manager struct {
	cfg  Config
	log  *slog.Logger
	now  func() time.Time
	kick chan struct{}

	mu       sync.Mutex
	rollouts []*Rollout // by creation
	byID     map[string]*Rollout
	byMAC    map[string]*Phone // the newest rollout's phone of each MAC
	byEP     map[string][]*Phone
	nextSeq  int
	reload   []string // why a new snapshot is wanted
	upgrades atomic.Int64

	// Persistence (persist.go): keys changed since the last Collect, and
	// those the last Collect sent.
	tracking bool
	dirty    map[string]bool
	sent     []string
}

// New returns a Manager; Restore reads the saved rollouts, Run moves them.
func New(cfg Config) *Manager {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	m := &Manager{cfg: cfg, log: cfg.Logger, now: cfg.Now, kick: make(chan struct{}, 1),
		byID: map[string]*Rollout{}, byMAC: map[string]*Phone{}, byEP: map[string][]*Phone{},
		nextSeq: 1, dirty: map[string]bool{}}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	if m.now == nil {
		m.now = time.Now
	}
	return m
}

// Request asks for a rollout (POST /firmware/rollouts).
type Request struct {
	Plugin      string   `json:"plugin"`
	Package     string   `json:"package"`
	Waves       string   `json:"waves,omitempty"`        // default DefaultWaves
	Select      []string `json:"select,omitempty"`       // KEY=VALUE
	MACs        []string `json:"macs,omitempty"`         // only these phones (a file of MACs)
	Deadline    string   `json:"deadline,omitempty"`     // per step, default DefaultDeadline
	MaxFailures string   `json:"max_failures,omitempty"` // default DefaultMaxFailures
}

// DefaultDeadline is how long each step of a phone may take.
const DefaultDeadline = 30 * time.Minute

// Create starts a rollout: the selected phones of req.Plugin whose model
// req.Package's firmware is for are held at the firmware their files name
// now, and moved to the package's in waves. Errors wrap ErrInvalid (a bad
// request, no phone to upgrade) or ErrConflict.
func (m *Manager) Create(req Request) (Summary, error) {
	if req.Waves == "" {
		req.Waves = DefaultWaves
	}
	if req.MaxFailures == "" {
		req.MaxFailures = DefaultMaxFailures
	}
	steps, err := ParseWaves(req.Waves)
	if err != nil {
		return Summary{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	threshold, err := ParseThreshold(req.MaxFailures)
	if err != nil {
		return Summary{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	deadline := DefaultDeadline
	if req.Deadline != "" {
		if deadline, err = time.ParseDuration(req.Deadline); err != nil || deadline <= 0 {
			return Summary{}, fmt.Errorf("%w: deadline: %q is not a duration above 0 (e.g. 30m)", ErrInvalid, req.Deadline)
		}
	}
	sel, err := ParseSelector(req.Select, req.MACs)
	if err != nil {
		return Summary{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if req.Plugin == "" || req.Package == "" {
		return Summary{}, fmt.Errorf("%w: name the plugin and the package", ErrInvalid)
	}
	pkg, err := m.cfg.Fleet.Package(req.Plugin, req.Package)
	if err != nil {
		return Summary{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if pkg.Version == "" {
		return Summary{}, fmt.Errorf("%w: package %s of %s has no version in pkgs.db: a rollout needs the version the phones will report", ErrInvalid, req.Package, req.Plugin)
	}
	cands, err := m.cfg.Fleet.Phones(req.Plugin)
	if err != nil {
		return Summary{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	names := map[string]string{} // file name → its path in the package
	for _, f := range pkg.Files {
		names[path.Base(f)] = f
	}
	var (
		take      []Candidate
		uncovered = map[string]string{} // model → the file its plugin names
		file      string
	)
	for _, c := range cands {
		if !sel.Match(c) {
			continue
		}
		if _, ok := names[c.PluginFile]; !c.HasFile || !ok {
			uncovered[c.Model] = c.PluginFile
			continue
		}
		if file != "" && c.PluginFile != file {
			return Summary{}, fmt.Errorf("%w: package %s brings several firmware files the selected phones use (%s, %s): select one model family with -select model=", ErrInvalid, req.Package, file, c.PluginFile)
		}
		file = c.PluginFile
		take = append(take, c)
	}
	if len(take) == 0 {
		return Summary{}, fmt.Errorf("%w: %s", ErrInvalid, nothingCovered(req, pkg, len(cands), uncovered))
	}

	m.mu.Lock()
	r, err := m.create(req, pkg, file, names, take, steps, threshold, deadline)
	m.mu.Unlock()
	if err != nil {
		return Summary{}, err
	}
	return r, m.flush()
}

// create is Create once the phones are chosen; m.mu is held.
func (m *Manager) create(req Request, pkg Package, file string, names map[string]string, take []Candidate, steps []Step, threshold Threshold, deadline time.Duration) (Summary, error) {
	var busy []string
	for _, c := range take {
		if p := m.byMAC[c.MAC]; p != nil && active(p.r.State) && p.Status != Reverted {
			busy = append(busy, c.MAC+" ("+p.r.ID+")")
		}
	}
	if len(busy) > 0 {
		return Summary{}, fmt.Errorf("%w: %s", ErrConflict, list(busy, 5))
	}
	now := m.now()
	r := &Rollout{ID: "r" + strconv.Itoa(m.nextSeq), Seq: m.nextSeq, Plugin: req.Plugin, Package: pkg.ID, Version: pkg.Version, File: file,
		Settings: Settings{Waves: req.Waves, Select: req.Select, MACs: len(req.MACs), Deadline: deadline, MaxFailures: req.MaxFailures},
		State:    Pending, Wave: -1, Created: now, Updated: now}
	m.nextSeq++
	if pkg.Installed {
		r.Route = names[file]
	}
	// The phones in a stable order that spreads models and sites over
	// the waves: by a digest of the rollout and the MAC.
	sort.Slice(take, func(i, j int) bool { return spread(r.ID, take[i].MAC) < spread(r.ID, take[j].MAC) })
	models, from := map[string]bool{}, map[string]bool{}
	var upgrade []*Phone
	for i, c := range take {
		p := &Phone{MAC: c.MAC, Order: i, Model: c.Model, Profile: c.Profile, Endpoints: c.Endpoints, From: c.Firmware,
			Old: c.File, Status: Waiting, r: r}
		if p.Old == file {
			p.Old = "" // what it named is what is rolled out: hold it at none
		}
		if r.Vendor == "" {
			r.Vendor = c.Vendor
		}
		models[c.Model] = true
		if c.Firmware == pkg.Version {
			p.Status, p.Wave, p.Reported = Current, -1, c.Firmware
		} else {
			upgrade = append(upgrade, p)
			if c.Firmware != "" {
				from[c.Firmware] = true
			}
		}
		r.phones = append(r.phones, p)
	}
	if len(upgrade) == 0 {
		return Summary{}, fmt.Errorf("%w: the %d selected phones already run %s", ErrInvalid, len(take), pkg.Version)
	}
	r.Models, r.From = sortedKeys(models), sortedKeys(from)
	for w, size := range Sizes(steps, len(upgrade)) {
		r.Waves = append(r.Waves, Wave{Size: size, Threshold: threshold.For(size)})
		for _, p := range upgrade[:size] {
			p.Wave = w
		}
		upgrade = upgrade[size:]
	}
	r.Message = fmt.Sprintf("%d phones held at their firmware; wave 1 starts shortly", r.summary().Waiting)
	if !pkg.Installed {
		r.Message = m.notInstalled(r)
	}
	m.add(r)
	m.markAll(r)
	m.wantReload(fmt.Sprintf("firmware rollout %s created: %d phones held", r.ID, len(r.phones)))
	m.log.Info("firmware rollout created", "rollout", r.ID, "plugin", r.Plugin, "package", r.Package, "version", r.Version,
		"phones", len(r.phones), "waves", len(r.Waves), "current", r.summary().Current)
	return r.summary(), nil
}

// nothingCovered says why no phone was taken.
func nothingCovered(req Request, pkg Package, plugin int, uncovered map[string]string) string {
	if plugin == 0 {
		return fmt.Sprintf("plugin %s serves no phone (none configured, or all waiting to be identified)", req.Plugin)
	}
	if len(uncovered) == 0 {
		return fmt.Sprintf("no phone of %s matches %s", req.Plugin, strings.Join(req.Select, " "))
	}
	var models []string
	for model, f := range uncovered {
		if f == "" {
			f = "no firmware file (its templates name the firmware themselves)"
		}
		models = append(models, model+" → "+f)
	}
	sort.Strings(models)
	var files []string
	for _, f := range pkg.Files {
		files = append(files, path.Base(f))
	}
	msg := fmt.Sprintf("package %s (%s) is for no selected phone of %s: it brings %s; for the selected phones the plugin names %s",
		pkg.ID, pkg.Version, req.Plugin, orNone(strings.Join(files, ", ")), list(models, 5))
	if !pkg.Installed {
		msg += " (the package is not installed: these are the names of its downloads, which its installation may unpack or rename)"
	}
	return msg
}

// spread orders phones in a way that does not follow the MACs.
func spread(id, mac string) string {
	sum := sha256.Sum256([]byte(id + "/" + mac))
	return string(sum[:8]) + mac
}

// add indexes r; m.mu is held.
func (m *Manager) add(r *Rollout) {
	m.rollouts = append(m.rollouts, r)
	m.byID[r.ID] = r
	r.index = make(map[string]*Phone, len(r.phones))
	for _, p := range r.phones {
		r.index[p.MAC] = p
		if old := m.byMAC[p.MAC]; old != nil {
			for _, ep := range old.Endpoints {
				m.byEP[ep] = slices.DeleteFunc(m.byEP[ep], func(q *Phone) bool { return q == old })
			}
		}
		m.byMAC[p.MAC] = p
		for _, ep := range p.Endpoints {
			m.byEP[ep] = append(m.byEP[ep], p)
		}
		if p.Status == Upgrading {
			m.upgrades.Add(1)
		}
	}
}

// wantReload asks Run for a new snapshot; m.mu is held.
func (m *Manager) wantReload(reason string) {
	m.reload = append(m.reload, reason)
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// Pin returns the firmware file phone mac (12 lower-case hex digits) of
// plugin must name: the file it is held at while its wave has not started
// (hold), the new one once it has; ok is false when no rollout chooses
// (none took the phone, or the rollout that did is done).
func (m *Manager) Pin(plugin, mac string) (file string, hold, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.byMAC[mac]
	if p == nil || p.r.Plugin != plugin || p.r.State == Done {
		return "", false, false
	}
	switch p.Status {
	case Waiting, Reverted:
		return p.Old, true, true
	}
	return p.r.File, false, true
}

// Fetched is told that phone mac fetched one of its dynamic files from
// snapshot generation gen: its configuration, when that generation serves
// its new one. It is on the path of every request: cheap.
func (m *Manager) Fetched(mac string, gen uint64) {
	if m.upgrades.Load() == 0 {
		return
	}
	norm, ok := family.NormalizeMAC(mac)
	if !ok {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.byMAC[norm]
	if p == nil || p.Status != Upgrading || !p.served || gen < p.servedGen || !p.Config.IsZero() {
		return
	}
	p.Config, p.ConfigVia = m.now(), "fetched"
	m.markPhone(p)
}

// Contact is told that Asterisk reported a contact of endpoint (or AOR)
// registered (registered) or not, at.
func (m *Manager) Contact(endpoint, aor string, registered bool, at time.Time) {
	if !registered || m.upgrades.Load() == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	phones := m.byEP[endpoint]
	if len(phones) == 0 && aor != endpoint {
		phones = m.byEP[aor]
	}
	for _, p := range phones {
		if p.Status == Upgrading && at.After(p.Registered) {
			p.Registered = at
			m.markPhone(p)
		}
	}
}

// Served says which firmware file a snapshot's configuration of phone mac
// names; ok is false when the phone is not in it.
type Served func(mac string) (file string, ok bool)

// Swapped is told that snapshot generation gen is served: the phones
// whose new configuration it serves for the first time now have to fetch
// it.
func (m *Manager) Swapped(gen uint64, served Served) {
	if m.upgrades.Load() == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for _, r := range m.rollouts {
		if !active(r.State) || r.Wave < 0 {
			continue
		}
		for _, p := range r.phones {
			if p.Status != Upgrading || p.served {
				continue
			}
			if f, ok := served(p.MAC); ok && f == r.File {
				p.served, p.servedGen = true, gen
				if p.Served.IsZero() {
					p.Served = now
					m.markPhone(p)
				}
			}
		}
	}
}

// List returns every rollout, newest first.
func (m *Manager) List() []Summary {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Summary, 0, len(m.rollouts))
	for i := len(m.rollouts) - 1; i >= 0; i-- {
		out = append(out, m.rollouts[i].summary())
	}
	return out
}

// Get returns one rollout with its phones.
func (m *Manager) Get(id string) (Detail, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.byID[id]
	if r == nil {
		return Detail{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	d := Detail{Summary: r.summary()}
	for _, p := range r.phones {
		q := *p
		q.Endpoints = append([]string(nil), p.Endpoints...)
		d.PhoneList = append(d.PhoneList, q)
	}
	return d, nil
}

// Pause stops a rollout from starting new waves.
func (m *Manager) Pause(id string) (Summary, error) {
	return m.change(id, func(r *Rollout, now time.Time) error {
		if r.State != Pending && r.State != Running {
			return fmt.Errorf("%w: rollout %s is %s; only a pending or running one can be paused", ErrState, r.ID, r.State)
		}
		r.State = Paused
		r.Message = "paused by an administrator: no new wave starts"
		m.log.Info("firmware rollout paused", "rollout", r.ID)
		return nil
	})
}

// Resume goes on with a paused or halted rollout; a halted wave's
// failures are accepted.
func (m *Manager) Resume(id string) (Summary, error) {
	return m.change(id, func(r *Rollout, now time.Time) error {
		switch r.State {
		case Paused:
		case Halted:
			if r.Wave >= 0 {
				r.Waves[r.Wave].Accepted = true
			}
		default:
			return fmt.Errorf("%w: rollout %s is %s; only a paused or halted one can be resumed", ErrState, r.ID, r.State)
		}
		r.State = Running
		if r.Wave < 0 {
			r.State = Pending
		}
		r.Message = "resumed by an administrator"
		m.log.Info("firmware rollout resumed", "rollout", r.ID)
		m.kickRun()
		return nil
	})
}

// Abort stops a rollout for good: every phone not upgraded is served its
// old configuration again.
func (m *Manager) Abort(id string) (Summary, error) {
	return m.change(id, func(r *Rollout, now time.Time) error {
		if !active(r.State) {
			return fmt.Errorf("%w: rollout %s is %s already", ErrState, r.ID, r.State)
		}
		n := 0
		for _, p := range r.phones {
			switch p.Status {
			case Waiting, Upgrading, Failed:
				if p.Status == Upgrading {
					m.upgrades.Add(-1)
				}
				if p.Status != Waiting {
					n++
				}
				p.Status, p.Ended = Reverted, now
				m.markPhone(p)
			}
		}
		r.State = Aborted
		if r.Wave >= 0 && r.Waves[r.Wave].Ended.IsZero() {
			r.Waves[r.Wave].Ended = now
		}
		r.Message = fmt.Sprintf("aborted by an administrator: %d phones not upgraded are served their old configuration (%d of them had started)",
			r.summary().Reverted, n)
		m.wantReload(fmt.Sprintf("firmware rollout %s aborted", r.ID))
		m.log.Info("firmware rollout aborted", "rollout", r.ID, "reverted", r.summary().Reverted)
		return nil
	})
}

// change applies f to rollout id and saves it before returning.
func (m *Manager) change(id string, f func(r *Rollout, now time.Time) error) (Summary, error) {
	m.mu.Lock()
	r := m.byID[id]
	if r == nil {
		m.mu.Unlock()
		return Summary{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	now := m.now()
	if err := f(r, now); err != nil {
		m.mu.Unlock()
		return Summary{}, err
	}
	r.Updated = now
	m.markRollout(r)
	s := r.summary()
	m.mu.Unlock()
	return s, m.flush()
}

// flush saves the state, when there is a store.
func (m *Manager) flush() error {
	if m.cfg.Flush == nil {
		return nil
	}
	if err := m.cfg.Flush(); err != nil {
		return &SaveError{Err: err}
	}
	return nil
}

func (m *Manager) kickRun() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// list joins items, at most n of them and how many more.
func list(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
