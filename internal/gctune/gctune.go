// Package gctune tunes the garbage collector for phoneprovd's heap.
//
// Nearly all of phoneprovd's heap is long-lived — the snapshot: every
// phone's variables and rendered files — while requests make garbage that
// lives for microseconds. Go's default GOGC of 100 lets the heap grow to
// twice the live heap between collections: at 100,000 phones that is half
// a gigabyte of headroom for request garbage. A small GOGC bounds that,
// but on a small site (a few megabytes of snapshot) it makes the collector
// run every few thousand requests: at 25 and 2,000 phones, collections
// cost a boot storm a quarter of its throughput.
//
// So the collector is tuned after each snapshot swap to leave the larger of
// a quarter of the live heap and gcHeadroom for garbage: GOGC is 25 from
// 128 MiB of live heap up, and higher below. 32 MiB of garbage is some
// fifteen thousand requests between collections; 64 MiB cost a 10,000-phone
// site 50 MiB of RSS in the boot storm for no measurable throughput.
package gctune

import (
	"log/slog"
	"runtime"
	"runtime/debug"
	"runtime/metrics"

	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
)

const (
	gcMinPercent = 25
	gcHeadroom   = 32 << 20
	gcMaxPercent = 10000
)

// Tuner sets GOGC from the live heap, unless the operator set GOGC (or
// GOMEMLIMIT) in the environment. As a part of the daemon it retunes after
// each snapshot swap.
type Tuner struct {
	off bool
	log *slog.Logger
}

// New returns the tuner (lookupEnv is os.LookupEnv) and, unless
// the operator decides, sets GOGC to gcMinPercent until the first snapshot
// is built: loading is when the heap grows most.
func New(lookupEnv func(string) (string, bool), log *slog.Logger) *Tuner {
	_, gogc := lookupEnv("GOGC")
	_, limit := lookupEnv("GOMEMLIMIT")
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := &Tuner{off: gogc || limit, log: log}
	if !t.off {
		debug.SetGCPercent(gcMinPercent)
	}
	return t
}

// gcPercentFor returns the GOGC that leaves the larger of a quarter of
// live and gcHeadroom for garbage.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return gcMaxPercent
	}
	p := int(min(uint64(gcHeadroom)*100/live, gcMaxPercent))
	return max(p, gcMinPercent)
}

// retune collects (so that the snapshot just replaced is freed and the
// live heap is the new one's) and sets GOGC for the live heap. It returns
// the GOGC in effect.
func (t *Tuner) retune() int {
	if t.off {
		old := debug.SetGCPercent(-1)
		debug.SetGCPercent(old)
		return old
	}
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	var live uint64
	if s[0].Value.Kind() == metrics.KindUint64 {
		live = s[0].Value.Uint64()
	}
	p := gcPercentFor(live)
	debug.SetGCPercent(p)
	return p
}

// Name implements daemon.Part.
func (t *Tuner) Name() string { return "gc" }

// Swapped retunes off the reload manager's goroutine: the snapshot just
// replaced is collected.
func (t *Tuner) Swapped(reload.Swap) {
	go func() { t.log.Debug("garbage collector", "gogc", t.retune()) }()
}
