package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testtool"
)

// statusJSON returns GET /status decoded into v.
func (d *daemon) statusJSON(t *testing.T, v any) {
	t.Helper()
	resp, err := http.Get("http://" + d.admin + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// admin GETs path on the admin listener.
func (d *daemon) adminGet(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + d.admin + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// eventually polls cond for up to 15 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startIn starts `phoneprovd serve` like startDaemon, the command line
// prefixed by wrap (e.g. unshare), and waits until it answers HTTP. The
// free ports freeAddr found may be taken by another test's process
// before phoneprovd binds them: then it starts again on others.
func startIn(t *testing.T, wrap []string, args ...string) *daemon {
	t.Helper()
	for attempt := 1; ; attempt++ {
		d, taken := tryStart(t, wrap, args)
		if !taken {
			return d
		}
		if attempt == 3 {
			t.Fatalf("phoneprovd could not bind its ports three times:\n%s", d.stderr.String())
		}
		t.Logf("a port was taken meanwhile; starting again: %s", strings.TrimSpace(d.stderr.String()))
	}
}

// tryStart starts phoneprovd once and waits until it answers HTTP; taken
// reports that it stopped because one of its ports was in use.
func tryStart(t *testing.T, wrap, args []string) (d *daemon, taken bool) {
	t.Helper()
	d = &daemon{http: freeAddr(t), admin: freeAddr(t), stderr: new(syncBuffer)}
	all := append(append(append([]string(nil), wrap...), binary, "serve", "-http", d.http, "-admin", d.admin), args...)
	d.cmd = exec.Command(all[0], all[1:]...)
	d.cmd.Stderr = d.stderr
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		d.cmd.Process.Kill()
		d.cmd.Wait()
		if t.Failed() {
			t.Logf("phoneprovd stderr:\n%s", d.stderr.String())
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + d.http + "/phoneprov/")
		if err == nil {
			resp.Body.Close()
			return d, false
		}
		if strings.Contains(d.stderr.String(), "address already in use") {
			d.cmd.Process.Kill()
			d.cmd.Wait()
			return d, true
		}
		if time.Now().After(deadline) {
			t.Fatalf("phoneprovd did not start: %v\n%s", err, d.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// needTool returns the path of a tool the test needs; outside CI a missing
// tool skips the test, under CI=true it fails it.
func needTool(t *testing.T, name, pkg string) string { return testtool.Need(t, name, pkg) }

// needMountNamespace skips (fails under CI) unless this process may make
// a mount namespace and mount in it: as root.
func needMountNamespace(t *testing.T) {
	t.Helper()
	needTool(t, "unshare", "util-linux")
	if out, err := exec.Command("unshare", "-m", "true").CombinedOutput(); err != nil || os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("cannot make a mount namespace (root is needed): %v %s", err, out)
		}
		t.Skipf("cannot make a mount namespace (root is needed): %v %s", err, out)
	}
}

// TestCrashLosesAtMostASecond fetches as fast as it can, each request from
// a new device, and kills phoneprovd -9 in the middle, several times: every
// device whose answer came more than a second before the kill is still in
// the inventory after the restart, and no temporary file is left.
func TestCrashLosesAtMostASecond(t *testing.T) {
	root := t.TempDir()
	state := filepath.Join(root, "state")
	writeFiles(t, root, map[string]string{
		"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
		"etc/users.conf":      "[100]\nusername = 100\nmacaddress = 0004f2000000\nautoprov = yes\n",
		"lib/phoneprov/t.cfg": "x\n",
	})
	args := []string{"-config-dir", filepath.Join(root, "etc"), "-data-dir", filepath.Join(root, "lib"), "-state-dir", state}
	answered := map[string]time.Time{} // MAC → when its 404 came back
	next := 0
	const cycles = 4
	for cycle := 0; cycle < cycles; cycle++ {
		d := startDaemon(t, args...)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{Timeout: 2 * time.Second}
				for {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					mac := fmt.Sprintf("0015%08x", next)
					next++
					mu.Unlock()
					resp, err := client.Get(d.url("/phoneprov/" + mac + ".cfg"))
					if err != nil {
						return // killed
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					at := time.Now()
					mu.Lock()
					answered[mac] = at
					mu.Unlock()
					// About 1,000 devices a second in all: the 10,000
					// unknown devices the inventory keeps are never reached.
					time.Sleep(4 * time.Millisecond)
				}
			}()
		}
		time.Sleep(1500 * time.Millisecond)
		killedAt := time.Now()
		d.cmd.Process.Signal(syscall.SIGKILL)
		d.cmd.Wait()
		close(stop)
		wg.Wait()

		d = startDaemon(t, args...)
		seen := map[string]bool{}
		for _, p := range d.phones(t, "?configured=0").Phones {
			seen[p.MAC] = true
		}
		lostRecent, lostOld := 0, 0
		for mac, at := range answered {
			if seen[mac] {
				continue
			}
			if killedAt.Sub(at) > time.Second {
				lostOld++
				t.Errorf("cycle %d: device %s answered %v before the kill is lost", cycle, mac, killedAt.Sub(at).Round(time.Millisecond))
			} else {
				lostRecent++
				delete(answered, mac) // lost as allowed; not counted again
			}
		}
		t.Logf("cycle %d: %d devices answered so far, %d lost (all in the last second before kill -9)", cycle, len(answered)+lostRecent, lostRecent)
		if lostOld > 0 {
			t.FailNow()
		}
		entries, _ := os.ReadDir(state)
		for _, e := range entries {
			if e.Name() != "state.db" {
				t.Errorf("cycle %d: %s left in the state directory", cycle, e.Name())
			}
		}
		d.cmd.Process.Signal(syscall.SIGKILL)
		d.cmd.Wait()
	}
	if len(answered) < 100 {
		t.Errorf("only %d requests answered: the test proves little", len(answered))
	}
}

// lastGoodSite is a configuration with phones in users.conf (one of them
// from an included file) and in pjsip.conf.
func lastGoodSite(t *testing.T) (root string, args []string) {
	root = t.TempDir()
	writeFiles(t, root, map[string]string{
		"etc/phoneprov.conf":      "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
		"etc/users.conf":          "#include users.d/*.conf\n[100]\nusername = 100\nsecret = users-secret-100\nmacaddress = 0004f2000100\nautoprov = yes\n",
		"etc/users.d/200.conf":    "[200]\nusername = 200\nsecret = users-secret-200\nmacaddress = 0004f2000200\nautoprov = yes\n",
		"etc/pjsip.conf":          "[udp]\ntype = transport\nbind = 0.0.0.0\n[300]\ntype = endpoint\ntransport = udp\nauth = a300\n[a300]\ntype = auth\nusername = 300\npassword = pjsip-secret-300\n[pp]\ntype = phoneprov\nendpoint = 300\nMAC = 0004f2000300\nPROFILE = p\n",
		"lib/phoneprov/t.cfg":     "user=${USERNAME}\n",
		"lib/phoneprov/fw.bin":    "firmware",
		"state/.inventory-1.json": "{",
	})
	return root, []string{"-config-dir", filepath.Join(root, "etc"), "-data-dir", filepath.Join(root, "lib"), "-state-dir", filepath.Join(root, "state")}
}

// TestRestartWithBrokenUsersConf: after a reboot with a broken users.conf
// the users.conf phones are still served, from the last good copy, and
// /readyz and /status say so; once fixed, the live files take over.
func TestRestartWithBrokenUsersConf(t *testing.T) {
	root, args := lastGoodSite(t)
	d := startDaemon(t, args...)
	d.waitBody(t, "/phoneprov/0004f2000200.cfg", "user=200\n")
	eventually(t, "the last good configuration to be saved", func() bool {
		var st struct {
			LastGood *struct{ Files int } `json:"last_good"`
		}
		d.statusJSON(t, &st)
		return st.LastGood != nil && st.LastGood.Files == 5
	})
	d.cmd.Process.Signal(syscall.SIGTERM)
	d.cmd.Wait()
	if _, err := os.Stat(filepath.Join(root, "state/.inventory-1.json")); !os.IsNotExist(err) {
		t.Error("the temporary file an earlier version left is still there")
	}

	writeFiles(t, root, map[string]string{"etc/users.conf": "[100\nusername = 100\n"})
	d = startDaemon(t, args...)
	for _, mac := range []string{"100", "200", "300"} {
		if code, body := d.get(t, "/phoneprov/0004f2000"+mac+".cfg"); code != 200 || body != "user="+mac+"\n" {
			t.Errorf("phone %s after a reboot with a broken users.conf: %d %q", mac, code, body)
		}
	}
	code, body := d.adminGet(t, "/readyz")
	if code != 200 || !strings.HasPrefix(body, "degraded:") || !strings.Contains(body, "last good configuration") || !strings.Contains(body, "users.conf:1") {
		t.Errorf("/readyz %d %q", code, body)
	}
	var st struct {
		Config struct {
			ServingLastGood *struct{ Why string }     `json:"serving_last_good"`
			LastError       *struct{ Message string } `json:"last_error"`
		} `json:"config"`
	}
	d.statusJSON(t, &st)
	if st.Config.ServingLastGood == nil || !strings.Contains(st.Config.ServingLastGood.Why, "users.conf:1") || st.Config.LastError == nil {
		t.Errorf("/status config %+v", st.Config)
	}
	eventually(t, "the fallback logged", func() bool { return strings.Contains(d.stderr.String(), "serving the last good configuration") })

	// Fixed: the live files take over (without 200's include now).
	writeFiles(t, root, map[string]string{"etc/users.conf": "[100]\nusername = 100\nsecret = users-secret-100\nmacaddress = 0004f2000100\nautoprov = yes\n"})
	eventually(t, "/readyz ready", func() bool { _, b := d.adminGet(t, "/readyz"); return b == "ready\n" })
	if code, _ := d.get(t, "/phoneprov/0004f2000200.cfg"); code != 404 {
		t.Errorf("the last good copy still serves: %d", code)
	}
	d.stderr.NoSecrets(t, "users-secret-100", "users-secret-200", "pjsip-secret-300")
}

// TestStartWithoutLastGood: broken files and nothing saved: said plainly.
func TestStartWithoutLastGood(t *testing.T) {
	root, args := lastGoodSite(t)
	writeFiles(t, root, map[string]string{"etc/users.conf": "[100\n"})
	d := startDaemon(t, args...)
	code, body := d.adminGet(t, "/readyz")
	if code != 200 || !strings.Contains(body, "no last good configuration is saved") || !strings.Contains(body, "users.conf:1") {
		t.Errorf("/readyz %d %q", code, body)
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	d.cmd.Wait()

	writeFiles(t, root, map[string]string{"etc/phoneprov.conf": "[general\n"})
	// With a fresh state directory nothing was saved: phoneprovd cannot
	// start, and says why without pretending anything keeps serving.
	res := run(t, "", append([]string{"serve", "-http", freeAddr(t), "-admin", freeAddr(t)}, append(args, "-state-dir", t.TempDir())...)...)
	if res.code == 0 || !strings.Contains(res.stderr, "phoneprov.conf:1") || !strings.Contains(res.stderr, "no last good configuration is saved") ||
		strings.Contains(res.stderr, "previous configuration keeps serving") {
		t.Errorf("broken phoneprov.conf, nothing saved: exit %d\n%s", res.code, res.stderr)
	}
	// The first run saved what it served (the pjsip phone): that is served.
	d = startDaemon(t, args...)
	if code, body := d.get(t, "/phoneprov/0004f2000300.cfg"); code != 200 || body != "user=300\n" {
		t.Errorf("broken phoneprov.conf with a saved copy: %d %q", code, body)
	}
	if _, body := d.adminGet(t, "/readyz"); !strings.Contains(body, "last good configuration") || !strings.Contains(body, "phoneprov.conf:1") {
		t.Errorf("/readyz %q", body)
	}
}

// TestUnwritableStateDir: a read-only state directory stops phoneprovd at
// start, naming it.
func TestUnwritableStateDir(t *testing.T) {
	needMountNamespace(t)
	root, args := lastGoodSite(t)
	ro := filepath.Join(root, "ro")
	os.MkdirAll(ro, 0o755)
	cmd := exec.Command("unshare", "-m", "sh", "-c", `mount --bind -o ro "$1" "$1" && shift && exec "$@"`, "sh", ro,
		binary, "serve", "-http", freeAddr(t), "-admin", freeAddr(t))
	cmd.Args = append(cmd.Args, append(args, "-state-dir", ro)...)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "state directory "+ro+" is not writable") {
		t.Errorf("exit %v:\n%s", err, out)
	}
}

// TestStateDiskFills: the state directory fills up while serving: /readyz
// says degraded, /metrics and /status say the state is not saved, and all
// recovers once there is room again.
func TestStateDiskFills(t *testing.T) {
	needMountNamespace(t)
	needTool(t, "nsenter", "util-linux")
	_, args := lastGoodSite(t)
	small := filepath.Join(t.TempDir(), "small")
	os.MkdirAll(small, 0o755)
	d := startIn(t, []string{"unshare", "-m", "sh", "-c", `mount -t tmpfs -o size=96k tmpfs "$1" && shift && exec "$@"`, "sh", small},
		append(args, "-state-dir", small)...)
	if code, body := d.adminGet(t, "/readyz"); code != 200 || body != "ready\n" {
		t.Fatalf("/readyz at start %d %q", code, body)
	}
	// Unknown devices until the 96 KiB are full.
	for i := 0; i < 3000; i++ {
		resp, err := http.Get(d.url(fmt.Sprintf("/phoneprov/0015%08x.cfg", i)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if i%200 == 199 {
			if _, body := d.adminGet(t, "/readyz"); strings.Contains(body, "degraded") {
				break
			}
			time.Sleep(600 * time.Millisecond)
		}
	}
	eventually(t, "/readyz degraded", func() bool {
		code, body := d.adminGet(t, "/readyz")
		return code == 200 && strings.Contains(body, "state is not being saved") && strings.Contains(body, "no space left")
	})
	if _, m := d.adminGet(t, "/metrics"); !strings.Contains(m, "phoneprovd_state_writable 0") {
		t.Error("phoneprovd_state_writable is not 0")
	}
	var st struct {
		State struct {
			Writable  bool   `json:"writable"`
			LastError string `json:"last_error"`
		} `json:"state"`
	}
	d.statusJSON(t, &st)
	if st.State.Writable || !strings.Contains(st.State.LastError, "no space left") {
		t.Errorf("/status state %+v", st.State)
	}
	// Room again: the retries succeed.
	if out, err := exec.Command("nsenter", "-t", fmt.Sprint(d.cmd.Process.Pid), "-m", "mount", "-o", "remount,size=16m", small).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v %s", err, out)
	}
	eventually(t, "/readyz ready again", func() bool { _, body := d.adminGet(t, "/readyz"); return body == "ready\n" })
	if _, m := d.adminGet(t, "/metrics"); !strings.Contains(m, "phoneprovd_state_writable 1") {
		t.Error("phoneprovd_state_writable is not 1 after recovering")
	}
	eventually(t, "the recovery logged", func() bool { return strings.Contains(d.stderr.String(), "state saved again") })
}
