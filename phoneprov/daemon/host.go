package daemon

import (
	"context"
	"sync"
	"time"
)

// Host is what a part is given at Start: its workers, and the daemon to
// tell about failures and fetches.
type Host struct {
	d      *Daemon
	part   Part
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Go runs f as a worker of the part: f's context ends when the part
// stops, after its Stop, and the daemon waits for f to return before it
// stops the parts listed before this one.
func (h *Host) Go(f func(ctx context.Context)) {
	h.wg.Go(func() { f(h.ctx) })
}

// Fail stops the daemon with err (a server that stopped serving).
func (h *Host) Fail(err error) { h.d.fail(h.part, err) }

// Fetched tells every Fetcher that a phone fetched one of its dynamic
// files.
func (h *Host) Fetched(mac string, generation uint64) { h.d.Fetched(mac, generation) }

// workerGrace is how long a part's workers still have to return once its
// context ended, when the grace period of Stop is over: enough for a last
// write of the state (a worker that ignores its context is not waited for
// longer).
const workerGrace = time.Second

// wait waits for the part's workers until ctx ends and workerGrace more,
// and reports whether they all returned.
func (h *Host) wait(ctx context.Context) bool {
	done := make(chan struct{})
	go func() {
		h.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-ctx.Done():
	}
	t := time.NewTimer(workerGrace)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}
