package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
	"github.com/pin/tftp/v3"
)

// settingsSite is a running phoneprovd whose phoneprovd.conf the test
// edits: two PJSIP phones of profile p on an AMI fake, served over HTTP
// (the listener set in phoneprovd.conf, not by a flag) and TFTP.
type settingsSite struct {
	t        *testing.T
	root     string
	ami      *amitest.Server
	d        *daemon
	tftpAddr string
	// sections are phoneprovd.conf's, written in this order.
	sections map[string]string
}

var settingsOrder = []string{"general", "tftp", "ami", "resync", "security", "profile:p", "admin", "dhcp", "plugins"}

func newSettingsSite(t *testing.T) *settingsSite {
	s := &settingsSite{t: t, root: t.TempDir(), ami: amitest.NewServer(amitest.Options{})}
	t.Cleanup(s.ami.Close)
	s.ami.AddUser("phoneprov", "ami-s3cret-settings")
	s.ami.AddTransport(amitest.Transport{Name: "udp", Bind: "0.0.0.0:5060"})
	var pj strings.Builder
	pj.WriteString("[udp]\ntype = transport\nbind = 0.0.0.0:5060\n")
	for i := 1; i <= 2; i++ {
		pj.WriteString(phonebookEndpoint(s.ami, i))
	}
	host, port, _ := net.SplitHostPort(s.ami.Addr)
	s.tftpAddr = fmt.Sprintf("127.0.0.1:%d", freeUDPPort(t))
	httpAddr := freeAddr(t)
	s.sections = map[string]string{
		"general":   "http = " + httpAddr + "\ndebounce = 50ms\n",
		"tftp":      "listen = " + s.tftpAddr + "\n",
		"ami":       "host = " + host + "\nport = " + port + "\nusername = phoneprov\nsecret = ami-s3cret-settings\n",
		"resync":    "jitter = 0s\nrate = 100\n",
		"security":  "",
		"profile:p": "",
	}
	writeFiles(t, s.root, map[string]string{
		"etc/phoneprovd.conf":    s.conf(),
		"etc/phoneprov.conf":     "[general]\n[p]\n${MAC}.cfg => a.cfg\n${MAC}-book.xml => book.xml\n",
		"etc/pjsip.conf":         pj.String(),
		"lib/phoneprov/a.cfg":    "a ${USERNAME}\n",
		"lib/phoneprov/book.xml": "<book>${PP_EACH_USER(<e n=%{USERNAME}/>,${MAC})}</book>\n",
	})
	s.d = startWithHTTPFromSettings(t, httpAddr, "-config-dir", s.path("etc"), "-data-dir", s.path("lib"))
	s.d.waitBody(t, "/phoneprov/0004f2000001.cfg", "a 7001\n")
	return s
}

func (s *settingsSite) path(rel string) string { return filepath.Join(s.root, rel) }

// conf is phoneprovd.conf with the sections set.
func (s *settingsSite) conf() string {
	var b strings.Builder
	for _, name := range settingsOrder {
		if body, ok := s.sections[name]; ok {
			fmt.Fprintf(&b, "[%s]\n%s", name, body)
		}
	}
	return b.String()
}

// settingsStatus is the part of /status the test reads.
type settingsStatus struct {
	Config struct {
		Generation uint64 `json:"generation"`
		LastReload *struct {
			Reason  string `json:"reason"`
			Changed int    `json:"changed"`
			Quiet   int    `json:"changed_quiet"`
		} `json:"last_reload"`
		LastError *struct {
			Message string `json:"message"`
		} `json:"last_error"`
	} `json:"config"`
	Settings struct {
		Files        []string `json:"files"`
		Generation   uint64   `json:"generation"`
		Changed      []string `json:"changed"`
		NeedsRestart []string `json:"needs_restart"`
		Refused      []string `json:"refused"`
	} `json:"settings"`
	Resync struct {
		Rate float64 `json:"rate_per_second"`
	} `json:"resync"`
}

func (s *settingsSite) status() settingsStatus {
	s.t.Helper()
	var st settingsStatus
	s.d.statusJSON(s.t, &st)
	return st
}

// edit sets a section (body "-" removes it), writes phoneprovd.conf in
// place, and waits until the daemon applied it.
func (s *settingsSite) edit(section, body string) settingsStatus {
	s.t.Helper()
	before := s.status().Config.Generation
	if body == "-" {
		delete(s.sections, section)
	} else {
		s.sections[section] = body
	}
	truncateWrite(s.t, s.path("etc/phoneprovd.conf"), s.conf())
	var st settingsStatus
	eventually(s.t, "["+section+"] applied", func() bool {
		st = s.status()
		return st.Config.Generation > before && st.Settings.Generation == st.Config.Generation
	})
	if st.Config.LastError != nil {
		s.t.Fatalf("[%s]: refused: %s", section, st.Config.LastError.Message)
	}
	return st
}

// startWithHTTPFromSettings starts phoneprovd serve without -http (the
// phone-facing listener is phoneprovd.conf's httpAddr) and waits until it
// answers there.
func startWithHTTPFromSettings(t *testing.T, httpAddr string, args ...string) *daemon {
	t.Helper()
	d := &daemon{http: httpAddr, admin: freeAddr(t), stderr: new(syncBuffer)}
	d.cmd = exec.Command(binary, append([]string{"serve", "-admin", d.admin, "-state-dir", t.TempDir()}, args...)...)
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
	eventually(t, "phoneprovd to answer", func() bool {
		resp, err := http.Get("http://" + httpAddr + "/phoneprov/")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return true
	})
	return d
}

// tftpGet fetches name over TFTP; an error when refused.
func (s *settingsSite) tftpGet(name string) (string, error) {
	c, err := tftp.NewClient(s.tftpAddr)
	if err != nil {
		s.t.Fatal(err)
	}
	c.SetTimeout(time.Second)
	c.SetRetries(2)
	wt, err := c.Receive(name, "octet")
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	_, err = wt.WriteTo(&b)
	return b.String(), err
}

// TestSettingsLiveReload edits each section of phoneprovd.conf on a
// running daemon: every edit applies without a restart, or is reported as
// needing one while the old value keeps serving; a broken edit is refused
// with its file and line while the settings in force keep serving.
func TestSettingsLiveReload(t *testing.T) {
	s := newSettingsSite(t)
	conf := s.path("etc/phoneprovd.conf")
	if st := s.status(); !slices.Contains(st.Settings.Files, conf) || len(st.Settings.NeedsRestart) != 0 || st.Resync.Rate != 100 {
		t.Fatalf("at start: %+v", st.Settings)
	}
	if body, err := s.tftpGet("0004f2000001.cfg"); err != nil || body != "a 7001\n" {
		t.Fatalf("TFTP at start: %q %v", body, err)
	}

	// [security] http_allow and tftp_allow: the next request from
	// loopback is refused, over HTTP and TFTP.
	s.edit("security", "http_allow = 10.0.0.0/8\ntftp_allow = 10.0.0.0/8\n")
	if code, _ := s.d.get(t, "/phoneprov/0004f2000001.cfg"); code != http.StatusForbidden {
		t.Errorf("[security] http_allow: %d, want 403", code)
	}
	if _, err := s.tftpGet("0004f2000001.cfg"); err == nil {
		t.Error("[security] tftp_allow: served")
	}

	// A broken edit: refused with its file and line; the allowlist stays.
	s.sections["security"] = "http_allow = 10.0.0.0/8\ntftp_allow = 10.0.0.0/8\nhttp_allow = not-an-address\n"
	truncateWrite(t, conf, s.conf())
	var st settingsStatus
	eventually(t, "the broken edit refused", func() bool {
		st = s.status()
		return st.Config.LastError != nil
	})
	// [general] 3 lines, [tftp] 2, [ami] 5, [resync] 3, [security]: line 17.
	if !strings.Contains(st.Config.LastError.Message, "phoneprovd.conf:17: http_allow: \"not-an-address\" is not an address") {
		t.Errorf("last_error %q", st.Config.LastError.Message)
	}
	if code, _ := s.d.get(t, "/phoneprov/0004f2000001.cfg"); code != http.StatusForbidden {
		t.Errorf("after the broken edit: %d, want the allowlist in force (403)", code)
	}
	// Fixed: [security] emptied, phones are served again.
	s.edit("security", "")
	if code, _ := s.d.get(t, "/phoneprov/0004f2000001.cfg"); code != http.StatusOK {
		t.Errorf("[security] emptied: %d", code)
	}
	if body, err := s.tftpGet("0004f2000001.cfg"); err != nil || body != "a 7001\n" {
		t.Errorf("TFTP after [security] emptied: %q %v", body, err)
	}

	// [resync] rate.
	if st := s.edit("resync", "jitter = 0s\nrate = 50\n"); st.Resync.Rate != 50 {
		t.Errorf("[resync] rate: %v", st.Resync.Rate)
	}

	// [profile:p] notify_event: the next NOTIFY uses it.
	s.edit("profile:p", "notify_event = check-sync\\;reboot=true\n")
	truncateWrite(t, s.path("lib/phoneprov/a.cfg"), "a2 ${USERNAME}\n")
	eventually(t, "two NOTIFYs", func() bool { return len(s.ami.Notifies()) >= 2 })
	for _, n := range s.ami.Notifies() {
		if !slices.Equal(n.Variables, []string{"Event=check-sync;reboot=true"}) {
			t.Errorf("NOTIFY %+v", n)
		}
	}
	// [profile:p] quiet_files: a phone book change alone notifies nobody.
	s.edit("profile:p", "notify_event = check-sync\\;reboot=true\nquiet_files = *-book.xml\n")
	notified := len(s.ami.Notifies())
	before := s.status().Config.Generation
	truncateWrite(t, s.path("lib/phoneprov/book.xml"), "<book2>${PP_EACH_USER(<e n=%{USERNAME}/>,${MAC})}</book2>\n")
	eventually(t, "the phone book reload", func() bool { return s.status().Config.Generation > before })
	if st := s.status(); st.Config.LastReload.Quiet != 2 || st.Config.LastReload.Changed != 2 {
		t.Errorf("quiet_files: last reload %+v", st.Config.LastReload)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(s.ami.Notifies()); n != notified {
		t.Errorf("a phone book change alone sent %d NOTIFYs", n-notified)
	}

	// [tftp]: a new upload directory applies; another address needs a
	// restart, the old one keeps serving.
	up := s.path("uploads")
	os.MkdirAll(up, 0o755)
	s.edit("tftp", "listen = "+s.tftpAddr+"\nupload_dir = "+up+"\n")
	c, _ := tftp.NewClient(s.tftpAddr)
	rf, err := c.Send("phone.log", "octet")
	if err == nil {
		_, err = rf.ReadFrom(strings.NewReader("booted"))
	}
	if b, _ := os.ReadFile(filepath.Join(up, "phone.log")); err != nil || string(b) != "booted" {
		t.Errorf("[tftp] upload_dir: %q %v", b, err)
	}
	st = s.edit("tftp", "listen = 127.0.0.1:1\nupload_dir = "+up+"\n")
	if !slices.Contains(st.Settings.NeedsRestart, "[tftp] listen changed (in force until a restart: "+s.tftpAddr+")") {
		t.Errorf("[tftp] listen: needs_restart %q", st.Settings.NeedsRestart)
	}
	if _, err := s.tftpGet("0004f2000001.cfg"); err != nil {
		t.Errorf("the old TFTP address: %v", err)
	}
	s.edit("tftp", "listen = "+s.tftpAddr+"\nupload_dir = "+up+"\n")

	// [general] log_level applies at once; http needs a restart, and the
	// old listener keeps serving.
	s.edit("general", "http = "+s.d.http+"\ndebounce = 60ms\nlog_level = debug\n")
	truncateWrite(t, s.path("lib/phoneprov/a.cfg"), "a3 ${USERNAME}\n")
	eventually(t, "a debug line", func() bool { return strings.Contains(s.d.stderr.String(), "level=DEBUG") })
	st = s.edit("general", "http = 127.0.0.1:1\ndebounce = 60ms\n")
	want := "[general] http changed (in force until a restart: " + s.d.http + ")"
	if !slices.Contains(st.Settings.NeedsRestart, want) {
		t.Errorf("[general] http: needs_restart %q", st.Settings.NeedsRestart)
	}
	eventually(t, "the restart in the log", func() bool { return strings.Contains(s.d.stderr.String(), "needs restart: "+want) })
	if code, _ := s.d.get(t, "/phoneprov/0004f2000001.cfg"); code != http.StatusOK {
		t.Errorf("the old HTTP listener: %d", code)
	}
	// Undone: nothing needs a restart any more.
	if st := s.edit("general", "http = "+s.d.http+"\ndebounce = 60ms\n"); len(st.Settings.NeedsRestart) != 0 {
		t.Errorf("undone: needs_restart %q", st.Settings.NeedsRestart)
	}

	// [ami] needs a restart, said without its secret.
	st = s.edit("ami", strings.Replace(s.sections["ami"], "ami-s3cret-settings", "another-s3cret", 1))
	if !slices.Contains(st.Settings.NeedsRestart, "[ami] changed (in force until a restart: its previous value)") {
		t.Errorf("[ami]: needs_restart %q", st.Settings.NeedsRestart)
	}
	s.edit("ami", strings.Replace(s.sections["ami"], "another-s3cret", "ami-s3cret-settings", 1))

	// [dhcp] and [plugins] apply (nothing to restart).
	if st := s.edit("dhcp", "token = tok-0123456789abcdef\n"); len(st.Settings.NeedsRestart) != 0 || !slices.Contains(st.Settings.Changed, "[dhcp]") {
		t.Errorf("[dhcp]: %+v", st.Settings)
	}
	if st := s.edit("plugins", "dir = "+s.path("plugins")+"\n"); len(st.Settings.NeedsRestart) != 0 {
		t.Errorf("[plugins]: %+v", st.Settings)
	}

	// [admin] credentials: the admin listener asks for them from the next
	// request on.
	s.sections["admin"] = "user = root\npassword = admin-pw-0123456789\n"
	truncateWrite(t, conf, s.conf())
	eventually(t, "[admin] user applied", func() bool {
		resp, err := http.Get("http://" + s.d.admin + "/status")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusUnauthorized
	})
	authedStatus := func() (int, settingsStatus) {
		req, _ := http.NewRequest("GET", "http://"+s.d.admin+"/status", nil)
		req.SetBasicAuth("root", "admin-pw-0123456789")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var st settingsStatus
		json.NewDecoder(resp.Body).Decode(&st)
		return resp.StatusCode, st
	}
	eventually(t, "[admin] in /status settings.changed", func() bool {
		code, st := authedStatus()
		if code != http.StatusOK {
			t.Fatalf("[admin] user: /status %d with credentials", code)
		}
		return slices.Contains(st.Settings.Changed, "[admin]")
	})
	s.d.stderr.NoSecrets(t, "ami-s3cret-settings", "another-s3cret", "admin-pw-0123456789", "tok-0123456789abcdef", "pw7001")
}
