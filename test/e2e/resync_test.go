package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
)

// resyncSite is a phoneprovd with phones on PJSIP endpoints, an AMI fake
// that knows them, and templates to edit.
type resyncSite struct {
	t    *testing.T
	ami  *amitest.Server
	root string
	d    *daemon
}

// newResyncSite makes phones 0004f2000001..n; phones of profile p use
// a.cfg, the last one (profile q) uses b.cfg.
func newResyncSite(t *testing.T, phones int, resync string) *resyncSite {
	s := &resyncSite{t: t, root: t.TempDir()}
	s.ami = amitest.NewServer(amitest.Options{})
	t.Cleanup(s.ami.Close)
	s.ami.AddUser("phoneprov", "ami-secret")
	s.ami.AddTransport(amitest.Transport{Name: "udp", Bind: "0.0.0.0:5060"})
	var pj strings.Builder
	pj.WriteString("[udp]\ntype = transport\nbind = 0.0.0.0:5060\n")
	for i := 1; i <= phones; i++ {
		ep := fmt.Sprint(7000 + i)
		profile := "p"
		if i == phones {
			profile = "q"
		}
		fmt.Fprintf(&pj, "[%s]\ntype = endpoint\ntransport = udp\nauth = %s\n[%s]\ntype = auth\nusername = %s\npassword = pw%s\n", ep, ep, ep, ep, ep)
		fmt.Fprintf(&pj, "[pp%s]\ntype = phoneprov\nendpoint = %s\nMAC = 0004f2%06d\nPROFILE = %s\n", ep, ep, i, profile)
		s.ami.AddEndpoint(amitest.Endpoint{Name: ep, Transport: "udp", Auths: []string{ep}, Aors: []string{ep}})
		s.ami.AddContact(amitest.Contact{AOR: ep, URI: "sip:" + ep + "@127.0.0.1:5999", Status: "Reachable"})
	}
	host, port, _ := net.SplitHostPort(s.ami.Addr)
	writeFiles(t, s.root, map[string]string{
		"etc/phoneprovd.conf": "[general]\ndebounce = 50ms\n[ami]\nhost = " + host + "\nport = " + port + "\nusername = phoneprov\nsecret = ami-secret\n" + resync,
		"etc/phoneprov.conf":  "[general]\n[p]\n${MAC}.cfg => a.cfg\n[q]\n${MAC}.cfg => b.cfg\n",
		"etc/pjsip.conf":      pj.String(),
		"lib/phoneprov/a.cfg": "a ${USERNAME}\n",
		"lib/phoneprov/b.cfg": "b ${USERNAME}\n",
	})
	s.d = startDaemon(t, "-config-dir", filepath.Join(s.root, "etc"), "-data-dir", filepath.Join(s.root, "lib"))
	return s
}

func (s *resyncSite) file(rel string) string { return filepath.Join(s.root, rel) }

// notifies returns the PJSIPNotify/SIPnotify actions the fake received.
func (s *resyncSite) notifies() []amitest.Action {
	var out []amitest.Action
	for _, a := range s.ami.Actions() {
		if a.Name == "PJSIPNotify" || a.Name == "SIPnotify" {
			out = append(out, a)
		}
	}
	return out
}

// waitNotifies waits until n NOTIFYs arrived, then a little longer to see
// that no more come.
func (s *resyncSite) waitNotifies(n int, settle time.Duration) []amitest.Action {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for len(s.notifies()) < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(settle)
	return s.notifies()
}

// goldenNotify is the shape of the golden transcript's PJSIPNotify
// (ami-session-pjsip.txt), with the ActionID and endpoint as variables.
var goldenNotify = regexp.MustCompile("^Action: PJSIPNotify\r\nActionID: [^\r\n]+\r\nEndpoint: ([0-9]+)\r\nVariable: Event=([^\r\n]+)\r\n\r\n$")

func (s *resyncSite) phoneStatus(mac string) (state string) {
	resp, err := http.Get("http://" + s.d.admin + "/status/phones/" + mac)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		Resync struct {
			State string `json:"state"`
		} `json:"resync"`
	}
	json.NewDecoder(resp.Body).Decode(&v)
	return v.Resync.State
}

func (s *resyncSite) waitState(mac, want string) {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if got = s.phoneStatus(mac); got == want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("%s: resync state %q, want %q", mac, got, want)
}

func TestResyncExactlyTheChangedPhones(t *testing.T) {
	s := newResyncSite(t, 3, "[resync]\njitter = 0s\nconfirm_timeout = 2s\n")
	s.d.waitBody(t, "/phoneprov/0004f2000001.cfg", "a 7001\n")
	if n := len(s.notifies()); n != 0 {
		t.Fatalf("%d NOTIFYs at start", n)
	}

	// a.cfg is used by 2 of the 3 phones: exactly 2 NOTIFYs.
	truncateWrite(t, s.file("lib/phoneprov/a.cfg"), "a2 ${USERNAME}\n")
	got := s.waitNotifies(2, 500*time.Millisecond)
	if len(got) != 2 {
		t.Fatalf("%d NOTIFYs, want 2", len(got))
	}
	endpoints := map[string]bool{}
	for _, a := range got {
		m := goldenNotify.FindSubmatch(a.Raw)
		if m == nil {
			t.Fatalf("NOTIFY bytes differ from the golden PJSIPNotify: %q", a.Raw)
		}
		endpoints[string(m[1])] = true
		if string(m[2]) != "check-sync" {
			t.Errorf("event %q", m[2])
		}
	}
	if !endpoints["7001"] || !endpoints["7002"] {
		t.Errorf("notified %v, want 7001 and 7002", endpoints)
	}

	// Phone 1 fetches its new file: confirmed. Phone 2 never does: timed out.
	s.d.waitBody(t, "/phoneprov/0004f2000001.cfg", "a2 7001\n")
	s.waitState("0004f2000001", "confirmed")
	s.waitState("0004f2000002", "timed-out")
	if st := s.phoneStatus("0004f2000003"); st != "in-sync" {
		t.Errorf("the unchanged phone is %q", st)
	}

	// A comment-only edit, and a broken edit: no NOTIFY.
	conf := s.file("etc/phoneprov.conf")
	b, _ := os.ReadFile(conf)
	truncateWrite(t, conf, "; just a comment\n"+string(b))
	time.Sleep(400 * time.Millisecond)
	truncateWrite(t, conf, "[general\n")
	time.Sleep(400 * time.Millisecond)
	if n := len(s.notifies()); n != 2 {
		t.Errorf("%d NOTIFYs after a comment and a broken edit, want still 2", n)
	}
}

func TestResyncWaitsForAsterisk(t *testing.T) {
	s := newResyncSite(t, 3, "[resync]\njitter = 0s\n")
	s.d.waitBody(t, "/phoneprov/0004f2000003.cfg", "b 7003\n")
	// Asterisk goes away; the configuration changes meanwhile.
	if err := s.ami.SetDown(true); err != nil {
		t.Fatal(err)
	}
	s.ami.DropConnections()
	// Wait for the reload through /status: fetching the file would count
	// as the phone having re-synced.
	gen := s.d.status(t).Generation
	truncateWrite(t, s.file("lib/phoneprov/b.cfg"), "b2 ${USERNAME}\n")
	deadline := time.Now().Add(10 * time.Second)
	for s.d.status(t).Generation == gen && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(s.notifies()); n != 0 {
		t.Fatalf("%d NOTIFYs while Asterisk was down", n)
	}
	if st := s.phoneStatus("0004f2000003"); st != "pending" {
		t.Errorf("state while down %q", st)
	}
	// Back: the NOTIFY goes out after the reconnect.
	if err := s.ami.SetDown(false); err != nil {
		t.Fatal(err)
	}
	got := s.waitNotifies(1, 200*time.Millisecond)
	if len(got) != 1 || !strings.Contains(string(got[0].Raw), "Endpoint: 7003\r\n") {
		t.Fatalf("after reconnect: %d NOTIFYs %+v", len(got), got)
	}
}

func TestResyncPacing(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 4 s")
	}
	s := newResyncSite(t, 201, "[resync]\nrate = 50\njitter = 0s\n")
	s.d.waitBody(t, "/phoneprov/0004f2000200.cfg", "a 7200\n")
	start := time.Now()
	truncateWrite(t, s.file("lib/phoneprov/a.cfg"), "changed ${USERNAME}\n")
	deadline := time.Now().Add(30 * time.Second)
	var first time.Time
	for len(s.notifies()) < 200 && time.Now().Before(deadline) {
		if first.IsZero() && len(s.notifies()) > 0 {
			first = time.Now()
		}
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(first)
	if n := len(s.notifies()); n != 200 {
		t.Fatalf("%d NOTIFYs, want 200", n)
	}
	// 200 NOTIFYs at 50/s: 199 intervals of 20 ms.
	if took < 3900*time.Millisecond || took > 8*time.Second {
		t.Errorf("200 NOTIFYs at 50/s took %v after the first, want about 4 s", took)
	}
	t.Logf("200 NOTIFYs at 50/s: %v from the first to the last, %v from the edit", took, time.Since(start))
}

func TestResyncCommand(t *testing.T) {
	// In Asterisk's syntax ';' starts a comment: write \; as in pjsip_notify.conf.
	s := newResyncSite(t, 2, "[profile:q]\nnotify_event = check-sync\\;reboot=false\n")
	s.d.waitBody(t, "/phoneprov/0004f2000002.cfg", "b 7002\n")
	r := run(t, "", "resync", "-admin", s.d.admin, "0004f2000002", "0004f2ffffff")
	if r.code != 1 || !strings.Contains(r.stdout, "queued 1 phones") || !strings.Contains(r.stdout, "unknown: 0004f2ffffff") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	got := s.waitNotifies(1, 100*time.Millisecond)
	if len(got) != 1 || !strings.Contains(string(got[0].Raw), "Endpoint: 7002\r\nVariable: Event=check-sync;reboot=false\r\n") {
		t.Fatalf("NOTIFYs %+v", got)
	}
	if r := run(t, "", "resync", "-admin", s.d.admin, "all"); r.code != 0 || !strings.Contains(r.stdout, "queued 2 phones") {
		t.Errorf("all: exit %d %s", r.code, r.stdout)
	}
}
