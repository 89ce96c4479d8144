package resync

import (
	"context"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// TestQueueSurvivesRestart: phones queued while Asterisk is down (a manual
// request, acknowledged once flushed) are notified after a restart; a
// notified phone still waits for its fetch; a phone that no longer exists
// is dropped.
func TestQueueSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	st, err := state.Open(state.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	down := &fakeNotifier{connected: false}
	r := New(Config{Notifier: down, Jitter: -1, Rate: 1000})
	if err := r.Restore(st, 1, nil); err != nil {
		t.Fatal(err)
	}
	st.Register(r)
	r.Enqueue(note("a"), 7, "requested by an administrator", true)
	r.Enqueue(note("b"), 7, "reload", false)
	r.Enqueue(note("gone"), 7, "reload", false)
	// "n" was notified before the restart.
	up := &fakeNotifier{connected: true}
	r2 := New(Config{Notifier: up, Jitter: -1, Rate: 1000})
	r2.Enqueue(note("n"), 7, "reload", false)
	r2.step(context.Background())
	r.mu.Lock()
	r.phones["n"] = r2.phones["n"]
	r.markLocked("n")
	r.mu.Unlock()
	if err := st.Flush(); err != nil {
		t.Fatal(err)
	}
	st.Close() // the process dies here

	st, err = state.Open(state.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	again, f := start(t, Config{Jitter: -1, Rate: 1000, ConfirmTimeout: time.Hour})
	if err := again.Restore(st, 1, func(mac string) bool { return mac != "gone" }); err != nil {
		t.Fatal(err)
	}
	st.Register(again)
	waitState(t, again, "a", Notified)
	waitState(t, again, "b", Notified)
	if st, _ := again.Phone("n"); st.State != Notified {
		t.Errorf("n is %s after the restart", st.State)
	}
	if _, ok := again.Phone("gone"); ok {
		t.Error("a removed phone came back")
	}
	if f.count() != 2 {
		t.Errorf("%d NOTIFYs after the restart, want 2 (a and b)", f.count())
	}
	// The generation restarts: a fetch of the first one served confirms.
	again.Fetched("n", 1)
	if st, _ := again.Phone("n"); st.State != Confirmed {
		t.Errorf("n is %s after fetching", st.State)
	}
	if err := st.Flush(); err != nil {
		t.Fatal(err)
	}
	if v, _ := st.Get(Bucket, "gone"); v != nil {
		t.Error("the removed phone is still saved")
	}
}
