package resync

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sort"
	"sync/atomic"

	"github.com/phoneprovd/phoneprovd/asterisk/ami"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/metrics"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// Devices is what re-sync asks of the device inventory.
type Devices interface {
	// Vendor returns what identification last saw of a MAC.
	Vendor(mac string) (vendor, family string, ok bool)
	// LeaseAddress returns the address of a MAC's active DHCP lease.
	LeaseAddress(mac string) (netip.Addr, bool)
}

// PartConfig configures the re-sync part.
type PartConfig struct {
	// Settings are those in force at start: [resync], [profile:*], and
	// whether [ami] is configured.
	Settings *settings.Settings
	// AMI sends the NOTIFYs; nil without [ami] (re-sync is then off).
	AMI *ami.Client
	// Notifier, when set, sends the NOTIFYs instead of AMI (tests).
	Notifier Notifier
	// Snapshots is the reload manager; State keeps the queue across
	// restarts; Devices identifies phones and knows their leases.
	Snapshots phoneprov.SnapshotSource
	State     *state.Part
	Devices   Devices
	// Metrics, when set, gets the resync_phones and notifies_total
	// metrics.
	Metrics *metrics.Metrics
	Logger  *slog.Logger
}

// Part is re-sync as a part of the daemon: when [resync] is on (by default
// when [ami] is configured) it notifies the phones each reload changed,
// confirms each by its next fetch, serves POST /resync and the phones'
// re-sync state, and follows [resync] and [profile:*] while it runs.
// Off, it does nothing and has no routes or status.
type Part struct {
	cfg PartConfig
	log *slog.Logger
	on  bool // at start; a change needs a restart
	r   *Resyncer
	pol atomic.Pointer[Policy]
}

// NewPart returns the re-sync part.
func NewPart(cfg PartConfig) *Part {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := cfg.Settings
	p := &Part{cfg: cfg, log: log, on: s.Resync.On(s.AMI.Enabled)}
	if cfg.Notifier == nil && cfg.AMI != nil {
		cfg.Notifier = AMINotifier{Client: cfg.AMI}
		p.cfg.Notifier = cfg.Notifier
	}
	if cfg.Notifier == nil {
		p.on = false
		return p
	}
	if !p.on {
		return p
	}
	p.r = New(Config{
		Notifier:       cfg.Notifier,
		Rate:           s.Resync.Rate,
		Jitter:         s.Resync.Jitter,
		ConfirmTimeout: s.Resync.ConfirmTimeout,
		Logger:         log,
	})
	p.setPolicy(s)
	if m := cfg.Metrics; m != nil {
		m.LabeledFunc("resync_phones", "Phones by re-sync state.", "state", false, func() map[string]float64 {
			out := map[string]float64{}
			for k, v := range p.r.Status().Phones {
				out[k] = float64(v)
			}
			return out
		})
		m.LabeledFunc("notifies_total", "Re-sync NOTIFYs by result: sent, failed (refused by Asterisk), confirmed (the phone fetched), timed_out.", "result", true, func() map[string]float64 {
			out := map[string]float64{"sent": 0, "failed": 0, "confirmed": 0, "timed_out": 0}
			for k, v := range p.r.Status().Totals {
				out[k] = float64(v)
			}
			return out
		})
	}
	return p
}

// setPolicy makes the policy of s's [profile:*] sections the one in force.
func (p *Part) setPolicy(s *settings.Settings) {
	pol := &Policy{Profiles: make(map[string]ProfilePolicy)}
	if d := p.cfg.Devices; d != nil {
		pol.Vendor, pol.Address = d.Vendor, d.LeaseAddress
	}
	for name, pr := range s.Profiles {
		pol.Profiles[name] = ProfilePolicy{Event: pr.NotifyEvent, Option: pr.NotifyOption, Off: !pr.Resync}
	}
	p.pol.Store(pol)
}

// Resyncer returns the queue, nil when re-sync is off.
func (p *Part) Resyncer() *Resyncer { return p.r }

// Name implements daemon.Part.
func (p *Part) Name() string { return "resync" }

// Start runs the queue and takes up the one saved before a restart (or a
// crash), all of it: a phone missing from the first snapshot may only
// wait for Asterisk's first answer (its endpoint exists only in the PBX).
// It must be listed after the part that loads the first snapshot.
func (p *Part) Start(_ context.Context, h *daemon.Host) error {
	s := p.cfg.Settings
	if p.r == nil {
		if s.Resync.On(s.AMI.Enabled) {
			p.log.Warn("[resync] is enabled but [ami] is not configured: no phone will be notified")
		}
		return nil
	}
	h.Go(func(ctx context.Context) { p.r.Run(ctx) })
	st := p.cfg.State.Store()
	if err := p.r.Restore(st, p.cfg.Snapshots.Snapshot().Generation(), nil); err != nil {
		return err
	}
	st.Register(p.r)
	return nil
}

// Swapped queues a NOTIFY for each phone the reload changed or added, and
// forgets those it removed.
func (p *Part) Swapped(sw reload.Swap) {
	if p.r == nil || sw.Previous == nil {
		return // starting is not a change
	}
	pol := p.pol.Load()
	for _, mac := range append(append([]string(nil), sw.Changes.Changed...), sw.Changes.Added...) {
		// A firmware rollout moved it to another firmware: it must know.
		moved := sw.Snapshot.FirmwareMoved(sw.Previous, mac)
		if !moved && sw.Snapshot.FirstAnswered(sw.Previous, mac) {
			// Asterisk answered for the first time (it was not up yet
			// when phoneprovd started): the phone was not edited.
			p.log.Debug("not re-syncing a phone whose values came with Asterisk's first answer", "mac", mac)
			continue
		}
		if !moved && sw.Snapshot.FirstIdentified(sw.Previous, mac) {
			// The phone said what it is (its plugin's files depend on
			// it) and has just fetched them: it was not edited.
			p.log.Debug("not re-syncing a phone whose plugin files changed with its identification", "mac", mac)
			continue
		}
		if sw.Snapshot.FirmwareHeld(sw.Previous, mac) {
			// A firmware rollout took it in, holding its firmware.
			p.log.Debug("not re-syncing a phone a firmware rollout holds at its firmware", "mac", mac)
			continue
		}
		if n, ok := pol.For(sw.Snapshot.Phone(mac)); ok {
			p.r.Enqueue(n, sw.Generation, sw.Reason, false)
		}
	}
	for _, mac := range sw.Changes.Removed {
		p.r.Forget(mac)
	}
}

// Fetched confirms the re-sync of a phone that fetched its new files.
func (p *Part) Fetched(mac string, generation uint64) {
	if p.r != nil {
		p.r.Fetched(mac, generation)
	}
}

// State returns a phone's re-sync state, "" when re-sync is off.
func (p *Part) State(mac string) string {
	if p.r == nil {
		return ""
	}
	st, _ := p.r.Phone(mac)
	return st.State
}

// Status is the /status "resync" section; none when re-sync is off.
func (p *Part) Status() any {
	if p.r == nil {
		return nil
	}
	return p.r.Status()
}

// AdminRoutes serves POST /resync and the "resync" section of each
// phone's status, when re-sync is on.
func (p *Part) AdminRoutes(a *admin.Server) {
	if p.r == nil {
		return
	}
	a.PhoneSection("resync", func(mac string) (any, bool) {
		st, _ := p.r.Phone(mac)
		if snap := p.cfg.Snapshots.Snapshot(); (snap == nil || snap.Phone(mac) == nil) && st.State == InSync {
			return nil, false
		}
		return st, true
	})
	a.Handle("POST /resync", http.HandlerFunc(p.serveResync))
}

// Reconfigure applies [resync] rate, jitter and confirm_timeout and the
// [profile:*] events and resync switches; turning re-sync on or off needs
// a restart.
func (p *Part) Reconfigure(s *settings.Settings) ([]string, error) {
	var restart []string
	if on := s.Resync.On(s.AMI.Enabled) && p.cfg.Notifier != nil; on != (p.r != nil) {
		state := "off"
		if p.r != nil {
			state = "on"
		}
		restart = append(restart, daemon.NeedsRestart("[resync] enabled", "re-sync "+state))
	}
	if p.r != nil {
		p.r.SetPace(s.Resync.Rate, s.Resync.Jitter, s.Resync.ConfirmTimeout)
		p.setPolicy(s)
	}
	return restart, nil
}

// Request is the body of POST /resync: {"phones": [MAC...]} or
// {"all": true}.
type Request struct {
	Phones []string `json:"phones"`
	All    bool     `json:"all"`
}

// Result answers POST /resync.
type Result struct {
	Queued  []string `json:"queued"`
	Unknown []string `json:"unknown,omitempty"` // no such MAC
	Skipped []string `json:"skipped,omitempty"` // no endpoint, or resync = no for its profile
	Error   string   `json:"error,omitempty"`
}

// Queue queues a re-sync of the phones with these MACs (every phone with
// all), as an administrator asked (POST /resync, the console), and saves
// the queue before returning: acknowledged means saved.
func (p *Part) Queue(macs []string, all bool) (Result, error) {
	var res Result
	if p.r == nil {
		return res, fmt.Errorf("re-sync is off: it needs [ami] in phoneprovd.conf")
	}
	snap := p.cfg.Snapshots.Snapshot()
	if all {
		macs = nil
		for _, ph := range snap.Phones() {
			macs = append(macs, ph.MAC)
		}
	}
	pol := p.pol.Load()
	for _, mac := range macs {
		ph := snap.Phone(mac)
		if ph == nil {
			res.Unknown = append(res.Unknown, mac)
			continue
		}
		n, ok := pol.For(ph)
		if !ok {
			res.Skipped = append(res.Skipped, mac)
			continue
		}
		p.r.Enqueue(n, snap.Generation(), "requested by an administrator", true)
		res.Queued = append(res.Queued, mac)
	}
	sort.Strings(res.Queued)
	return res, p.cfg.State.Store().Flush()
}

func (p *Part) serveResync(w http.ResponseWriter, req *http.Request) {
	var body Request
	if err := json.NewDecoder(http.MaxBytesReader(w, req.Body, 1<<20)).Decode(&body); err != nil {
		admin.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "body must be {\"phones\": [MAC...]} or {\"all\": true}"})
		return
	}
	res, err := p.Queue(body.Phones, body.All)
	if err != nil {
		res.Error = "queued, but not saved (a restart would lose the request): " + err.Error()
		admin.WriteJSON(w, http.StatusServiceUnavailable, res)
		return
	}
	admin.WriteJSON(w, http.StatusOK, res)
}
