package rollout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	plugin  = "wazo-yealink-v86"
	pkgID   = "T46S_T48S_T42S_T41S-fw"
	newFW   = "66.86.0.15"
	oldFW   = "66.86.0.10"
	newFile = "T46S(T48S,T42S,T41S)-66.86.0.15.rom"
	route   = "firmware/" + newFile
)

// clock is a fake clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fleet is a fake Fleet: T46S phones (and T27G phones, which the
// package is not for), the package, and what was seen of each device.
type fleet struct {
	mu        sync.Mutex
	phones    []Candidate
	pkg       Package
	devices   map[string]*Device
	pluginErr error
}

func newFleet(t46s, t27g int) *fleet {
	f := &fleet{devices: map[string]*Device{},
		pkg: Package{ID: pkgID, Version: newFW, Files: []string{route}, Installed: true}}
	for i := range t46s {
		mac := fmt.Sprintf("805ec0aa%04x", i)
		f.phones = append(f.phones, Candidate{MAC: mac, Vendor: "Yealink", Model: "T46S", Profile: "desk",
			Endpoints: []string{"ep" + mac}, PluginFile: newFile, HasFile: true, File: newFile, Firmware: oldFW})
		f.devices[mac] = &Device{Firmware: oldFW}
	}
	for i := range t27g {
		mac := fmt.Sprintf("805ec0bb%04x", i)
		f.phones = append(f.phones, Candidate{MAC: mac, Vendor: "Yealink", Model: "T27G", Profile: "desk",
			Endpoints: []string{"ep" + mac}, PluginFile: "T27G-69.86.0.15.rom", HasFile: true, File: "T27G-69.86.0.15.rom", Firmware: "69.86.0.10"})
	}
	return f
}

func (f *fleet) Phones(p string) ([]Candidate, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pluginErr != nil {
		return nil, f.pluginErr
	}
	if p != plugin {
		return nil, fmt.Errorf("no plugin %s is loaded", p)
	}
	return slices.Clone(f.phones), nil
}

func (f *fleet) Package(p, id string) (Package, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p != plugin || id != f.pkg.ID {
		return Package{}, fmt.Errorf("plugin %s has no package %s", p, id)
	}
	return f.pkg, nil
}

func (f *fleet) Device(mac string) (Device, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devices[mac]
	if d == nil {
		return Device{}, false
	}
	return Device{Firmware: d.Firmware, Fetches: slices.Clone(d.Fetches)}, true
}

func (f *fleet) fetch(mac string, at time.Time, proto, file, status string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devices[mac]
	d.Fetches = append(d.Fetches, Fetch{At: at, Proto: proto, File: file, Status: status})
}

func (f *fleet) report(mac, version string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.devices[mac].Firmware = version
}

// site is a Manager on a fake fleet and clock whose reloads build a fake
// snapshot: each phone's firmware file is what Pin says, else the
// plugin's.
type site struct {
	t       *testing.T
	clock   *clock
	fleet   *fleet
	m       *Manager
	gen     uint64
	reloads []string
	files   map[string]string // what the last snapshot serves, by MAC
}

func newSite(t *testing.T, f *fleet) *site {
	s := &site{t: t, clock: &clock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}, fleet: f}
	s.m = s.manager()
	s.swap("start")
	return s
}

func (s *site) manager() *Manager {
	return New(Config{Fleet: s.fleet, Now: s.clock.Now, Reload: func(_ context.Context, reason string) { s.swap(reason) }})
}

// swap builds a snapshot from the pins and tells the manager.
func (s *site) swap(reason string) {
	s.gen++
	s.reloads = append(s.reloads, reason)
	s.files = map[string]string{}
	for _, c := range s.fleet.phones {
		file := c.PluginFile
		if f, _, ok := s.m.Pin(plugin, c.MAC); ok {
			file = f
		}
		s.files[c.MAC] = file
	}
	s.m.Swapped(s.gen, func(mac string) (string, bool) {
		f, ok := s.files[mac]
		return f, ok
	})
}

// step runs one round of Run.
func (s *site) step() { s.m.step(context.Background()) }

// create asks for a rollout and fails the test on an error.
func (s *site) create(req Request) Summary {
	s.t.Helper()
	if req.Plugin == "" {
		req.Plugin, req.Package = plugin, pkgID
	}
	sum, err := s.m.Create(req)
	if err != nil {
		s.t.Fatal(err)
	}
	return sum
}

func (s *site) get(id string) Detail {
	s.t.Helper()
	d, err := s.m.Get(id)
	if err != nil {
		s.t.Fatal(err)
	}
	return d
}

// phones returns the rollout's phones with a status.
func (s *site) phones(id, status string) []string {
	var out []string
	for _, p := range s.get(id).PhoneList {
		if p.Status == status {
			out = append(out, p.MAC)
		}
	}
	return out
}

// How a fake phone behaves: it goes through every step, or stops before
// one.
const (
	healthy   = ""
	noConfig  = StepConfig
	noFetch   = StepFirmware
	noReg     = StepRegister
	noVersion = StepVersion
)

// upgrade makes phone mac go through the steps its behaviour allows, as
// a phone told to re-sync does: fetch its configuration, the firmware,
// reboot and register, report the new version.
func (s *site) upgrade(mac, stopAt string) {
	if stopAt == noConfig {
		return
	}
	s.clock.Advance(time.Second)
	s.m.Fetched(mac, s.gen)
	if stopAt == noFetch {
		return
	}
	s.clock.Advance(time.Second)
	s.fleet.fetch(mac, s.clock.Now(), "http", route, "206")
	if stopAt == noReg {
		return
	}
	s.clock.Advance(time.Second)
	s.m.Contact("ep"+mac, "ep"+mac, true, s.clock.Now())
	if stopAt == noVersion {
		return
	}
	s.fleet.report(mac, newFW)
}

// playWave makes the phones under way go through their steps (behaviour
// by MAC, healthy when absent), then checks.
func (s *site) playWave(id string, behaviour map[string]string) {
	for _, mac := range s.phones(id, Upgrading) {
		s.upgrade(mac, behaviour[mac])
	}
	s.step()
}

func wantErr(t *testing.T, err, target error, frag string) {
	t.Helper()
	if !errors.Is(err, target) || !strings.Contains(fmt.Sprint(err), frag) {
		t.Errorf("error %v, want %v with %q", err, target, frag)
	}
}
