// Package lockfile takes exclusive, non-blocking locks on files, so that
// two phoneprovd commands never work on the same download, plugin or
// package set at once. A lock goes away with its process.
package lockfile

import (
	"errors"
	"fmt"
	"os"
)

// ErrLocked is returned when another process holds the lock.
var ErrLocked = errors.New("locked by another process")

// Lock is a held lock.
type Lock struct {
	f *os.File
}

// TryLock creates path if needed and locks it, or fails at once with an
// error wrapping ErrLocked.
func TryLock(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lock(f); err != nil {
		f.Close()
		if errors.Is(err, ErrLocked) {
			return nil, fmt.Errorf("%s: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// File returns the locked file, open for reading and writing.
func (l *Lock) File() *os.File { return l.f }

// Close releases the lock.
func (l *Lock) Close() error { return l.f.Close() }
