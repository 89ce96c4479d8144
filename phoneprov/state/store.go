package state

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FileName is the database's name in the state directory.
const FileName = "state.db"

// DefaultInterval is how often changes are written: a crash loses at most
// this much of the observations.
const DefaultInterval = 500 * time.Millisecond

// formatVersion is written in the meta bucket; a later format that cannot
// be read by this version is refused rather than misread.
const formatVersion = "1"

// metaBucket holds the format version and one-time markers.
const metaBucket = "meta"

// Config configures a Store.
type Config struct {
	// Dir is the state directory; it is created when missing.
	Dir string
	// Interval between flushes (default DefaultInterval).
	Interval time.Duration
	Logger   *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Collector is a part of the daemon whose state the Store keeps.
type Collector interface {
	// Collect adds to b what changed since the last Collect.
	Collect(b *Batch)
	// Committed tells what became of the changes the last Collect added:
	// err is nil when they are on disk; otherwise the Collector must collect
	// them again next time.
	Committed(err error)
}

// Store is the state database. Its methods are safe for concurrent use.
type Store struct {
	cfg  Config
	path string
	db   *bolt.DB
	log  *slog.Logger

	flushMu sync.Mutex // one flush at a time, collectors collected in order

	mu         sync.Mutex
	collectors []Collector
	health     Health
	closed     bool
}

// Health is the Store's part of /status.
type Health struct {
	Dir      string `json:"dir"`
	File     string `json:"file"`
	Writable bool   `json:"writable"`
	// LastError is why the last write failed; it stays until one succeeds.
	LastError    string    `json:"last_error,omitempty"`
	LastErrorAt  time.Time `json:"last_error_at,omitzero"`
	FailingSince time.Time `json:"failing_since,omitzero"`
	LastSaved    time.Time `json:"last_saved,omitzero"`
	Saves        uint64    `json:"saves"`
	SaveErrors   uint64    `json:"save_errors"`
	Bytes        int64     `json:"bytes"`
}

// Open opens (creating it when missing) the state database in cfg.Dir. A
// directory that cannot be created or written is an error naming it; a
// database another process holds is an error too. A database that is not
// a bbolt file, or is damaged, is set aside (state.db.corrupt-<time>) with
// a warning and a new one is started: losing the inventory is better than
// not provisioning phones.
func Open(cfg Config) (*Store, error) {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Dir == "" {
		return nil, errors.New("state directory: not set")
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("state directory %s: %w", cfg.Dir, err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("state directory %s cannot be created: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	db, err := openDB(path)
	if err != nil && isCorrupt(err) {
		aside := fmt.Sprintf("%s.corrupt-%s", path, cfg.Now().UTC().Format("20060102T150405Z"))
		if rerr := os.Rename(path, aside); rerr != nil {
			return nil, fmt.Errorf("state directory %s: %s is damaged (%v) and cannot be set aside: %w", dir, FileName, err, rerr)
		}
		log.Warn("the state database is damaged; it was set aside and phoneprovd starts with an empty state",
			"file", path, "moved_to", aside, "error", err)
		db, err = openDB(path)
	}
	if err != nil {
		return nil, openError(dir, err)
	}
	s := &Store{cfg: cfg, path: path, db: db, log: log}
	s.health = Health{Dir: dir, File: path, Writable: true}
	if err := s.init(); err != nil {
		db.Close()
		return nil, openError(dir, err)
	}
	s.removeLeftovers()
	return s, nil
}

func openDB(path string) (*bolt.DB, error) {
	return bolt.Open(path, 0o640, &bolt.Options{Timeout: 2 * time.Second, NoFreelistSync: true})
}

// isCorrupt tells a damaged or foreign file from an environment problem
// (permissions, a full disk, a lock), which must not cost the state.
func isCorrupt(err error) bool {
	return errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrChecksum) ||
		errors.Is(err, berrors.ErrVersionMismatch) || errors.Is(err, berrors.ErrInvalidMapping)
}

// openError says what is wrong with the state directory, naming it.
func openError(dir string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("state directory %s: %s is locked by another process (is another phoneprovd running with this state directory?)", dir, FileName)
	case errors.Is(err, os.ErrPermission), isReadOnly(err):
		return fmt.Errorf("state directory %s is not writable: %w", dir, err)
	}
	return fmt.Errorf("state directory %s: %w", dir, err)
}

// init checks the format version, writing it into a new database; the
// write also proves the file writable now.
func (s *Store) init() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(metaBucket))
		if err != nil {
			return err
		}
		switch v := b.Get([]byte("version")); {
		case v == nil:
			return b.Put([]byte("version"), []byte(formatVersion))
		case string(v) != formatVersion:
			return fmt.Errorf("%s is in format %q, which this phoneprovd cannot read", FileName, v)
		}
		// Rewriting the same value is a write all the same.
		return b.Put([]byte("opened"), []byte(s.cfg.Now().UTC().Format(time.RFC3339Nano)))
	})
}

// removeLeftovers deletes the temporary files earlier versions left behind
// when they were killed while saving inventory.json.
func (s *Store) removeLeftovers() {
	matches, _ := filepath.Glob(filepath.Join(s.health.Dir, ".inventory-*.json"))
	for _, m := range matches {
		if err := os.Remove(m); err == nil {
			s.log.Info("removed a temporary file left by an interrupted save", "file", m)
		}
	}
}

// Dir returns the absolute state directory.
func (s *Store) Dir() string { return s.health.Dir }

// Register adds a Collector; its changes are collected from the next flush
// on, in registration order.
func (s *Store) Register(src Collector) {
	s.mu.Lock()
	s.collectors = append(s.collectors, src)
	s.mu.Unlock()
}

// Flush collects every Collector's changes and commits them in one
// transaction. It returns nil at once when nothing changed.
func (s *Store) Flush() error { return s.flush(false) }

// flush collects every Collector's changes into one batch and commits it;
// periodic is Batch.Periodic.
func (s *Store) flush(periodic bool) error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	collectors := append([]Collector(nil), s.collectors...)
	s.mu.Unlock()
	b := Batch{periodic: periodic}
	for _, src := range collectors {
		src.Collect(&b)
	}
	if b.Len() == 0 {
		for _, src := range collectors {
			src.Committed(nil)
		}
		return nil
	}
	err := s.commit(&b)
	for _, src := range collectors {
		src.Committed(err)
	}
	return err
}

// Write commits b at once, outside the Collectors: for what is written
// whole, like the last good configuration.
func (s *Store) Write(b *Batch) error {
	if b.Len() == 0 {
		return nil
	}
	return s.commit(b)
}

func (s *Store) commit(b *Batch) error {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return errors.New("state: the store is closed")
	}
	err := s.db.Update(b.apply)
	s.record(err)
	if err != nil {
		return fmt.Errorf("state: saving to %s: %w", s.path, err)
	}
	return nil
}

// record updates the health after a commit, logging when saving starts
// failing and when it works again.
func (s *Store) record(err error) {
	now := s.cfg.Now()
	s.mu.Lock()
	h := &s.health
	wasWritable := h.Writable
	if err == nil {
		h.Writable, h.LastError, h.LastErrorAt, h.FailingSince = true, "", time.Time{}, time.Time{}
		h.LastSaved = now
		h.Saves++
		if fi, serr := os.Stat(s.path); serr == nil {
			h.Bytes = fi.Size()
		}
	} else {
		h.SaveErrors++
		h.LastError, h.LastErrorAt = err.Error(), now
		if h.Writable {
			h.FailingSince = now
		}
		h.Writable = false
	}
	failingSince := h.FailingSince
	s.mu.Unlock()
	switch {
	case err != nil && wasWritable:
		s.log.Error("cannot save state; retrying, and /readyz reports degraded until it works", "file", s.path, "error", err)
	case err == nil && !wasWritable:
		s.log.Info("state saved again", "file", s.path, "failed_for", now.Sub(failingSince).Round(time.Millisecond).String())
	}
}

// Health returns the Store's status.
func (s *Store) Health() Health {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.health
}

// Degraded returns why the state is not being saved, "" when it is.
func (s *Store) Degraded() string {
	h := s.Health()
	if h.Writable {
		return ""
	}
	return fmt.Sprintf("state is not being saved to %s since %s: %s", h.Dir, h.FailingSince.UTC().Format(time.RFC3339), h.LastError)
}

// Run flushes every Interval until ctx is done, then once more.
func (s *Store) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.Flush()
			return
		case <-t.C:
			s.flush(true) // a failure is recorded and retried at the next tick
		}
	}
}

// Close flushes once more and closes the database.
func (s *Store) Close() error {
	ferr := s.Flush()
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	return errors.Join(ferr, s.db.Close())
}

// ForEach calls fn for every key of bucket in key order; value is only
// valid during the call. A missing bucket has no keys.
func (s *Store) ForEach(bucket string, fn func(key string, value []byte) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return nil // a nested bucket
			}
			return fn(string(k), v)
		})
	})
}

// Get returns a copy of one value, nil when absent.
func (s *Store) Get(bucket, key string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket([]byte(bucket)); b != nil {
			if v := b.Get([]byte(key)); v != nil {
				out = append([]byte{}, v...)
			}
		}
		return nil
	})
	return out, err
}

// Meta returns a one-time marker or setting of the meta bucket.
func (s *Store) Meta(key string) ([]byte, error) { return s.Get(metaBucket, key) }

// PutMeta adds a meta marker to b.
func (b *Batch) PutMeta(key string, value []byte) { b.Put(metaBucket, key, value) }
