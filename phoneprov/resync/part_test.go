package resync

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/metrics"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// partSite is two users.conf phones of profile p, whose endpoints are
// their sections.
type partSite struct {
	*phoneprovtest.Site
	snap atomic.Pointer[phoneprov.Snapshot]
}

func newPartSite(t *testing.T) *partSite {
	t.Helper()
	s := &partSite{Site: phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf": "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
		"etc/users.conf": "[6001]\nusername = 6001\nmacaddress = 0004f2000001\nautoprov = yes\n" +
			"[6002]\nusername = 6002\nmacaddress = 0004f2000002\nautoprov = yes\n",
		"lib/phoneprov/t.cfg": "u=${USERNAME}\n",
	})}
	s.load(t)
	return s
}

// load loads the site again and serves the new snapshot.
func (s *partSite) load(t *testing.T) *phoneprov.Snapshot {
	t.Helper()
	snap := s.Load()
	s.snap.Store(snap)
	return snap
}

func (s *partSite) Snapshot() *phoneprov.Snapshot { return s.snap.Load() }

func settingsOf(t *testing.T, text string) *settings.Settings {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, settings.FileName), []byte(text), 0o644)
	s, err := settings.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPartOff(t *testing.T) {
	// Without [ami] there is no notifier: off, even when [resync] asks.
	p := NewPart(PartConfig{Settings: settingsOf(t, "[resync]\nenabled = yes\n")})
	a := admin.New("test")
	d := daemon.New(daemon.Config{Admin: a})
	if err := d.Start(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("POST", "/resync", strings.NewReader(`{"all": true}`)))
	if p.Status() != nil || p.Resyncer() != nil || rec.Code != http.StatusNotFound || p.State("0004f2000001") != "" {
		t.Errorf("off: status %v, POST /resync %d", p.Status(), rec.Code)
	}
	if _, err := p.Queue(nil, true); err == nil {
		t.Error("queued while off")
	}
	p.Swapped(reload.Swap{}) // nothing to do, nothing breaks
	p.Fetched("0004f2000001", 1)
}

// TestPartLifecycle runs re-sync with the state database: a reload's
// changes are notified with the profile's event, an edit of [profile:p]
// applies to the next NOTIFY, a fetch confirms, POST /resync queues and
// saves, and the queue survives a restart.
func TestPartLifecycle(t *testing.T) {
	site := newPartSite(t)
	stateDir := t.TempDir()
	f := &fakeNotifier{connected: true}
	general := "[general]\nstate_dir = " + stateDir + "\n"
	s := settingsOf(t, general+"[resync]\nenabled = yes\njitter = 0s\nrate = 1000\n[profile:p]\nnotify_event = check-sync\\;reboot=false\n")
	a := admin.New("test")
	m := metrics.New()
	st := state.NewPart(state.Config{Dir: stateDir}, nil)
	p := NewPart(PartConfig{Settings: s, Notifier: f, Snapshots: site, State: st, Metrics: m})
	d := daemon.New(daemon.Config{Admin: a, Settings: s})
	if err := d.Start(context.Background(), st, p); err != nil {
		t.Fatal(err)
	}

	prev := site.Snapshot()
	next := site.load(t)
	d.Swapped(reload.Swap{Generation: 2, Snapshot: next, Previous: prev, Changes: phoneprov.Changes{Changed: []string{"0004f2000001"}}, Reason: "edit"})
	waitState(t, p.Resyncer(), "0004f2000001", Notified)
	if f.sent[0].Event != "check-sync;reboot=false" || f.sent[0].Endpoint != "6001" {
		t.Errorf("NOTIFY %+v", f.sent[0])
	}
	// The phone fetches its new files: confirmed.
	p.Fetched("0004f2000001", 2)
	if p.State("0004f2000001") != Confirmed {
		t.Errorf("state %s", p.State("0004f2000001"))
	}

	// [profile:p] edited: the next NOTIFY uses the new event; [resync]
	// edited: the new pace is in the status.
	s2 := settingsOf(t, general+"[resync]\nenabled = yes\njitter = 0s\nrate = 500\n[profile:p]\nnotify_event = resync\n")
	d.Swapped(reload.Swap{Generation: 3, Snapshot: next, Previous: next, Settings: s2, Changes: phoneprov.Changes{Changed: []string{"0004f2000002"}}})
	waitState(t, p.Resyncer(), "0004f2000002", Notified)
	if f.sent[1].Event != "resync" || p.Resyncer().Status().Rate != 500 {
		t.Errorf("after the edit: NOTIFY %+v, rate %v", f.sent[1], p.Resyncer().Status().Rate)
	}
	if restart := d.SettingsStatus().NeedsRestart; len(restart) != 0 {
		t.Errorf("needs restart %q", restart)
	}

	// POST /resync while Asterisk is down: queued, saved, reported.
	f.setConnected(false)
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("POST", "/resync", strings.NewReader(`{"phones": ["0004f2000001", "0004f2ffffff"]}`)))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"queued": [
    "0004f2000001"
  ]`) || !strings.Contains(rec.Body.String(), `"unknown": [
    "0004f2ffffff"`) {
		t.Errorf("POST /resync: %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("GET", "/status/phones/0004f2000001", nil))
	if !strings.Contains(rec.Body.String(), `"state": "pending"`) {
		t.Errorf("phone status: %s", rec.Body)
	}
	rec = httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `phoneprovd_notifies_total{result="sent"} 2`) {
		t.Errorf("metrics:\n%s", rec.Body)
	}
	if err := d.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}

	// Restarted: the pending re-sync is taken up again.
	f2 := &fakeNotifier{connected: true}
	st = state.NewPart(state.Config{Dir: stateDir}, nil)
	p = NewPart(PartConfig{Settings: s2, Notifier: f2, Snapshots: site, State: st})
	d = daemon.New(daemon.Config{Settings: s2})
	if err := d.Start(context.Background(), st, p); err != nil {
		t.Fatal(err)
	}
	defer d.Stop(context.Background())
	waitState(t, p.Resyncer(), "0004f2000001", Notified)
	if f2.count() != 1 || f2.sent[0].Event != "resync" {
		t.Errorf("after the restart: %+v", f2.sent)
	}
}

func TestPartReconfigureOnOff(t *testing.T) {
	on := NewPart(PartConfig{Settings: settingsOf(t, "[resync]\nenabled = yes\n"), Notifier: &fakeNotifier{}, Snapshots: newPartSite(t)})
	if restart, _ := on.Reconfigure(settingsOf(t, "[resync]\nenabled = no\n")); len(restart) != 1 || !strings.HasPrefix(restart[0], "[resync] enabled changed (in force until a restart: re-sync on)") {
		t.Errorf("turned off: %q", restart)
	}
	if restart, _ := on.Reconfigure(settingsOf(t, "[resync]\nenabled = yes\nconfirm_timeout = 1s\n")); len(restart) != 0 || on.Resyncer().Status().ConfirmTimeout != "1s" {
		t.Errorf("still on: %q", restart)
	}
}

// TestSetPace: the confirmation timeout applies to phones already
// notified.
func TestSetPace(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r, _ := start(t, Config{Rate: 1000, Jitter: -1, ConfirmTimeout: time.Hour, Now: func() time.Time { return now }})
	r.Enqueue(note("a"), 2, "edit", false)
	waitState(t, r, "a", Notified)
	r.SetPace(0, 0, time.Second)
	r.mu.Lock()
	now = now.Add(2 * time.Second)
	r.mu.Unlock()
	r.expire()
	if st, _ := r.Phone("a"); st.State != TimedOut {
		t.Errorf("state %s", st.State)
	}
	if st := r.Status(); st.Rate != 10 || st.Jitter != "0s" || st.ConfirmTimeout != "1s" {
		t.Errorf("status %+v", st)
	}
}
