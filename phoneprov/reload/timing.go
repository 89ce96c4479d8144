package reload

import (
	"sync/atomic"
	"time"
)

// Defaults of Config's timing.
const (
	DefaultDebounce = 250 * time.Millisecond
	DefaultRescan   = 60 * time.Second
)

// timing is the pace of Run: phoneprovd.conf's debounce and rescan, which
// may change while it runs.
type timing struct {
	debounce, rescan atomic.Int64
}

func (t *timing) set(debounce, rescan time.Duration) {
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	if rescan == 0 {
		rescan = DefaultRescan
	}
	t.debounce.Store(int64(debounce))
	t.rescan.Store(int64(rescan))
}

func (t *timing) get() (debounce, rescan time.Duration) {
	return time.Duration(t.debounce.Load()), time.Duration(t.rescan.Load())
}

// SetTiming changes how long the files must be quiet before a reload
// (0: the default) and the period of the safety-net rescan (0: the
// default, negative: none) while the manager runs. Run takes them up from
// its next event: at once when called while a swap is announced (OnSwap),
// which runs on Run's goroutine.
func (m *Manager) SetTiming(debounce, rescan time.Duration) {
	m.timing.set(debounce, rescan)
}

// Timing returns the debounce and rescan period in force.
func (m *Manager) Timing() (debounce, rescan time.Duration) { return m.timing.get() }

// periodic is a ticker whose period may change between two ticks.
type periodic struct {
	t     *time.Ticker
	every time.Duration
}

// follow returns the channel ticking every period (nil, which never
// ticks, for a period <= 0), restarting the ticker when the period
// changed since the last call.
func (p *periodic) follow(every time.Duration) <-chan time.Time {
	if every != p.every {
		p.every = every
		switch {
		case every <= 0:
			p.stop()
		case p.t != nil:
			p.t.Reset(every)
		default:
			p.t = time.NewTicker(every)
		}
	}
	if p.t == nil {
		return nil
	}
	return p.t.C
}

func (p *periodic) stop() {
	if p.t != nil {
		p.t.Stop()
		p.t = nil
	}
}
