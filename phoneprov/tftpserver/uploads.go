package tftpserver

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
)

// uploads stores the files clients write in one directory. A file is
// written to a temporary name beside its target and renamed when complete,
// so nobody reads half a file. Every path is opened through os.Root:
// neither ".." nor a symbolic link can lead outside the directory.
type uploads struct {
	dir      string
	maxFile  int64
	maxTotal int64

	mu      sync.Mutex
	writing map[string]bool // names with an upload in progress
	stored  int64           // bytes stored in dir, rescanned per upload
	pending int64           // bytes received by uploads in progress
}

// tempPrefix starts the name of a file being received. Clients cannot
// write such names, and they do not count as stored.
const tempPrefix = ".tftp-upload-"

func newUploads(dir string, maxFile, maxTotal int64) *uploads {
	return &uploads{dir: dir, maxFile: maxFile, maxTotal: maxTotal, writing: make(map[string]bool)}
}

// setLimits changes the limits; uploads in progress are held to them from
// their next block on.
func (u *uploads) setLimits(maxFile, maxTotal int64) {
	u.mu.Lock()
	u.maxFile, u.maxTotal = maxFile, maxTotal
	u.mu.Unlock()
}

// check reports whether the upload directory can be opened.
func (u *uploads) check() error {
	root, err := os.OpenRoot(u.dir)
	if err != nil {
		return fmt.Errorf("tftpserver: upload directory: %w", err)
	}
	return root.Close()
}

// uploadName returns the name under the upload directory that a write
// request's file name asks for. As for reads, one leading "/" is ignored;
// the rest must be a clean relative path without "..", backslashes or
// control characters, in a directory that already exists.
func uploadName(filename string) (string, bool) {
	name := strings.TrimPrefix(filename, "/")
	if name == "" || name == "." {
		return "", false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "", false
		}
	}
	if path.Clean(name) != name || !fs.ValidPath(name) {
		return "", false
	}
	if strings.HasPrefix(path.Base(name), tempPrefix) {
		return "", false
	}
	return name, true
}

// upload is one file being received.
type upload struct {
	u     *uploads
	root  *os.Root
	f     *os.File
	name  string // final name
	temp  string // name while being received
	size  int64  // bytes received (and reserved in u.pending)
	err   error  // why a Write failed, for the log
	ended bool
}

// begin starts receiving name. declared is the size the client announced
// (tsize), -1 when it did not. A refusal says why the upload cannot start;
// err, when set, is the cause to log.
func (u *uploads) begin(name string, declared int64) (*upload, *refusal, error) {
	u.mu.Lock()
	maxFile := u.maxFile
	u.mu.Unlock()
	if declared > maxFile {
		return nil, errUploadTooLarge, nil
	}
	root, err := os.OpenRoot(u.dir)
	if err != nil {
		return nil, errInternal, err
	}
	used, err := storedBytes(root)
	if err != nil {
		root.Close()
		return nil, errInternal, err
	}

	u.mu.Lock()
	u.stored = used
	switch {
	case u.writing[name]:
		u.mu.Unlock()
		root.Close()
		return nil, errBeingWritten, nil
	case declared > 0 && u.stored+u.pending+declared > u.maxTotal:
		u.mu.Unlock()
		root.Close()
		return nil, errUploadTooLarge, nil
	}
	u.writing[name] = true
	u.mu.Unlock()

	up := &upload{u: u, root: root, name: name, temp: path.Join(path.Dir(name), tempPrefix+rand.Text())}
	up.f, err = root.OpenFile(up.temp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		up.end()
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errBadName, nil // its directory does not exist
		}
		return nil, errCannotWrite, err
	}
	return up, nil, nil
}

// Write stores p unless it would take the file past the per-file limit or
// the directory past the total.
func (up *upload) Write(p []byte) (int, error) {
	u := up.u
	n := int64(len(p))
	u.mu.Lock()
	if up.size+n > u.maxFile || u.stored+u.pending+n > u.maxTotal {
		u.mu.Unlock()
		return 0, errUploadTooLarge
	}
	u.pending += n
	up.size += n
	u.mu.Unlock()
	if _, err := up.f.Write(p); err != nil {
		up.err = err
		return 0, errInternal
	}
	return len(p), nil
}

// commit makes the received file visible under its name, replacing any
// earlier upload of that name.
func (up *upload) commit() error {
	err := up.f.Sync()
	if cerr := up.f.Close(); err == nil {
		err = cerr
	}
	up.f = nil
	var replaced int64
	if err == nil {
		if info, lerr := up.root.Lstat(up.name); lerr == nil && info.Mode().IsRegular() {
			replaced = info.Size()
		}
		err = up.root.Rename(up.temp, up.name)
	}
	if err != nil {
		up.root.Remove(up.temp)
		up.end()
		return fmt.Errorf("storing %s: %w", up.name, err)
	}
	up.u.mu.Lock()
	up.u.stored += up.size - replaced
	up.u.mu.Unlock()
	up.end()
	return nil
}

// discard abandons the upload and removes what was received.
func (up *upload) discard() {
	if up.f != nil {
		up.f.Close()
		up.f = nil
	}
	up.root.Remove(up.temp)
	up.end()
}

// end releases the name and the reserved bytes, once.
func (up *upload) end() {
	if up.ended {
		return
	}
	up.ended = true
	u := up.u
	u.mu.Lock()
	u.pending -= up.size
	delete(u.writing, up.name)
	u.mu.Unlock()
	up.root.Close()
}

// storedBytes sums the sizes of the regular files under root, leaving out
// uploads in progress (counted in pending).
func storedBytes(root *os.Root) (int64, error) {
	var total int64
	err := fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if name == "." {
				return err
			}
			return nil // an unreadable subdirectory holds nothing countable
		}
		if !d.Type().IsRegular() || strings.HasPrefix(d.Name(), tempPrefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		total += info.Size()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("measuring the upload directory: %w", err)
	}
	return total, nil
}
