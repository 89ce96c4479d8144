package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/lastgood"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
)

// loadLastGood builds a snapshot from the copy of the last good
// configuration saved in the state database (nil, nil without one).
func (d *daemon) loadLastGood(opts phoneprov.Options) (*phoneprov.Snapshot, string, error) {
	set, err := lastgood.Load(d.state)
	if err != nil || set == nil {
		return nil, "", err
	}
	opts.Files = set
	snap, err := phoneprov.Load(opts)
	if err != nil {
		return nil, "", err
	}
	return snap, set.Info.Describe(), nil
}

// lastGoodSaver copies the inputs of every snapshot of the live files that
// is swapped in, off the manager's goroutine; a burst of swaps saves only
// the newest.
type lastGoodSaver struct {
	d    *daemon
	next chan *phoneprov.Snapshot

	mu    sync.Mutex
	saved *lastgood.Set
}

// status is the /status last_good section: the copy saved, if any.
func (s *lastGoodSaver) status() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saved == nil {
		return nil
	}
	return s.saved.Info
}

func (d *daemon) startLastGood(ctx context.Context) {
	s := &lastGoodSaver{d: d, next: make(chan *phoneprov.Snapshot, 1)}
	d.onSwap = append(d.onSwap, func(sw reload.Swap) {
		if sw.LastGood {
			return // the copy itself: nothing new to keep
		}
		for {
			select {
			case s.next <- sw.Snapshot:
				return
			default:
				select { // drop an older snapshot not yet saved
				case <-s.next:
				default:
				}
			}
		}
	})
	d.admin.Section("last_good", s.status)
	d.run(ctx, s.run)
}

func (s *lastGoodSaver) run(ctx context.Context) {
	log := s.d.log.With("component", "lastgood")
	if prev, err := lastgood.Load(s.d.state); err == nil {
		s.mu.Lock()
		s.saved = prev
		s.mu.Unlock()
	}
	for {
		select {
		case <-ctx.Done():
			return
		case snap := <-s.next:
			set, err := lastgood.Capture(snap)
			if errors.Is(err, lastgood.ErrChanged) {
				log.Debug("not keeping this configuration as the last good one: a file changed since it was loaded", "error", err)
				continue
			}
			if err != nil {
				log.Warn("cannot copy the configuration as the last good one", "error", err)
				continue
			}
			s.mu.Lock()
			same := set.Same(s.saved)
			s.mu.Unlock()
			if same {
				continue
			}
			if err := lastgood.Save(s.d.state, set, time.Now()); err != nil {
				log.Warn("cannot save the last good configuration", "error", err)
				continue
			}
			s.mu.Lock()
			s.saved = set
			s.mu.Unlock()
			log.Debug("saved the configuration as the last good one", "files", set.Info.Files, "bytes", set.Info.Bytes)
		}
	}
}
