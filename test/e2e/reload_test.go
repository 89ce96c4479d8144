package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// reloadSite is a config dir and data dir a daemon serves, to be edited.
type reloadSite struct {
	t    *testing.T
	conf string
	data string
}

func newReloadSite(t *testing.T) *reloadSite {
	root := t.TempDir()
	s := &reloadSite{t: t, conf: filepath.Join(root, "etc"), data: filepath.Join(root, "lib")}
	writeFiles(t, root, map[string]string{
		"etc/phoneprovd.conf": "[general]\ndebounce = 100ms\n",
		"etc/phoneprov.conf": "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => phone.cfg\nsetvar => V=1\n" +
			"#tryinclude profiles/*.conf\n",
		"etc/users.conf": "[6001]\nusername = 6001\nfullname = Alice\nmacaddress = 0004f2000001\nautoprov = yes\n" +
			"#include users.d/*.conf\n",
		"etc/users.d/sales.conf":  "[6002]\nusername = 6002\nfullname = Bob\nmacaddress = 0004f2000002\nautoprov = yes\n",
		"lib/phoneprov/phone.cfg": "name=${DISPLAY_NAME} v=${V}\n",
	})
	return s
}

func (s *reloadSite) start() *daemon {
	return startDaemon(s.t, "-config-dir", s.conf, "-data-dir", s.data)
}

func (s *reloadSite) path(rel string) string {
	if strings.HasPrefix(rel, "lib/") {
		return filepath.Join(s.data, strings.TrimPrefix(rel, "lib/"))
	}
	return filepath.Join(s.conf, rel)
}

// Ways administrators change a file.

// sedInPlace writes a temporary file beside the target and renames it over
// the target, as sed -i and Ansible do.
func sedInPlace(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(filepath.Dir(path), "sed"+fmt.Sprint(time.Now().UnixNano()))
	if err := os.WriteFile(tmp, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// vimSave renames the file to a backup, writes a new file and removes the
// backup, as vim does by default.
func vimSave(t *testing.T, path, content string) {
	t.Helper()
	if err := os.Rename(path, path+"~"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(path + "~")
}

// truncateWrite rewrites the file in place.
func truncateWrite(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(content)
	f.Close()
}

func (d *daemon) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(d.url(path))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitBody polls path until its body is want.
func (d *daemon) waitBody(t *testing.T, path, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if _, got = d.get(t, path); got == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never became %q; last %q\n%s", path, want, got, d.stderr.String())
}

// configStatus is the part of /status the tests read.
type configStatus struct {
	Generation   uint64 `json:"generation"`
	ReloadErrors uint64 `json:"reload_errors"`
	Phones       int    `json:"phones"`
	LastReload   *struct {
		Reason  string `json:"reason"`
		Changed int    `json:"changed"`
		Notify  int    `json:"changed_notify"`
		Quiet   int    `json:"changed_quiet"`
		Added   int    `json:"added"`
	} `json:"last_reload"`
	LastError *struct {
		Message string `json:"message"`
	} `json:"last_error"`
	Watching struct {
		Files       int      `json:"files"`
		Directories []string `json:"directories"`
	} `json:"watching"`
}

func (d *daemon) status(t *testing.T) configStatus {
	t.Helper()
	resp, err := http.Get("http://" + d.admin + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Config configStatus `json:"config"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Config
}

func TestReloadEditStyles(t *testing.T) {
	s := newReloadSite(t)
	d := s.start()
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "name=Alice v=1\n")
	if st := d.status(t); st.Generation != 1 || st.Phones != 2 || st.Watching.Files < 4 {
		t.Errorf("initial status %+v", st)
	}

	sedInPlace(t, s.path("users.conf"), "Alice", "Alice-sed")
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "name=Alice-sed v=1\n")

	b, _ := os.ReadFile(s.path("users.conf"))
	vimSave(t, s.path("users.conf"), strings.Replace(string(b), "Alice-sed", "Alice-vim", 1))
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "name=Alice-vim v=1\n")

	b, _ = os.ReadFile(s.path("users.conf"))
	truncateWrite(t, s.path("users.conf"), strings.Replace(string(b), "Alice-vim", "Alice-trunc", 1))
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "name=Alice-trunc v=1\n")

	// An #included file, a template, the main profile file.
	sedInPlace(t, s.path("users.d/sales.conf"), "Bob", "Bob-included")
	d.waitBody(t, "/phoneprov/0004f2000002.cfg", "name=Bob-included v=1\n")
	vimSave(t, s.path("lib/phoneprov/phone.cfg"), "template2 ${DISPLAY_NAME}\n")
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "template2 Alice-trunc\n")

	st := d.status(t)
	if st.LastReload == nil || st.LastReload.Changed == 0 || st.Generation < 6 {
		t.Errorf("status after edits %+v", st.LastReload)
	}
}

func TestReloadNewIncludedProfile(t *testing.T) {
	s := newReloadSite(t)
	d := s.start()
	// A user of a profile that does not exist yet.
	sedInPlace(t, s.path("users.d/sales.conf"), "autoprov = yes", "autoprov = yes\nprofile = snom")
	deadline := time.Now().Add(10 * time.Second)
	for d.status(t).Phones != 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if code, _ := d.get(t, "/phoneprov/snom-0004f2000002.xml"); code != 404 {
		t.Fatalf("before: %d", code)
	}
	// A new file matching the existing #tryinclude profiles/*.conf.
	writeFiles(t, s.conf, map[string]string{"profiles/snom.conf": "[snom]\nsnom-${MAC}.xml => phone.cfg\n"})
	d.waitBody(t, "/phoneprov/snom-0004f2000002.xml", "name=Bob v=\n") // V is a setvar of [p] only
}

func TestReloadKubernetesConfigMap(t *testing.T) {
	root := t.TempDir()
	conf := filepath.Join(root, "etc")
	version := func(n int, alice string) string {
		dir := fmt.Sprintf("..2026_11_22_00_00_0%d.%d", n, n)
		writeFiles(t, conf, map[string]string{
			dir + "/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => phone.cfg\n",
			dir + "/users.conf":      "[6001]\nusername = 6001\nfullname = " + alice + "\nmacaddress = 0004f2000001\nautoprov = yes\n",
			dir + "/phoneprovd.conf": "[general]\ndebounce = 100ms\n",
		})
		return dir
	}
	first := version(1, "Alice")
	if err := os.Symlink(first, filepath.Join(conf, "..data")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"phoneprov.conf", "users.conf", "phoneprovd.conf"} {
		os.Symlink(filepath.Join("..data", f), filepath.Join(conf, f))
	}
	writeFiles(t, root, map[string]string{"lib/phoneprov/phone.cfg": "name=${DISPLAY_NAME}\n"})
	d := startDaemon(t, "-config-dir", conf, "-data-dir", filepath.Join(root, "lib"))
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "name=Alice\n")

	// What the kubelet does: a new timestamped directory, a ..data_tmp
	// symlink to it renamed over ..data, the old directory removed.
	second := version(2, "Alice-k8s")
	tmp := filepath.Join(conf, "..data_tmp")
	if err := os.Symlink(second, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(conf, "..data")); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(conf, first))
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "name=Alice-k8s\n")
}

func TestReloadBrokenEditKeepsServing(t *testing.T) {
	s := newReloadSite(t)
	d := s.start()
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "name=Alice v=1\n")
	good, _ := os.ReadFile(s.path("users.d/sales.conf"))

	// A syntax error in an included file: Asterisk would read half of it.
	vimSave(t, s.path("users.d/sales.conf"), "[6002\nusername = 6002\n")
	deadline := time.Now().Add(10 * time.Second)
	var st configStatus
	for time.Now().Before(deadline) {
		if st = d.status(t); st.LastError != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st.LastError == nil || !strings.Contains(st.LastError.Message, "users.d/sales.conf:1:") {
		t.Fatalf("error not visible in /status: %+v", st.LastError)
	}
	if _, body := d.get(t, "/phoneprov/0004f2000002.cfg"); body != "name=Bob v=1\n" {
		t.Errorf("old configuration not kept: %q", body)
	}
	gen := st.Generation

	// A broken phoneprov.conf: the same.
	b, _ := os.ReadFile(s.path("phoneprov.conf"))
	truncateWrite(t, s.path("phoneprov.conf"), "[general\n")
	time.Sleep(500 * time.Millisecond)
	if _, body := d.get(t, "/phoneprov/0004f2000001.cfg"); body != "name=Alice v=1\n" {
		t.Errorf("broken phoneprov.conf: %q", body)
	}
	if st := d.status(t); st.Generation != gen || !strings.Contains(st.LastError.Message, "phoneprov.conf:1:") {
		t.Errorf("status %+v %+v", st, st.LastError)
	}

	// Fixing both recovers.
	truncateWrite(t, s.path("phoneprov.conf"), string(b))
	vimSave(t, s.path("users.d/sales.conf"), strings.Replace(string(good), "Bob", "Bob-fixed", 1))
	d.waitBody(t, "/phoneprov/0004f2000002.cfg", "name=Bob-fixed v=1\n")
	if st := d.status(t); st.LastError != nil {
		t.Errorf("error still reported after the fix: %+v", st.LastError)
	}
}

func TestReloadCoalescesAndIgnoresTouch(t *testing.T) {
	s := newReloadSite(t)
	d := s.start()
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "name=Alice v=1\n")
	gen := d.status(t).Generation

	// A touch, and a save with the same content: no reload.
	now := time.Now()
	os.Chtimes(s.path("users.conf"), now, now)
	b, _ := os.ReadFile(s.path("users.conf"))
	vimSave(t, s.path("users.conf"), string(b))
	time.Sleep(600 * time.Millisecond)
	if g := d.status(t).Generation; g != gen {
		t.Errorf("touch reloaded: generation %d → %d", gen, g)
	}

	// 100 rapid saves coalesce into few reloads.
	for i := 1; i <= 100; i++ {
		truncateWrite(t, s.path("lib/phoneprov/phone.cfg"), fmt.Sprintf("save %d ${DISPLAY_NAME}\n", i))
		time.Sleep(2 * time.Millisecond)
	}
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "save 100 Alice\n")
	time.Sleep(300 * time.Millisecond)
	if g := d.status(t).Generation; g-gen > 5 || g == gen {
		t.Errorf("100 saves made %d reloads", g-gen)
	}

	// SIGHUP forces a reload without a change.
	gen = d.status(t).Generation
	d.cmd.Process.Signal(syscall.SIGHUP)
	deadline := time.Now().Add(5 * time.Second)
	for d.status(t).Generation == gen && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if st := d.status(t); st.Generation != gen+1 || st.LastReload.Reason != "SIGHUP" || st.LastReload.Changed != 0 {
		t.Errorf("SIGHUP: %+v %+v", st, st.LastReload)
	}
}

// TestReloadUnderLoad serves a concurrent GET load through 50 reloads and
// checks that no response failed or mixed two configurations.
func TestReloadUnderLoad(t *testing.T) {
	s := newReloadSite(t)
	// Each response names its version in many places, from phoneprov.conf
	// (a setvar) and from the template itself: a response built from two
	// snapshots would show two versions.
	writeFiles(t, s.data, map[string]string{"phoneprov/phone.cfg": strings.Repeat("t=1 v=${V} ${PP_EACH_EXTENSION(${MAC},line.cfg)}\n", 50),
		"phoneprov/line.cfg": "l=${V}"})
	d := s.start()

	stop := make(chan struct{})
	var requests, bad atomic.Int64
	var firstBad atomic.Value
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := client.Get(d.url("/phoneprov/0004f2000001.cfg"))
				if err != nil {
					bad.Add(1)
					firstBad.CompareAndSwap(nil, err.Error())
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				requests.Add(1)
				if resp.StatusCode != 200 || !consistent(string(b)) {
					bad.Add(1)
					firstBad.CompareAndSwap(nil, fmt.Sprintf("%d %q", resp.StatusCode, b))
				}
			}
		}()
	}
	conf, _ := os.ReadFile(s.path("phoneprov.conf"))
	for n := 2; n <= 51; n++ {
		truncateWrite(t, s.path("phoneprov.conf"), strings.Replace(string(conf), "V=1", fmt.Sprintf("V=%d", n), 1))
		want := strings.Repeat(fmt.Sprintf("t=1 v=%d l=%d\n", n, n), 50)
		d.waitBody(t, "/phoneprov/0004f2000001.cfg", want)
	}
	close(stop)
	wg.Wait()
	if bad.Load() != 0 {
		t.Errorf("%d of %d responses failed or were mixed; first: %v", bad.Load(), requests.Load(), firstBad.Load())
	}
	if requests.Load() < 200 {
		t.Errorf("only %d requests during the reloads", requests.Load())
	}
	t.Logf("%d requests across 50 reloads, none failed or mixed", requests.Load())
}

// consistent reports whether every v= and l= value in body is the same.
func consistent(body string) bool {
	var version string
	for _, f := range strings.Fields(body) {
		k, v, ok := strings.Cut(f, "=")
		if !ok || (k != "v" && k != "l") {
			continue
		}
		if version == "" {
			version = v
		} else if v != version {
			return false
		}
	}
	return version != ""
}
