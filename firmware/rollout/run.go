package rollout

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"
)

// Run checks the rollouts every Interval, and at once after a request,
// until ctx ends: it asks for a new snapshot when the pins changed, follows
// the phones under way, and moves each rollout on.
func (m *Manager) Run(ctx context.Context) {
	t := time.NewTicker(m.cfg.Interval)
	defer t.Stop()
	for {
		m.step(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-m.kick:
		}
	}
}

// step is one round of Run. The pins a request changed are served before
// the phones are checked, so that a wave starts after the holds are
// served; a wave that starts is served at the end of the round.
func (m *Manager) step(ctx context.Context) {
	m.reloadIfWanted(ctx)
	m.check()
	m.reloadIfWanted(ctx)
}

// reloadIfWanted asks for a new snapshot when the pins changed.
func (m *Manager) reloadIfWanted(ctx context.Context) {
	m.mu.Lock()
	reasons := m.reload
	m.reload = nil
	m.mu.Unlock()
	if len(reasons) > 0 && m.cfg.Reload != nil {
		m.cfg.Reload(ctx, strings.Join(reasons, "; "))
	}
}

// check follows every phone under way, from what was seen of it, and
// moves each rollout on.
func (m *Manager) check() {
	var look []*Phone
	if m.upgrades.Load() > 0 {
		m.mu.Lock()
		for _, r := range m.rollouts {
			if !active(r.State) {
				continue
			}
			for _, p := range r.phones {
				if p.Status == Upgrading {
					look = append(look, p)
				}
			}
		}
		m.mu.Unlock()
	}
	// What the inventory saw, read without holding up Fetched.
	devs := make([]Device, len(look))
	seen := make([]bool, len(look))
	for i, p := range look {
		devs[i], seen[i] = m.cfg.Fleet.Device(p.MAC)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for i, p := range look {
		if p.Status == Upgrading && active(p.r.State) {
			m.evaluate(p, devs[i], seen[i], now)
		}
	}
	for _, r := range m.rollouts {
		if active(r.State) {
			m.advance(r, now)
		}
	}
}

// evaluate records the steps phone p went through, from what was seen of
// it (dev, when seen), and fails it when a step did not come in time.
func (m *Manager) evaluate(p *Phone, dev Device, seen bool, now time.Time) {
	r := p.r
	changed := false
	if seen {
		if dev.Firmware != p.Reported {
			p.Reported, changed = dev.Firmware, true
		}
		if p.Firmware.IsZero() && r.Route != "" {
			for _, f := range dev.Fetches {
				if !f.At.Before(p.Started) && strings.TrimPrefix(f.File, "/") == r.Route && fetchedWhole(f.Status) {
					p.Firmware, p.FirmwareVia, changed = f.At, f.Proto, true
					break
				}
			}
		}
		if p.Version.IsZero() && dev.Firmware == r.Version {
			p.Version, changed = now, true
			if p.Firmware.IsZero() {
				// It fetched it where the fetch could not be told to be
				// its own (a TFTP transfer from an address phones share).
				p.Firmware, p.FirmwareVia = now, "implied by the new version"
			}
		}
	}
	if p.Config.IsZero() && !p.Firmware.IsZero() {
		p.Config, p.ConfigVia, changed = p.Firmware, "implied by the firmware fetch", true
	}
	// A registration counts after the firmware fetch: the phone rebooted
	// into the new firmware.
	regAfter := p.Firmware
	if strings.HasPrefix(p.FirmwareVia, "implied") {
		regAfter = p.Started
	}
	d := r.Settings.Deadline
	late := func(since time.Time) bool { return now.Sub(since) > d }
	switch {
	case p.Config.IsZero():
		since := p.Served
		if since.IsZero() {
			since = p.Started
		}
		if late(since) {
			if p.Served.IsZero() {
				m.fail(p, now, StepConfig, fmt.Sprintf("its new configuration was never served (is it still a phone of %s? did a reload fail?)", r.Plugin))
			} else {
				m.fail(p, now, StepConfig, fmt.Sprintf("did not fetch its new configuration within %s of %s", human(d), at(p.Served)))
			}
			return
		}
	case p.Firmware.IsZero():
		if late(p.Config) {
			m.fail(p, now, StepFirmware, fmt.Sprintf("fetched its configuration at %s but not %s within %s", at(p.Config), r.Route, human(d)))
			return
		}
	case !m.cfg.NoRegistrations && (p.Registered.Before(regAfter) || p.Registered.IsZero()):
		if late(p.Firmware) {
			m.fail(p, now, StepRegister, fmt.Sprintf("fetched the firmware at %s (%s) but did not register again within %s", at(p.Firmware), p.FirmwareVia, human(d)))
			return
		}
	case p.Version.IsZero():
		if late(p.Firmware) {
			what := "registered again at " + at(p.Registered)
			if m.cfg.NoRegistrations {
				what = "fetched the firmware at " + at(p.Firmware)
			}
			m.fail(p, now, StepVersion, fmt.Sprintf("%s but reports firmware %s, not %s", what, orNone(p.Reported), r.Version))
			return
		}
	default:
		p.Status, p.Ended, changed = Upgraded, now, true
		m.upgrades.Add(-1)
	}
	if changed {
		m.markPhone(p)
	}
}

// fetchedWhole reports whether a fetch's status says the file was sent:
// HTTP 200 or 206 (a phone resuming), TFTP completed.
func fetchedWhole(status string) bool {
	return status == "200" || status == "206" || status == "completed"
}

// fail records that p failed at step.
func (m *Manager) fail(p *Phone, now time.Time, step, reason string) {
	p.Status, p.Ended, p.Step, p.Reason = Failed, now, step, reason
	m.upgrades.Add(-1)
	m.markPhone(p)
	m.log.Warn("firmware rollout: a phone failed", "rollout", p.r.ID, "mac", p.MAC, "step", step, "reason", reason)
}

// advance moves rollout r on: halts a wave whose failures reached its
// threshold, ends a wave whose phones are all through, starts the next.
func (m *Manager) advance(r *Rollout, now time.Time) {
	if r.State == Halted {
		return
	}
	if r.Wave >= 0 {
		w := &r.Waves[r.Wave]
		var failed []*Phone
		open, upgraded := 0, 0
		for _, p := range r.ofWave(r.Wave) {
			switch p.Status {
			case Failed:
				failed = append(failed, p)
			case Upgrading:
				open++
			case Upgraded:
				upgraded++
			}
		}
		if !w.Accepted && len(failed) >= w.Threshold {
			m.halt(r, w, failed, now)
			return
		}
		if open > 0 {
			paused := ""
			if r.State == Paused {
				paused = " (paused by an administrator: no new wave starts)"
			}
			m.setMessage(r, now, fmt.Sprintf("wave %d of %d: %d of %d phones upgraded, %d failed, %d under way%s",
				r.Wave+1, len(r.Waves), upgraded, w.Size, len(failed), open, paused))
			return
		}
		if w.Ended.IsZero() {
			w.Ended, w.Result = now, "succeeded"
			m.markRollout(r)
			m.log.Info("firmware rollout: wave succeeded", "rollout", r.ID, "wave", r.Wave+1, "waves", len(r.Waves),
				"upgraded", upgraded, "failed", len(failed))
		}
		if r.Wave == len(r.Waves)-1 {
			m.finish(r, now)
			return
		}
	}
	if r.State == Paused {
		if r.Wave >= 0 && !r.Waves[r.Wave].Ended.IsZero() {
			m.setMessage(r, now, fmt.Sprintf("paused by an administrator after wave %d of %d", r.Wave+1, len(r.Waves)))
		}
		return
	}
	m.startWave(r, now)
}

// startWave starts r's next wave, once its package is installed.
func (m *Manager) startWave(r *Rollout, now time.Time) {
	pkg, err := m.cfg.Fleet.Package(r.Plugin, r.Package)
	if err != nil {
		m.setMessage(r, now, "waiting: "+err.Error())
		return
	}
	if !pkg.Installed {
		m.setMessage(r, now, m.notInstalled(r))
		return
	}
	if pkg.Version != r.Version {
		r.State = Halted
		m.setMessage(r, now, fmt.Sprintf("halted: package %s is now version %s, not %s: abort this rollout and start another", r.Package, pkg.Version, r.Version))
		return
	}
	route := ""
	for _, f := range pkg.Files {
		if path.Base(f) == r.File {
			route = f
		}
	}
	if route == "" {
		m.setMessage(r, now, fmt.Sprintf("waiting: installed package %s has no file %s", r.Package, r.File))
		return
	}
	r.Route = route
	r.Wave++
	w := &r.Waves[r.Wave]
	w.Started = now
	r.State = Running
	n := 0
	for _, p := range r.ofWave(r.Wave) {
		if p.Status != Waiting {
			continue
		}
		p.Status, p.Started, p.served = Upgrading, now, false
		m.upgrades.Add(1)
		m.markPhone(p)
		n++
	}
	m.setMessage(r, now, fmt.Sprintf("wave %d of %d started: %d phones are served %s", r.Wave+1, len(r.Waves), n, r.File))
	m.wantReload(fmt.Sprintf("firmware rollout %s: wave %d of %d (%d phones)", r.ID, r.Wave+1, len(r.Waves), n))
	m.log.Info("firmware rollout: wave started", "rollout", r.ID, "wave", r.Wave+1, "waves", len(r.Waves), "phones", n, "file", r.File)
}

// notInstalled says that r waits for its package.
func (m *Manager) notInstalled(r *Rollout) string {
	return fmt.Sprintf("waiting for package %s to be installed (phoneprovd pkgs install %s %s); its phones are held at their firmware",
		r.Package, r.Plugin, r.Package)
}

// halt stops r at wave w, which failed phones failed.
func (m *Manager) halt(r *Rollout, w *Wave, failed []*Phone, now time.Time) {
	r.State = Halted
	w.Result = "halted"
	if w.Ended.IsZero() {
		w.Ended = now
	}
	var names []string
	for _, p := range failed {
		names = append(names, fmt.Sprintf("%s at %s (%s)", p.MAC, p.Step, p.Reason))
	}
	later := 0
	for _, p := range r.phones {
		if p.Wave > r.Wave {
			later++
		}
	}
	m.setMessage(r, now, fmt.Sprintf("halted: wave %d of %d has %d failed phones of %d (it halts at %d): %s; the %d phones of the later waves keep their old firmware",
		r.Wave+1, len(r.Waves), len(failed), w.Size, w.Threshold, list(names, 10), later))
	m.log.Warn("firmware rollout halted", "rollout", r.ID, "wave", r.Wave+1, "failed", len(failed), "threshold", w.Threshold, "phones", list(names, 10))
}

// finish ends r, every wave through.
func (m *Manager) finish(r *Rollout, now time.Time) {
	s := r.summary()
	r.State = Done
	m.setMessage(r, now, fmt.Sprintf("done: %d phones upgraded, %d failed, %d already ran %s", s.Upgraded, s.Failed, s.Current, r.Version))
	// The plugin names the firmware again (the same file).
	m.wantReload(fmt.Sprintf("firmware rollout %s done", r.ID))
	m.log.Info("firmware rollout done", "rollout", r.ID, "upgraded", s.Upgraded, "failed", s.Failed, "current", s.Current)
}

// setMessage sets r's message; m.mu is held.
func (m *Manager) setMessage(r *Rollout, now time.Time, msg string) {
	if r.Message == msg {
		return
	}
	r.Message, r.Updated = msg, now
	m.markRollout(r)
}

// at formats a time in messages.
func at(t time.Time) string { return t.Format(time.DateTime) }

// human writes a duration without its zero units: 30m, 1h30m, 5s.
func human(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
