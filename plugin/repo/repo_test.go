package repo

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/firmware/fetch"
)

// server is a loopback plugin server.
type server struct {
	*httptest.Server
	mu    sync.Mutex
	files map[string][]byte
	// drop, when set, breaks the first request for that file after n
	// bytes.
	drop     map[string]int
	requests []string
}

func newServer(t *testing.T) *server {
	s := &server{files: map[string][]byte{}, drop: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/provd/stable/")
		s.mu.Lock()
		data, ok := s.files[name]
		n, drop := s.drop[name]
		delete(s.drop, name)
		s.requests = append(s.requests, name+" "+r.Header.Get("Range"))
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		if drop {
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			w.Write(data[:n])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) base() string { return s.URL + "/provd/stable" }

func (s *server) put(name string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[name] = data
}

// tarMember is one entry of a test package.
type tarMember struct {
	name, body string
	typ        byte
	link       string
}

// bz2Memo keeps compressed packages: the tests build the same ones often,
// and each compression starts a Python.
var bz2Memo sync.Map

func bz2(t *testing.T, data []byte) []byte {
	t.Helper()
	key := sha1.Sum(data)
	if b, ok := bz2Memo.Load(key); ok {
		return b.([]byte)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is needed to make .tar.bz2 test packages")
		}
		t.Skip("python3 is not installed: cannot make .tar.bz2 test packages")
	}
	cmd := exec.Command(py, "-c", "import bz2,sys; sys.stdout.buffer.write(bz2.compress(sys.stdin.buffer.read()))")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	bz2Memo.Store(key, out)
	return out
}

// tarBz2 builds a package from members.
func tarBz2(t *testing.T, members ...tarMember) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, m := range members {
		typ := m.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: m.name, Typeflag: typ, Mode: 0o644, Linkname: m.link}
		if typ == tar.TypeReg {
			h.Size = int64(len(m.body))
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
	return bz2(t, b.Bytes())
}

func pluginInfo(version string, models ...string) string {
	caps := map[string]any{}
	for _, m := range models {
		caps["Test, "+m+", 1.0"] = map[string]any{"lines": 1}
	}
	b, _ := json.Marshal(map[string]any{"version": version, "description": "Test plugin " + version, "description_fr": "Greffon de test", "capabilities": caps})
	return string(b)
}

// testPlugin is a package of plugin "wazo-test" at version v.
func testPlugin(t *testing.T, v string, extra ...tarMember) []byte {
	members := []tarMember{
		{name: "wazo-test/", typ: tar.TypeDir},
		{name: "wazo-test/plugin-info", body: pluginInfo(v, "T1", "T2", "T3")},
		{name: "wazo-test/templates/base.tpl", body: "base " + v},
		{name: "wazo-test/pkgs/pkgs.db", body: "[pkg_x]\ndescription: x\nversion: " + v + "\n"},
		{name: "wazo-test/var/tftpboot/static.xml", body: "static " + v},
	}
	return tarBz2(t, append(members, extra...)...)
}

// publish serves packages and an index describing them.
func (s *server) publish(t *testing.T, pkgs map[string][]byte, versions map[string]string) {
	ix := map[string]any{}
	for id, data := range pkgs {
		name := id + "-" + versions[id] + ".tar.bz2"
		sum := sha1.Sum(data)
		ix[id] = map[string]any{"version": versions[id], "description": "Test plugin", "capabilities": map[string]any{"Test, T1, 1.0": map[string]any{}},
			"filename": name, "dsize": len(data), "sha1sum": hex.EncodeToString(sum[:])}
		s.put(name, data)
	}
	b, _ := json.MarshalIndent(ix, "", "    ")
	s.put("plugins.db", b)
}

func newRepo(t *testing.T, s *server) (*Repo, *bytes.Buffer) {
	base := t.TempDir()
	c := fetch.New(filepath.Join(base, "state", "cache"))
	c.Backoff, c.MaxBackoff = time.Millisecond, time.Millisecond
	var out bytes.Buffer
	return &Repo{PluginsDir: filepath.Join(base, "plugins"), StateDir: filepath.Join(base, "state"), Server: s.base(), Cache: c, Report: &out}, &out
}

// tree lists a directory as "path=content" and "dir/" lines.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case rel == ".":
		case d.IsDir():
			out = append(out, filepath.ToSlash(rel)+"/")
		default:
			b, _ := os.ReadFile(p)
			out = append(out, filepath.ToSlash(rel)+"="+string(b))
		}
		return nil
	})
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func TestInstallUpgradeRemove(t *testing.T) {
	s := newServer(t)
	s.publish(t, map[string][]byte{"wazo-test": testPlugin(t, "1.0", tarMember{name: "wazo-test/templates/old.tpl", body: "dropped in 2.0"})}, map[string]string{"wazo-test": "1.0"})
	r, out := newRepo(t, s)
	ctx := context.Background()
	if _, err := r.List(); err == nil || !strings.Contains(err.Error(), `run "phoneprovd plugins update" first`) {
		t.Errorf("List before update: %v", err)
	}
	if err := r.Update(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.Install(ctx, "wazo-test"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(r.PluginsDir, "wazo-test")
	if got := tree(t, filepath.Join(dir, "templates")); got != "base.tpl=base 1.0\nold.tpl=dropped in 2.0" {
		t.Errorf("installed templates: %s", got)
	}
	list, err := r.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Installed.Info.Version != "1.0" || list[0].Installed.Info.Models != 3 || list[0].Available.Version != "1.0" {
		t.Errorf("list: %+v", list[0])
	}
	if err := r.Install(ctx, "wazo-test"); err == nil || !strings.Contains(err.Error(), "is already installed") {
		t.Errorf("second install: %v", err)
	}

	// What an upgrade must keep: the administrator's template override,
	// an installed firmware package (record and file), a file the daemon
	// wrote.
	write(t, filepath.Join(dir, "var/templates/base.tpl"), "my override")
	write(t, filepath.Join(dir, "var/tftpboot/firmware/fw.rom"), "firmware")
	write(t, filepath.Join(dir, "var/installed/fw"), `{"id": "fw", "version": "1", "files": ["firmware/", "firmware/fw.rom", "static.xml"], "explicit_install": true}`)
	write(t, filepath.Join(dir, "var/tftpboot/001122334455.cfg"), "generated")

	s.publish(t, map[string][]byte{"wazo-test": testPlugin(t, "2.0")}, map[string]string{"wazo-test": "2.0"})
	if err := r.Update(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.Upgrade(ctx, "wazo-test"); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"pkgs/", "pkgs/pkgs.db=[pkg_x]\ndescription: x\nversion: 2.0\n", "plugin-info=" + pluginInfo("2.0", "T1", "T2", "T3"),
		"templates/", "templates/base.tpl=base 2.0",
		"var/", "var/installed/", `var/installed/fw={"id": "fw", "version": "1", "files": ["firmware/", "firmware/fw.rom", "static.xml"], "explicit_install": true}`,
		"var/templates/", "var/templates/base.tpl=my override",
		"var/tftpboot/", "var/tftpboot/001122334455.cfg=generated", "var/tftpboot/firmware/", "var/tftpboot/firmware/fw.rom=firmware",
		"var/tftpboot/static.xml=static 1.0", // a firmware record lists it: the installed one wins
	}, "\n")
	if got := tree(t, dir); got != want {
		t.Errorf("after upgrade:\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(out.String(), "wazo-test: upgraded from 1.0 to 2.0, keeping 5 files of var/") {
		t.Errorf("report:\n%s", out)
	}
	if err := r.Remove(ctx, "wazo-test"); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, r.PluginsDir); got != ".lock=" {
		t.Errorf("plugins dir after remove: %q", got)
	}
	if err := r.Remove(ctx, "wazo-test"); err == nil || !strings.Contains(err.Error(), "is not installed") {
		t.Errorf("second remove: %v", err)
	}
}

func write(t *testing.T, p, content string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFailuresKeepOldPlugin breaks an upgrade in each way the brief lists
// and checks the installed plugin (and the plugins directory) are as
// before, with a clear message.
func TestFailuresKeepOldPlugin(t *testing.T) {
	tests := []struct {
		name    string
		publish func(t *testing.T, s *server)
		ctx     func() context.Context
		want    string
	}{
		{"wrong SHA-1", func(t *testing.T, s *server) {
			pkg := testPlugin(t, "2.0")
			s.publish(t, map[string][]byte{"wazo-test": pkg}, map[string]string{"wazo-test": "2.0"})
			evil := bytes.Clone(pkg) // same size, one byte changed
			evil[len(evil)/2] ^= 0xff
			s.put("wazo-test-2.0.tar.bz2", evil)
		}, nil, "wazo-test-2.0.tar.bz2: SHA-1 mismatch: expected"},
		{"404", func(t *testing.T, s *server) {
			s.publish(t, map[string][]byte{"wazo-test": testPlugin(t, "2.0")}, map[string]string{"wazo-test": "2.0"})
			delete(s.files, "wazo-test-2.0.tar.bz2")
		}, nil, "/provd/stable/wazo-test-2.0.tar.bz2: 404 Not Found"},
		{"tarball with ..", func(t *testing.T, s *server) {
			s.publish(t, map[string][]byte{"wazo-test": testPlugin(t, "2.0", tarMember{name: "wazo-test/../../escaped", body: "x"})}, map[string]string{"wazo-test": "2.0"})
		}, nil, `wazo-test-2.0.tar.bz2: member "wazo-test/../../escaped": the path climbs out with "..": refused`},
		{"tarball with an absolute path", func(t *testing.T, s *server) {
			s.publish(t, map[string][]byte{"wazo-test": testPlugin(t, "2.0", tarMember{name: "/tmp/escaped", body: "x"})}, map[string]string{"wazo-test": "2.0"})
		}, nil, `wazo-test-2.0.tar.bz2: member "/tmp/escaped": absolute path: refused`},
		{"symlink out", func(t *testing.T, s *server) {
			s.publish(t, map[string][]byte{"wazo-test": testPlugin(t, "2.0", tarMember{name: "wazo-test/templates/x.tpl", typ: tar.TypeSymlink, link: "../../../../etc/passwd"})}, map[string]string{"wazo-test": "2.0"})
		}, nil, `symbolic link to "../../../../etc/passwd" leads outside the archive: refused`},
		{"two top directories", func(t *testing.T, s *server) {
			s.publish(t, map[string][]byte{"wazo-test": testPlugin(t, "2.0", tarMember{name: "other/x", body: "x"})}, map[string]string{"wazo-test": "2.0"})
		}, nil, `wazo-test-2.0.tar.bz2: the package must hold one directory, "wazo-test"; it holds other, wazo-test`},
		{"no plugin-info", func(t *testing.T, s *server) {
			s.publish(t, map[string][]byte{"wazo-test": tarBz2(t, tarMember{name: "wazo-test/templates/base.tpl", body: "x"})}, map[string]string{"wazo-test": "2.0"})
		}, nil, "plugin-info: no such file or directory"},
		{"cancelled", func(t *testing.T, s *server) {
			s.publish(t, map[string][]byte{"wazo-test": testPlugin(t, "2.0")}, map[string]string{"wazo-test": "2.0"})
		}, func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t)
			s.publish(t, map[string][]byte{"wazo-test": testPlugin(t, "1.0")}, map[string]string{"wazo-test": "1.0"})
			r, _ := newRepo(t, s)
			ctx := context.Background()
			if err := r.Update(ctx); err != nil {
				t.Fatal(err)
			}
			if err := r.Install(ctx, "wazo-test"); err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(r.PluginsDir, "wazo-test/var/templates/base.tpl"), "override")
			before := tree(t, r.PluginsDir)
			tt.publish(t, s)
			if err := r.Update(ctx); err != nil {
				t.Fatal(err)
			}
			if tt.ctx != nil {
				ctx = tt.ctx()
			}
			err := r.Upgrade(ctx, "wazo-test")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v\nwant ...%s", err, tt.want)
			}
			if after := tree(t, r.PluginsDir); after != before {
				t.Errorf("plugins dir changed:\n%s\nwas\n%s", after, before)
			}
			if _, err := os.Stat("/tmp/escaped"); err == nil {
				t.Error("/tmp/escaped exists")
			}
		})
	}
}

func TestInstallResumesTruncatedDownload(t *testing.T) {
	s := newServer(t)
	pkg := testPlugin(t, "1.0", tarMember{name: "wazo-test/var/tftpboot/big.bin", body: strings.Repeat("0123456789", 20000)})
	s.publish(t, map[string][]byte{"wazo-test": pkg}, map[string]string{"wazo-test": "1.0"})
	s.drop["wazo-test-1.0.tar.bz2"] = len(pkg) / 2
	r, _ := newRepo(t, s)
	ctx := context.Background()
	if err := r.Update(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.Install(ctx, "wazo-test"); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("wazo-test-1.0.tar.bz2 bytes=%d-", len(pkg)/2)
	if got := strings.Join(s.requests, "\n"); !strings.Contains(got, want) {
		t.Errorf("requests:\n%s\nwant a resume: %s", got, want)
	}
	if _, err := os.Stat(filepath.Join(r.PluginsDir, "wazo-test", "var/tftpboot/big.bin")); err != nil {
		t.Error(err)
	}
}

func TestUpdateKeepsIndexOnBadDownload(t *testing.T) {
	s := newServer(t)
	s.publish(t, map[string][]byte{"wazo-test": testPlugin(t, "1.0")}, map[string]string{"wazo-test": "1.0"})
	r, _ := newRepo(t, s)
	if err := r.Update(context.Background()); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(r.IndexPath())
	s.put("plugins.db", []byte("{\n  \"wazo-test\": {\n    \"version\": 2\n  }\n}"))
	err := r.Update(context.Background())
	if err == nil || err.Error() != s.base()+`/plugins.db:2: plugin "wazo-test": missing key "capabilities"` {
		t.Errorf("err = %v", err)
	}
	if now, _ := os.ReadFile(r.IndexPath()); !bytes.Equal(now, good) {
		t.Error("a bad index replaced the good one")
	}
	r.Server = ""
	if err := r.Update(context.Background()); err == nil || !strings.Contains(err.Error(), "no plugin server: set server in the [plugins] section of phoneprovd.conf, or pass -server URL") {
		t.Errorf("no server: %v", err)
	}
}

func TestExchange(t *testing.T) {
	base := t.TempDir()
	write(t, filepath.Join(base, "final/v"), "old")
	write(t, filepath.Join(base, "tmp/fresh/v"), "new")
	if err := exchange(filepath.Join(base, "tmp/fresh"), filepath.Join(base, "final"), filepath.Join(base, "tmp/old")); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, base); got != "final/\nfinal/v=new\ntmp/\ntmp/old/\ntmp/old/v=old" {
		t.Errorf("after exchange:\n%s", got)
	}
	// The fallback, and its undo when the second rename fails.
	if err := swapByRenames(filepath.Join(base, "tmp/missing"), filepath.Join(base, "final"), filepath.Join(base, "tmp/old2")); err == nil {
		t.Fatal("swap with a missing new plugin succeeded")
	}
	if got := tree(t, filepath.Join(base, "final")); got != "v=new" {
		t.Errorf("after a failed swap, final holds %q", got)
	}
}

func TestInstalledListsBrokenPlugins(t *testing.T) {
	s := newServer(t)
	r, _ := newRepo(t, s)
	write(t, filepath.Join(r.PluginsDir, "good/plugin-info"), pluginInfo("1.2", "A", "B"))
	write(t, filepath.Join(r.PluginsDir, "bad/plugin-info"), `{"version": "1"}`)
	os.MkdirAll(filepath.Join(r.PluginsDir, ".install-x-123"), 0o755)
	inst, err := r.Installed()
	if err != nil {
		t.Fatal(err)
	}
	if len(inst) != 2 || inst[0].ID != "bad" || inst[0].Err == nil || !strings.Contains(inst[0].Err.Error(), `missing key "description"`) ||
		inst[1].ID != "good" || inst[1].Info.Models != 2 || inst[1].Info.LocalDescription("fr_FR") != "Greffon de test" {
		t.Errorf("installed: %+v", inst)
	}
}
