// Package lastgood keeps a copy of the inputs of the last configuration
// phoneprovd served from the live files — every config file and included
// file, and every template it read, with the files it looked for and did
// not find — in the state database, so that a start that finds a broken
// edit serves the last good configuration instead of a part of it (or
// nothing). Static files (firmware) are not copied: they are served from
// the disk.
//
// A Set is read back as a config.FileSystem: the loaders read the saved
// bytes under the same paths, so everything — diagnostics, the files
// watched, the variables derived from paths — is as it was, and the live
// files take over at the first reload that succeeds.
package lastgood

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// Buckets in the state store: the files (path → 'F' and the content, or
// 'M' for a file looked for and missing) and what describes the copy.
const (
	FilesBucket = "lastgood.files"
	InfoBucket  = "lastgood"
)

// ErrChanged is returned by Capture when a file changed since the snapshot
// read it: the copy would not be what was served (the next reload makes a
// new snapshot anyway).
var ErrChanged = errors.New("lastgood: a file changed since the configuration was loaded")

// Info describes a saved copy.
type Info struct {
	SavedAt time.Time `json:"saved_at"`
	// LoadedAt is when the configuration it is the copy of was loaded.
	LoadedAt time.Time `json:"loaded_at"`
	Files    int       `json:"files"`
	Bytes    int64     `json:"bytes"`
}

// Set is a copy of a configuration's inputs. It implements
// config.FileSystem: saved files are regular files, their ancestors
// directories, and anything else does not exist.
type Set struct {
	Info    Info
	files   map[string][]byte // absolute path → content
	missing map[string]bool
	dirs    map[string][]string // directory → sorted names of files and directories in it
}

// Capture copies the inputs of snap from the disk, checking that each is
// still what snap read (ErrChanged otherwise).
func Capture(snap *phoneprov.Snapshot) (*Set, error) {
	s := &Set{files: make(map[string][]byte), missing: make(map[string]bool)}
	for _, f := range snap.Dependencies().Files {
		path, err := filepath.Abs(f.Path)
		if err != nil {
			return nil, err
		}
		if f.Missing {
			s.missing[path] = true
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrChanged, path, err)
		}
		if sha256.Sum256(b) != f.Sum {
			return nil, fmt.Errorf("%w: %s", ErrChanged, path)
		}
		s.files[path] = b
		s.Info.Bytes += int64(len(b))
	}
	s.Info.Files = len(s.files)
	s.Info.LoadedAt = snap.LoadedAt
	s.index()
	return s, nil
}

// Same reports whether two sets hold the same files.
func (s *Set) Same(o *Set) bool {
	if s == nil || o == nil || len(s.files) != len(o.files) || len(s.missing) != len(o.missing) {
		return false
	}
	for p, b := range s.files {
		if ob, ok := o.files[p]; !ok || !bytes.Equal(b, ob) {
			return false
		}
	}
	for p := range s.missing {
		if !o.missing[p] {
			return false
		}
	}
	return true
}

// Paths lists the saved files.
func (s *Set) Paths() []string {
	out := make([]string, 0, len(s.files))
	for p := range s.files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// index builds the directory listings.
func (s *Set) index() {
	seen := make(map[string]map[string]bool)
	add := func(dir, name string) {
		if seen[dir] == nil {
			seen[dir] = make(map[string]bool)
		}
		seen[dir][name] = true
	}
	for p := range s.files {
		for dir := filepath.Dir(p); ; p, dir = dir, filepath.Dir(dir) {
			add(dir, filepath.Base(p))
			if dir == filepath.Dir(dir) {
				break
			}
		}
	}
	s.dirs = make(map[string][]string, len(seen))
	for dir, names := range seen {
		list := make([]string, 0, len(names))
		for n := range names {
			list = append(list, n)
		}
		sort.Strings(list)
		s.dirs[dir] = list
	}
}

// Save replaces the copy in the store with s, in one transaction.
func Save(st *state.Store, s *Set, now time.Time) error {
	var b state.Batch
	b.Clear(FilesBucket)
	for p, content := range s.files {
		b.Put(FilesBucket, p, append([]byte{'F'}, content...))
	}
	for p := range s.missing {
		b.Put(FilesBucket, p, []byte{'M'})
	}
	s.Info.SavedAt = now
	info, err := json.Marshal(s.Info)
	if err != nil {
		return err
	}
	b.Put(InfoBucket, "info", info)
	return st.Write(&b)
}

// Load reads the copy saved in the store; nil, nil when there is none.
func Load(st *state.Store) (*Set, error) {
	raw, err := st.Get(InfoBucket, "info")
	if err != nil || raw == nil {
		return nil, err
	}
	s := &Set{files: make(map[string][]byte), missing: make(map[string]bool)}
	if err := json.Unmarshal(raw, &s.Info); err != nil {
		return nil, fmt.Errorf("lastgood: the saved description is unreadable: %w", err)
	}
	err = st.ForEach(FilesBucket, func(key string, value []byte) error {
		switch {
		case len(value) >= 1 && value[0] == 'F':
			s.files[key] = append([]byte(nil), value[1:]...)
		case len(value) == 1 && value[0] == 'M':
			s.missing[key] = true
		default:
			return fmt.Errorf("lastgood: the saved copy of %s is unreadable", key)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(s.files) != s.Info.Files {
		return nil, fmt.Errorf("lastgood: the saved copy holds %d files, its description says %d", len(s.files), s.Info.Files)
	}
	s.index()
	return s, nil
}

func (s *Set) clean(name string) string {
	if p, err := filepath.Abs(name); err == nil {
		return p
	}
	return filepath.Clean(name)
}

// Stat implements config.FileSystem.
func (s *Set) Stat(name string) (fs.FileInfo, error) {
	p := s.clean(name)
	if b, ok := s.files[p]; ok {
		return fileInfo{name: filepath.Base(p), size: int64(len(b)), mtime: s.Info.LoadedAt}, nil
	}
	if _, ok := s.dirs[p]; ok {
		return fileInfo{name: filepath.Base(p), dir: true, mtime: s.Info.LoadedAt}, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
}

// Lstat implements config.FileSystem: the copy has no symbolic links.
func (s *Set) Lstat(name string) (fs.FileInfo, error) { return s.Stat(name) }

// ReadDir implements config.FileSystem.
func (s *Set) ReadDir(name string) ([]fs.DirEntry, error) {
	names, ok := s.dirs[s.clean(name)]
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(names))
	for _, n := range names {
		info, _ := s.Stat(filepath.Join(s.clean(name), n))
		out = append(out, fs.FileInfoToDirEntry(info))
	}
	return out, nil
}

// Open implements config.FileSystem.
func (s *Set) Open(name string) (io.ReadCloser, error) {
	if b, ok := s.files[s.clean(name)]; ok {
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// fileInfo describes a saved file or an implied directory.
type fileInfo struct {
	name  string
	size  int64
	dir   bool
	mtime time.Time
}

func (f fileInfo) Name() string { return f.name }
func (f fileInfo) Size() int64  { return f.size }
func (f fileInfo) Mode() fs.FileMode {
	if f.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (f fileInfo) ModTime() time.Time { return f.mtime }
func (f fileInfo) IsDir() bool        { return f.dir }
func (f fileInfo) Sys() any           { return nil }

// Describe says in a few words what the set is, for logs and /status.
func (i Info) Describe() string {
	return fmt.Sprintf("%d files saved %s", i.Files, i.SavedAt.UTC().Format(time.RFC3339))
}
