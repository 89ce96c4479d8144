package e2e

import (
	"bufio"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// scrape reads /metrics into "name{labels}" → value.
func scrape(t *testing.T, admin string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err == nil {
			out[line[:i]] = v
		}
	}
	return out
}

func TestMetrics(t *testing.T) {
	s := newReloadSite(t)
	d := s.start()
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "name=Alice v=1\n")
	before := scrape(t, d.admin)
	for _, name := range []string{"phoneprovd_snapshot_generation", "phoneprovd_phones", "phoneprovd_reloads_total", "go_goroutines", "process_resident_memory_bytes"} {
		if _, ok := before[name]; !ok {
			t.Errorf("no %s", name)
		}
	}
	const dyn = `phoneprovd_requests_total{kind="dynamic",proto="http",status="200"}`
	const nf = `phoneprovd_requests_total{kind="none",proto="http",status="404"}`
	for i := 0; i < 5; i++ {
		d.get(t, "/phoneprov/0004f2000001.cfg")
	}
	d.get(t, "/phoneprov/nosuch.cfg")
	after := scrape(t, d.admin)
	if after[dyn]-before[dyn] != 5 || after[nf]-before[nf] != 1 {
		t.Errorf("requests: dynamic %v→%v, 404 %v→%v", before[dyn], after[dyn], before[nf], after[nf])
	}
	if after["phoneprovd_render_cache_hits_total"]-before["phoneprovd_render_cache_hits_total"] < 5 {
		t.Errorf("cache hits %v→%v", before["phoneprovd_render_cache_hits_total"], after["phoneprovd_render_cache_hits_total"])
	}
	if after[`phoneprovd_serve_seconds_count{proto="http"}`] < 6 {
		t.Errorf("serve histogram count %v", after[`phoneprovd_serve_seconds_count{proto="http"}`])
	}

	// A reload, then a broken edit.
	sedInPlace(t, s.path("users.conf"), "Alice", "Alicia")
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "name=Alicia v=1\n")
	truncateWrite(t, s.path("phoneprov.conf"), "[general\n")
	deadline := time.Now().Add(10 * time.Second)
	var m map[string]float64
	for time.Now().Before(deadline) {
		if m = scrape(t, d.admin); m["phoneprovd_reload_errors_total"] >= 1 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if m["phoneprovd_reload_errors_total"] != 1 || m["phoneprovd_reloads_total"] != before["phoneprovd_reloads_total"]+1 ||
		m["phoneprovd_snapshot_generation"] != before["phoneprovd_snapshot_generation"]+1 {
		t.Errorf("reloads %v errors %v generation %v (before: %v, %v)", m["phoneprovd_reloads_total"], m["phoneprovd_reload_errors_total"],
			m["phoneprovd_snapshot_generation"], before["phoneprovd_reloads_total"], before["phoneprovd_snapshot_generation"])
	}
}

// TestReadyz: /readyz is 503 while the first configuration loads and 200
// after; /healthz is 200 all along. The configuration is made slow to load
// on purpose: every phone's directory lists every other phone.
func TestReadyz(t *testing.T) {
	root := t.TempDir()
	var users strings.Builder
	for i := 0; i < 600; i++ {
		fmt.Fprintf(&users, "[u%d]\nusername = u%d\nfullname = User %d\nmacaddress = 0004f2%06d\nautoprov = yes\n", i, i, i, i)
	}
	writeFiles(t, root, map[string]string{
		"etc/phoneprov.conf":    "[general]\ndefault_profile = p\n[p]\n${MAC}.xml => dir.xml\n",
		"etc/users.conf":        users.String(),
		"lib/phoneprov/dir.xml": "${PP_EACH_USER(<e n='%{DISPLAY_NAME}' u='%{USERNAME}'/>,${MAC})}",
	})
	admin, httpAddr := freeAddr(t), freeAddr(t)
	cmd := exec.Command(binary, "serve", "-config-dir", filepath.Join(root, "etc"), "-data-dir", filepath.Join(root, "lib"),
		"-http", httpAddr, "-admin", admin, "-state-dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	saw := map[int]bool{}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + admin + "/readyz")
		if err != nil {
			time.Sleep(5 * time.Millisecond)
			continue
		}
		resp.Body.Close()
		saw[resp.StatusCode] = true
		if resp.StatusCode == 200 {
			break
		}
		if h, err := http.Get("http://" + admin + "/healthz"); err == nil {
			if h.StatusCode != 200 {
				t.Errorf("/healthz %d while loading", h.StatusCode)
			}
			h.Body.Close()
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !saw[503] || !saw[200] {
		t.Errorf("/readyz answered %v; want 503 while loading, then 200", saw)
	}
}
