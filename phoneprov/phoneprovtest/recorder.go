package phoneprovtest

import (
	"sync"
	"testing"
	"time"
)

// WaitTimeout is how long Recorder.Wait waits before failing the test.
var WaitTimeout = 10 * time.Second

// Recorder records what a server reports having served, in the order of
// the reports: its Record method is an httpserver.Config.OnServe (a
// Recorder[httpserver.Served]) or a tftpserver.Config.OnServe. Servers
// report after the response, so a test that has its answer Waits for the
// report. The zero Recorder is ready; it is safe for concurrent use.
type Recorder[T any] struct {
	mu      sync.Mutex
	got     []T
	changed chan struct{} // closed at the next Record
}

// Record appends v.
func (r *Recorder[T]) Record(v T) {
	r.mu.Lock()
	r.got = append(r.got, v)
	if r.changed != nil {
		close(r.changed)
		r.changed = nil
	}
	r.mu.Unlock()
}

// All returns a copy of what was recorded so far.
func (r *Recorder[T]) All() []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]T(nil), r.got...)
}

// Wait waits until at least n records satisfy keep (nil keeps every
// record) and returns those records, failing the test after WaitTimeout.
func (r *Recorder[T]) Wait(t testing.TB, n int, keep func(T) bool) []T {
	t.Helper()
	deadline := time.NewTimer(WaitTimeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		var out []T
		for _, v := range r.got {
			if keep == nil || keep(v) {
				out = append(out, v)
			}
		}
		if len(out) >= n {
			r.mu.Unlock()
			return out
		}
		if r.changed == nil {
			r.changed = make(chan struct{})
		}
		changed := r.changed
		r.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("%d matching reports after %v, want %d", len(out), WaitTimeout, n)
			return nil
		}
	}
}
