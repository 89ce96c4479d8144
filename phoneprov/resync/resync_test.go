package resync

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeNotifier records NOTIFYs; it can be disconnected or refuse.
type fakeNotifier struct {
	mu        sync.Mutex
	connected bool
	refuse    map[string]bool
	sent      []Notification
	at        []time.Time
}

func (f *fakeNotifier) Connected() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.connected
}

func (f *fakeNotifier) setConnected(v bool) {
	f.mu.Lock()
	f.connected = v
	f.mu.Unlock()
}

func (f *fakeNotifier) Notify(ctx context.Context, n Notification) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.connected {
		return fmt.Errorf("%w: down", ErrNotConnected)
	}
	if f.refuse[n.Endpoint] {
		return errors.New("Unable to retrieve endpoint " + n.Endpoint)
	}
	f.sent = append(f.sent, n)
	f.at = append(f.at, time.Now())
	return nil
}

func (f *fakeNotifier) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

func start(t *testing.T, cfg Config) (*Resyncer, *fakeNotifier) {
	t.Helper()
	f, ok := cfg.Notifier.(*fakeNotifier)
	if !ok {
		f = &fakeNotifier{connected: true}
		cfg.Notifier = f
	}
	r := New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go r.Run(ctx)
	return r, f
}

func note(mac string) Notification {
	return Notification{MAC: mac, Tech: "PJSIP", Endpoint: "ep-" + mac, Event: "check-sync"}
}

func waitState(t *testing.T, r *Resyncer, mac, state string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if st, _ := r.Phone(mac); st.State == state {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	st, _ := r.Phone(mac)
	t.Fatalf("%s is %s, want %s", mac, st.State, state)
}

func TestDeduplicates(t *testing.T) {
	r, f := start(t, Config{Rate: 1000, Jitter: 100 * time.Millisecond})
	// Three edits in a row: one NOTIFY.
	for gen := uint64(2); gen <= 4; gen++ {
		r.Enqueue(note("a"), gen, "edit", false)
	}
	waitState(t, r, "a", Notified)
	r.Enqueue(note("a"), 5, "edit", false) // still waiting for the fetch
	time.Sleep(150 * time.Millisecond)
	if f.count() != 1 {
		t.Fatalf("%d NOTIFYs for three edits", f.count())
	}
	if st, _ := r.Phone("a"); st.Generation != 5 {
		t.Errorf("target generation %d", st.Generation)
	}
	// An administrator's request sends again.
	r.Enqueue(note("a"), 5, "manual", true)
	waitState(t, r, "a", Notified)
	time.Sleep(20 * time.Millisecond)
	if f.count() != 2 {
		t.Errorf("forced: %d NOTIFYs", f.count())
	}
}

func TestPacing(t *testing.T) {
	r, f := start(t, Config{Rate: 100, Jitter: 0})
	start := time.Now()
	for i := 0; i < 21; i++ {
		r.Enqueue(note(fmt.Sprint(i)), 2, "edit", false)
	}
	deadline := time.Now().Add(5 * time.Second)
	for f.count() < 21 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	f.mu.Lock()
	spread := f.at[len(f.at)-1].Sub(f.at[0])
	f.mu.Unlock()
	// 20 intervals of 10 ms.
	if spread < 190*time.Millisecond {
		t.Errorf("21 NOTIFYs at 100/s took %v", spread)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("far too slow: %v", time.Since(start))
	}
}

func TestJitterBound(t *testing.T) {
	r, f := start(t, Config{Rate: 1000, Jitter: 300 * time.Millisecond})
	t0 := time.Now()
	r.Enqueue(note("j"), 2, "edit", false)
	waitState(t, r, "j", Notified)
	if d := f.at[0].Sub(t0); d > 400*time.Millisecond {
		t.Errorf("jitter of 300 ms delayed %v", d)
	}
}

func TestWaitsForAsterisk(t *testing.T) {
	f := &fakeNotifier{connected: false}
	r, _ := start(t, Config{Notifier: f, Rate: 1000})
	r.Enqueue(note("a"), 2, "edit", false)
	time.Sleep(300 * time.Millisecond)
	if st, _ := r.Phone("a"); st.State != Pending || f.count() != 0 {
		t.Fatalf("while down: %+v, %d sent", st, f.count())
	}
	f.setConnected(true)
	waitState(t, r, "a", Notified)
}

func TestConfirmation(t *testing.T) {
	r, _ := start(t, Config{Rate: 1000, ConfirmTimeout: 200 * time.Millisecond})
	r.Enqueue(note("fetches"), 3, "edit", false)
	r.Enqueue(note("silent"), 3, "edit", false)
	waitState(t, r, "fetches", Notified)
	waitState(t, r, "silent", Notified)
	r.Fetched("fetches", 2) // the old configuration does not count
	if st, _ := r.Phone("fetches"); st.State != Notified {
		t.Fatalf("confirmed by an old generation: %s", st.State)
	}
	r.Fetched("fetches", 3)
	waitState(t, r, "fetches", Confirmed)
	waitState(t, r, "silent", TimedOut)
	st := r.Status()
	if st.Phones[Confirmed] != 1 || st.Phones[TimedOut] != 1 || st.Totals["sent"] != 2 || st.Totals["confirmed"] != 1 || st.Totals["timed_out"] != 1 {
		t.Errorf("status %+v", st)
	}
	// Fetched is told of every request; it takes the lock only while a
	// phone awaits its confirming fetch: "silent", timed out, still does.
	if n := r.awaiting.Load(); n != 1 {
		t.Errorf("%d phones awaiting, want 1", n)
	}
	r.Fetched("silent", 3)
	waitState(t, r, "silent", Confirmed)
	r.Enqueue(note("gone"), 4, "edit", false)
	r.Forget("gone")
	if n := r.awaiting.Load(); n != 0 {
		t.Errorf("%d phones awaiting, want 0", n)
	}
}

func TestFetchBeforeNotify(t *testing.T) {
	f := &fakeNotifier{connected: false}
	r, _ := start(t, Config{Notifier: f, Rate: 1000})
	r.Enqueue(note("a"), 2, "edit", false)
	r.Fetched("a", 2) // it rebooted by itself and fetched the new file
	f.setConnected(true)
	time.Sleep(100 * time.Millisecond)
	if st, _ := r.Phone("a"); st.State != Confirmed || f.count() != 0 {
		t.Errorf("state %s, %d NOTIFYs", st.State, f.count())
	}
}

func TestRefused(t *testing.T) {
	f := &fakeNotifier{connected: true, refuse: map[string]bool{"ep-x": true}}
	r, _ := start(t, Config{Notifier: f, Rate: 1000})
	r.Enqueue(note("x"), 2, "edit", false)
	waitState(t, r, "x", Failed)
	if st, _ := r.Phone("x"); st.Error != "Unable to retrieve endpoint ep-x" {
		t.Errorf("error %q", st.Error)
	}
	r.Forget("x")
	if _, ok := r.Phone("x"); ok {
		t.Error("forgotten phone still known")
	}
}
