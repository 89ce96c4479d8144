package main

import (
	"context"
	"errors"
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
	d     *daemon
	next  chan *phoneprov.Snapshot
	saved *lastgood.Set
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
	d.run(ctx, s.run)
}

func (s *lastGoodSaver) run(ctx context.Context) {
	log := s.d.log.With("component", "lastgood")
	if prev, err := lastgood.Load(s.d.state); err == nil {
		s.saved = prev
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
			if set.Same(s.saved) {
				continue
			}
			if err := lastgood.Save(s.d.state, set, time.Now()); err != nil {
				log.Warn("cannot save the last good configuration", "error", err)
				continue
			}
			s.saved = set
			log.Debug("saved the configuration as the last good one", "files", set.Info.Files, "bytes", set.Info.Bytes)
		}
	}
}
