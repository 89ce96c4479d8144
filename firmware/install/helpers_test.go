package install

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/firmware/fetch"
)

// files is a loopback server of test files at /fw/NAME.
type files struct {
	*httptest.Server
	mu    sync.Mutex
	data  map[string][]byte
	count map[string]int
}

func newFiles(t *testing.T) *files {
	f := &files{data: map[string][]byte{}, count: map[string]int{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/fw/")
		f.mu.Lock()
		d, ok := f.data[name]
		f.count[name]++
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(d))
	}))
	t.Cleanup(f.Close)
	return f
}

// put serves data as name and returns its URL and SHA-1.
func (f *files) put(name string, data []byte) (url, sum string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.data[name] = data
	s := sha1.Sum(data)
	return f.URL + "/fw/" + name, hex.EncodeToString(s[:])
}

func sha(data []byte) string {
	s := sha1.Sum(data)
	return hex.EncodeToString(s[:])
}

// plugin makes a plugin directory with the given pkgs.db and static
// files (path -> content) under var/tftpboot.
func plugin(t *testing.T, pkgsDB string, static map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "plugins", "test-plugin")
	write(t, filepath.Join(dir, "pkgs", "pkgs.db"), pkgsDB)
	for p, c := range static {
		write(t, filepath.Join(dir, "var", "tftpboot", p), c)
	}
	return dir
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// installer opens the plugin with a cache of its own.
func installer(t *testing.T, dir string) (*Installer, *bytes.Buffer) {
	t.Helper()
	c := fetch.New(filepath.Join(filepath.Dir(filepath.Dir(dir)), "cache"))
	c.Backoff, c.MaxBackoff, c.Attempts = time.Millisecond, time.Millisecond, 2
	in, err := Open(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	in.Report = &out
	return in, &out
}

// snapshot lists every file and directory of a tree with its content,
// leaving out the lock file (it stays once created, by design).
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == "." || rel == "var/.fwlock":
		case d.IsDir():
			out = append(out, rel+"/")
		default:
			b, _ := os.ReadFile(p)
			if len(b) > 64 {
				b = []byte(sha(b))
			}
			out = append(out, rel+"="+string(b))
		}
		return nil
	})
	sort.Strings(out)
	return strings.Join(out, "\n")
}

type member struct {
	name, body string
	typ        byte   // tar type; 0 = regular file
	link       string // for links
}

func tarGz(t *testing.T, members ...member) []byte {
	t.Helper()
	var b bytes.Buffer
	gw := gzip.NewWriter(&b)
	tw := tar.NewWriter(gw)
	for _, m := range members {
		typ := m.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.body)), Typeflag: typ, Linkname: m.link}
		if typ != tar.TypeReg {
			h.Size = 0
		}
		if typ == tar.TypeDir {
			h.Mode = 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(m.body))
	}
	tw.Close()
	gw.Close()
	return b.Bytes()
}

func zipOf(t *testing.T, members ...member) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, m := range members {
		h := &zip.FileHeader{Name: m.name, Method: zip.Store}
		body := m.body
		switch m.typ {
		case tar.TypeSymlink:
			h.SetMode(fs.ModeSymlink | 0o777)
			body = m.link
		case tar.TypeDir:
			h.SetMode(fs.ModeDir | 0o755)
		default:
			h.SetMode(0o644)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	zw.Close()
	return b.Bytes()
}
