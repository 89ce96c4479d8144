package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"sort"

	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/resync"
)

// startResync sends SIP NOTIFYs through AMI to the phones each reload
// changed, when [resync] is on (by default when [ami] is configured).
func (d *daemon) startResync(ctx context.Context) {
	s := d.settings
	if !s.Resync.On(s.AMI.Enabled) {
		return
	}
	if d.ami == nil {
		d.log.Warn("[resync] is enabled but [ami] is not configured: no phone will be notified")
		return
	}
	pol := resync.Policy{Profiles: make(map[string]resync.ProfilePolicy), Vendor: d.inventory.Vendor, Address: d.leaseAddress}
	for name, p := range s.Profiles {
		pol.Profiles[name] = resync.ProfilePolicy{Event: p.NotifyEvent, Option: p.NotifyOption, Off: !p.Resync}
	}
	r := resync.New(resync.Config{
		Notifier:       resync.AMINotifier{Client: d.ami},
		Rate:           s.Resync.Rate,
		Jitter:         s.Resync.Jitter,
		ConfirmTimeout: s.Resync.ConfirmTimeout,
		Logger:         d.log.With("component", "resync"),
	})
	d.run(ctx, func(ctx context.Context) { r.Run(ctx) })
	// The queue saved before a restart (or a crash) is taken up again, all
	// of it: a phone missing from the first snapshot may only wait for
	// Asterisk's first answer (its endpoint exists only in the PBX).
	d.afterStart = append(d.afterStart, func() error {
		snap := d.manager.Snapshot()
		if err := r.Restore(d.state, snap.Generation, nil); err != nil {
			return err
		}
		d.state.Register(r)
		return nil
	})
	d.onSwap = append(d.onSwap, func(sw reload.Swap) {
		if sw.Previous == nil {
			return // starting is not a change
		}
		for _, mac := range append(append([]string(nil), sw.Changes.Changed...), sw.Changes.Added...) {
			// A firmware rollout moved it to another firmware: it must know.
			moved := sw.Snapshot.FirmwareMoved(sw.Previous, mac)
			if !moved && sw.Snapshot.FirstAnswered(sw.Previous, mac) {
				// Asterisk answered for the first time (it was not up yet
				// when phoneprovd started): the phone was not edited.
				d.log.Debug("not re-syncing a phone whose values came with Asterisk's first answer", "mac", mac)
				continue
			}
			if !moved && sw.Snapshot.FirstIdentified(sw.Previous, mac) {
				// The phone said what it is (its plugin's files depend on
				// it) and has just fetched them: it was not edited.
				d.log.Debug("not re-syncing a phone whose plugin files changed with its identification", "mac", mac)
				continue
			}
			if sw.Snapshot.FirmwareHeld(sw.Previous, mac) {
				// A firmware rollout took it in, holding its firmware.
				d.log.Debug("not re-syncing a phone a firmware rollout holds at its firmware", "mac", mac)
				continue
			}
			if n, ok := pol.For(sw.Snapshot.Phone(mac)); ok {
				r.Enqueue(n, sw.Generation, sw.Reason, false)
			}
		}
		for _, mac := range sw.Changes.Removed {
			r.Forget(mac)
		}
	})
	d.onFetch = append(d.onFetch, r.Fetched)
	d.resyncState = func(mac string) string {
		st, _ := r.Phone(mac)
		return st.State
	}
	d.admin.Section("resync", func() any { return r.Status() })
	d.resyncStatus = r.Status
	d.admin.PhoneSection("resync", func(mac string) (any, bool) {
		st, _ := r.Phone(mac)
		if d.manager.Snapshot().Phone(mac) == nil && st.State == resync.InSync {
			return nil, false
		}
		return st, true
	})
	d.resyncer = r
	d.requestResync = func(macs []string, all bool) (resyncResult, error) {
		return d.queueResync(r, pol, macs, all)
	}
	d.admin.Handle("POST /resync", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var body resyncRequest
		if err := json.NewDecoder(http.MaxBytesReader(w, req.Body, 1<<20)).Decode(&body); err != nil {
			admin.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "body must be {\"phones\": [MAC...]} or {\"all\": true}"})
			return
		}
		res, err := d.requestResync(body.Phones, body.All)
		if err != nil {
			res.Error = "queued, but not saved (a restart would lose the request): " + err.Error()
			admin.WriteJSON(w, http.StatusServiceUnavailable, res)
			return
		}
		admin.WriteJSON(w, http.StatusOK, res)
	}))
}

// queueResync queues a re-sync of the phones with these MACs (every phone
// with all), as an administrator asked (POST /resync, the console), and
// saves the queue before returning: acknowledged means saved.
func (d *daemon) queueResync(r *resync.Resyncer, pol resync.Policy, macs []string, all bool) (resyncResult, error) {
	snap := d.manager.Snapshot()
	if all {
		macs = nil
		for _, p := range snap.Phones() {
			macs = append(macs, p.MAC)
		}
	}
	var res resyncResult
	for _, mac := range macs {
		p := snap.Phone(mac)
		if p == nil {
			res.Unknown = append(res.Unknown, mac)
			continue
		}
		n, ok := pol.For(p)
		if !ok {
			res.Skipped = append(res.Skipped, mac)
			continue
		}
		r.Enqueue(n, snap.Generation, "requested by an administrator", true)
		res.Queued = append(res.Queued, mac)
	}
	sort.Strings(res.Queued)
	return res, d.state.Flush()
}

// resyncRequest is the body of POST /resync.
type resyncRequest struct {
	Phones []string `json:"phones"`
	All    bool     `json:"all"`
}

// resyncResult answers POST /resync.
type resyncResult struct {
	Queued  []string `json:"queued"`
	Unknown []string `json:"unknown,omitempty"` // no such MAC
	Skipped []string `json:"skipped,omitempty"` // no endpoint, or resync = no for its profile
	Error   string   `json:"error,omitempty"`
}

// leaseAddress is where a phone without an endpoint can be notified: the
// address of its active DHCP lease.
func (d *daemon) leaseAddress(mac string) (netip.Addr, bool) {
	l, ok := d.inventory.LastLease(mac)
	if !ok || !l.Active {
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(l.IP)
	return ip, err == nil
}
