package phoneprov

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// Static-file caching limits: files up to maxCachedStatic bytes are kept in
// memory, up to maxCachedStatics bytes in all per snapshot; larger ones
// (firmware) are streamed from disk.
const (
	maxCachedStatic  = 256 << 10
	maxCachedStatics = 32 << 20
)

// StaticFile is a static route's file as a snapshot serves it.
type StaticFile struct {
	// Path is the file, resolved and confined to the data directory.
	Path    string
	Size    int64
	ModTime time.Time
	// Data is the whole content when the file is small enough to be kept
	// in memory; nil means stream Path.
	Data []byte
	// ETag is the entity tag of Data (a digest of its bytes); "" for a
	// file streamed from disk, whose tag FileETag makes from what the open
	// file is.
	ETag string
}

// FileETag is the entity tag of a file served from disk: its size and
// modification time, as nginx makes it.
func FileETag(fi os.FileInfo) string {
	return fmt.Sprintf(`"%x-%x"`, fi.ModTime().UnixNano(), fi.Size())
}

// staticFile is what a snapshot resolved for a static file at load time.
type staticFile struct {
	f   *StaticFile
	err error
}

// resolveStatics resolves every static file once, when the snapshot is
// built, and reads the small ones: requests then do no path resolution.
// A file that cannot be served now is resolved again per request, so that
// it can appear without a reload (the watcher reloads anyway).
func (s *Snapshot) resolveStatics() {
	s.staticFiles = make(map[*File]staticFile)
	budget := int64(maxCachedStatics)
	for _, p := range s.Profiles {
		for _, f := range p.Static {
			sf, err := s.openStatic(f, &budget)
			if err == nil {
				s.staticFiles[f] = staticFile{f: sf}
			}
		}
	}
	if s.plugins != nil {
		for f := range s.plugins.staticRoots {
			if sf, err := s.openStatic(f, &budget); err == nil {
				s.staticFiles[f] = staticFile{f: sf}
			}
		}
	}
}

// openStatic resolves a static file and reads it when it is small.
func (s *Snapshot) openStatic(f *File, budget *int64) (*StaticFile, error) {
	path, err := s.resolveStaticFile(f)
	if err != nil {
		return nil, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	sf := &StaticFile{Path: path, Size: fi.Size(), ModTime: fi.ModTime()}
	if fi.Size() <= maxCachedStatic && budget != nil && fi.Size() <= *budget {
		data, err := io.ReadAll(io.LimitReader(fh, fi.Size()+1))
		if err == nil && int64(len(data)) == fi.Size() {
			sf.Data = data
			sum := sha256.Sum256(data)
			sf.ETag = `"` + hex.EncodeToString(sum[:12]) + `"`
			*budget -= fi.Size()
		}
	}
	return sf, nil
}

// ErrNotRegular is returned for a static route whose file is a directory
// or a device.
var ErrNotRegular = errors.New("not a regular file")

// Static returns the file a static route serves: from what the snapshot
// resolved when it was built, else resolved now.
func (s *Snapshot) Static(r *Route) (*StaticFile, error) {
	if sf, ok := s.staticFiles[r.File]; ok {
		return sf.f, sf.err
	}
	return s.openStatic(r.File, nil)
}
