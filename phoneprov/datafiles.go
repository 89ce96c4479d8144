package phoneprov

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
)

// ErrOutsideDataDir is returned for a path that leaves DATA-DIR/phoneprov,
// through ".." or a symbolic link.
var ErrOutsideDataDir = errors.New("outside the phoneprov data directory")

// dataRoot is DATA-DIR/phoneprov, the directory every template, static file
// and PP_EACH_EXTENSION file must live in.
type dataRoot struct {
	dir      string // as configured, cleaned
	resolved string // with symbolic links resolved, "" if it does not exist
}

func newDataRoot(dataDir string) dataRoot {
	dir := filepath.Clean(filepath.Join(dataDir, "phoneprov"))
	resolved, err := filepath.EvalSymlinks(dir)
	if err != nil {
		resolved = ""
	}
	return dataRoot{dir: dir, resolved: resolved}
}

// resolve returns the absolute path of rel (a template or static file name
// as written in phoneprov.conf), or an error when it does not exist or
// resolves outside the root. Asterisk joins the names without any check;
// phoneprovd refuses to serve anything outside the data directory.
func (d dataRoot) resolve(rel string) (string, error) {
	p := filepath.Join(d.dir, rel)
	if !within(p, d.dir) {
		return "", fmt.Errorf("%s: %w", rel, ErrOutsideDataDir)
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	if d.resolved == "" || !within(real, d.resolved) {
		return "", fmt.Errorf("%s: %w", rel, ErrOutsideDataDir)
	}
	return real, nil
}

// within reports whether p is root or inside it.
func within(p, root string) bool {
	return p == root || strings.HasPrefix(p, root+string(filepath.Separator))
}

// textFile is a template read once per snapshot.
type textFile struct {
	text string   // up to the first NUL, as a C string
	raw  []byte   // the same bytes: bodies share long runs of them (pieces)
	path string   // the path as configured (a symlink is not resolved), for the watcher
	sum  [32]byte // of the whole file as read
	err  error
}

// textStore reads template files on first use and keeps them for the life
// of a snapshot: a changed template makes a new snapshot, so the hot path
// never reads the disk for one. Lookups of files already read take no
// lock: the renders of a reload run on every CPU and look templates up
// several times per route.
type textStore struct {
	root  dataRoot
	saved config.FileSystem // when set, templates are read from it (the last good copy)
	mu    sync.Mutex        // held while a file is read, so it is read once
	files sync.Map          // rel → *textFile
}

func newTextStore(root dataRoot) *textStore {
	return &textStore{root: root}
}

// get returns the text of the template rel.
func (s *textStore) get(rel string) (string, error) {
	f, err := s.file(rel)
	if f == nil {
		return "", err
	}
	return f.text, err
}

// file returns the template rel as read.
func (s *textStore) file(rel string) (*textFile, error) {
	f := s.lookup(rel)
	if f == nil {
		s.mu.Lock()
		if f = s.lookup(rel); f == nil {
			f = s.read(rel)
			s.files.Store(rel, f)
		}
		s.mu.Unlock()
	}
	if f.err != nil {
		return nil, f.err
	}
	return f, nil
}

func (s *textStore) lookup(rel string) *textFile {
	if v, ok := s.files.Load(rel); ok {
		return v.(*textFile)
	}
	return nil
}

func (s *textStore) read(rel string) *textFile {
	path := filepath.Join(s.root.dir, rel)
	if s.saved != nil {
		// The saved copy holds each template under the path it was read
		// by, checked against the data directory when it was saved.
		if !within(path, s.root.dir) {
			return &textFile{path: path, err: fmt.Errorf("%s: %w", rel, ErrOutsideDataDir)}
		}
		return s.readSaved(path)
	}
	p, err := s.root.resolve(rel)
	if err != nil {
		return &textFile{path: path, err: err}
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return &textFile{path: path, err: err}
	}
	f := &textFile{path: path, sum: sha256.Sum256(b)}
	if i := indexNUL(b); i >= 0 {
		b = b[:i]
	}
	f.text, f.raw = string(b), b
	return f
}

// readSaved reads a template from the saved copy.
func (s *textStore) readSaved(path string) *textFile {
	f, err := s.saved.Open(path)
	if err != nil {
		return &textFile{path: path, err: err}
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return &textFile{path: path, err: err}
	}
	t := &textFile{path: path, sum: sha256.Sum256(b)}
	if i := indexNUL(b); i >= 0 {
		b = b[:i]
	}
	t.text, t.raw = string(b), b
	return t
}

// states returns the state of every template the store has read or tried
// to read, for the watcher.
func (s *textStore) states() []FileState {
	var out []FileState
	s.files.Range(func(_, v any) bool {
		f := v.(*textFile)
		out = append(out, FileState{Path: f.path, Sum: f.sum, Missing: f.err != nil})
		return true
	})
	return out
}

func indexNUL(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}
