// Package fetch is phoneprovd's download cache for firmware files and
// plugin packages.
//
// Each file is downloaded once into the cache directory, under its name,
// and only after its size and SHA-1 match: a download goes to NAME.part,
// is resumed with an HTTP Range request after an interruption, is retried
// with capped exponential backoff when the network or the server fails,
// and is renamed to NAME when complete and checked. A mismatch keeps
// nothing. A file without URL must be put into the cache by hand; Fetch
// then says exactly where, and checks the file put there.
package fetch

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/phoneprovd/phoneprovd/firmware/lockfile"
)

// File is a file to have in the cache.
type File struct {
	Name string // file name in the cache, one path element
	URL  string // "" when only the administrator can supply it
	Size int64  // bytes
	SHA1 string // 40 hex digits
	// Login is true when the site may want a login (pkgs.db's "auth"
	// downloader): a 401 or 403 then asks for the file to be put in the
	// cache by hand.
	Login bool
}

// Cache is a download cache directory. Its methods may be called from
// several goroutines; a file being downloaded by one is refused to the
// others (and to other processes) until it is done.
type Cache struct {
	// Dir is the cache directory; it is created when needed.
	Dir string
	// Client makes the requests; NewClient() when nil.
	Client *http.Client
	// Attempts is how many times a download is tried (default 5).
	Attempts int
	// Backoff is the wait after the first failed attempt, doubled after
	// each one up to MaxBackoff (defaults 1s and 30s).
	Backoff, MaxBackoff time.Duration
	// Stall is how long a download may receive nothing before the attempt
	// is abandoned (default 60s).
	Stall time.Duration
	// Progress is told what happens; nothing is reported when nil.
	Progress Progress
	// Logger receives debug and warning records; none when nil.
	Logger *slog.Logger
	// UserAgent is sent with each request ("phoneprovd" when empty).
	UserAgent string

	clientOnce sync.Once
	client     *http.Client
}

// New returns a cache in dir with the defaults.
func New(dir string) *Cache { return &Cache{Dir: dir} }

// Path is where the file named name is kept.
func (c *Cache) Path(name string) string { return filepath.Join(c.Dir, name) }

func (c *Cache) progress() Progress {
	if c.Progress == nil {
		return discard{}
	}
	return c.Progress
}

func (c *Cache) log() *slog.Logger {
	if c.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Logger
}

func (c *Cache) httpClient() *http.Client {
	if c.Client != nil {
		return c.Client
	}
	c.clientOnce.Do(func() { c.client = NewClient() })
	return c.client
}

// checkFile refuses names that would leave the cache directory and
// checksums that are not SHA-1 digests.
func checkFile(f File) error {
	if f.Name == "" || f.Name == "." || f.Name == ".." || strings.ContainsAny(f.Name, "/\x00") || strings.HasSuffix(f.Name, ".part") {
		return fmt.Errorf("%q is not a valid cache file name", f.Name)
	}
	if b, err := hex.DecodeString(f.SHA1); err != nil || len(b) != sha1.Size {
		return fmt.Errorf("%s: %q is not a SHA-1 digest (40 hex digits)", f.Name, f.SHA1)
	}
	if f.Size < 0 {
		return fmt.Errorf("%s: negative size %d", f.Name, f.Size)
	}
	return nil
}

// Have reports whether the file is in the cache with the right size and
// SHA-1. A wrong file is an error (a *MismatchError).
func (c *Cache) Have(f File) (bool, error) {
	if err := checkFile(f); err != nil {
		return false, err
	}
	err := c.verify(f, c.Path(f.Name))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Fetch makes sure the file is in the cache and returns its path. A file
// already there is checked; a wrong one is downloaded again (or, for a
// file put by hand, reported). Cancelling ctx stops a download and keeps
// what was received for the next Fetch to resume.
func (c *Cache) Fetch(ctx context.Context, f File) (string, error) {
	if err := checkFile(f); err != nil {
		return "", err
	}
	f.SHA1 = strings.ToLower(f.SHA1)
	dst := c.Path(f.Name)
	switch err := c.verify(f, dst); {
	case err == nil:
		c.progress().Cached(f.Name)
		return dst, nil
	case errors.Is(err, fs.ErrNotExist):
	case f.URL == "":
		var mm *MismatchError
		if errors.As(err, &mm) {
			mm.Path = dst
		}
		return "", err
	default:
		var mm *MismatchError
		if !errors.As(err, &mm) {
			return "", err
		}
		c.log().Warn("cached file is wrong, downloading it again", "file", dst, "err", err)
		if err := os.Remove(dst); err != nil {
			return "", err
		}
	}
	if f.URL == "" {
		return "", &ManualError{File: f, Path: dst, Reason: "has no download URL (pkgs.db leaves it empty)"}
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return "", err
	}
	lock, err := lockfile.TryLock(dst + ".part")
	if err != nil {
		if errors.Is(err, lockfile.ErrLocked) {
			return "", fmt.Errorf("%s: another phoneprovd command is downloading it", f.Name)
		}
		return "", err
	}
	defer lock.Close()
	// Another process may have finished while we were not looking.
	if err := c.verify(f, dst); err == nil {
		os.Remove(dst + ".part")
		c.progress().Cached(f.Name)
		return dst, nil
	}
	if err := c.download(ctx, f, lock.File(), dst); err != nil {
		return "", err
	}
	return dst, nil
}

// verify checks a file's size and SHA-1.
func (c *Cache) verify(f File, path string) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Size() != f.Size {
		return &MismatchError{Name: f.Name, What: "size", Want: strconv.FormatInt(f.Size, 10) + " bytes", Got: strconv.FormatInt(fi.Size(), 10) + " bytes"}
	}
	h := sha1.New()
	if _, err := io.Copy(h, fh); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA1 {
		return &MismatchError{Name: f.Name, What: "SHA-1", Want: f.SHA1, Got: got}
	}
	return nil
}
