package lastgood

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// Snapshot builds a snapshot with opts from the copy saved in st (nil, "",
// nil without one) and describes the copy: what the reload manager serves
// when the live files are broken at start.
func Snapshot(st *state.Store, opts phoneprov.Options) (*phoneprov.Snapshot, string, error) {
	set, err := Load(st)
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

// Saver is the part that copies the inputs of every snapshot of the live
// files that is swapped in, off the reload manager's goroutine; a burst of
// swaps saves only the newest. /status "last_good" describes the copy.
type Saver struct {
	st   *state.Part
	log  *slog.Logger
	next chan *phoneprov.Snapshot

	mu    sync.Mutex
	saved *Set
}

// NewSaver returns the part saving copies in st.
func NewSaver(st *state.Part, log *slog.Logger) *Saver {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Saver{st: st, log: log, next: make(chan *phoneprov.Snapshot, 1)}
}

// Name implements daemon.Part.
func (s *Saver) Name() string { return "last_good" }

// Status is the copy saved, if any.
func (s *Saver) Status() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saved == nil {
		return nil
	}
	return s.saved.Info
}

// Swapped hands a snapshot of the live files to the saver.
func (s *Saver) Swapped(sw reload.Swap) {
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
}

// Start reads the copy saved before, and saves new ones until the part
// stops. It must be listed after the state part.
func (s *Saver) Start(_ context.Context, h *daemon.Host) error {
	st := s.st.Store()
	if prev, err := Load(st); err == nil {
		s.mu.Lock()
		s.saved = prev
		s.mu.Unlock()
	}
	h.Go(func(ctx context.Context) { s.run(ctx, st) })
	return nil
}

func (s *Saver) run(ctx context.Context, st *state.Store) {
	for {
		select {
		case <-ctx.Done():
			return
		case snap := <-s.next:
			s.save(st, snap)
		}
	}
}

// save copies snap's inputs unless the copy saved is the same.
func (s *Saver) save(st *state.Store, snap *phoneprov.Snapshot) {
	set, err := Capture(snap)
	if errors.Is(err, ErrChanged) {
		s.log.Debug("not keeping this configuration as the last good one: a file changed since it was loaded", "error", err)
		return
	}
	if err != nil {
		s.log.Warn("cannot copy the configuration as the last good one", "error", err)
		return
	}
	s.mu.Lock()
	same := set.Same(s.saved)
	s.mu.Unlock()
	if same {
		return
	}
	if err := Save(st, set, time.Now()); err != nil {
		s.log.Warn("cannot save the last good configuration", "error", err)
		return
	}
	s.mu.Lock()
	s.saved = set
	s.mu.Unlock()
	s.log.Debug("saved the configuration as the last good one", "files", set.Info.Files, "bytes", set.Info.Bytes)
}
