package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
	"github.com/phoneprovd/phoneprovd/plugin"
	"github.com/phoneprovd/phoneprovd/plugin/plugincases"
)

// sharedProvd is ../shared/provd from this package.
const sharedProvd = "../../../shared/provd"

// pluginSite is a running phoneprovd serving plugincases' site, with an
// AMI fake for re-sync and TFTP.
type pluginSite struct {
	t        *testing.T
	root     string
	conf     string
	data     string
	ami      *amitest.Server
	d        *daemon
	tftpPort int
	fetches  []plugincases.Fetch
	unseen   map[string]map[string][]byte
}

func newPluginSite(t *testing.T) *pluginSite {
	s := &pluginSite{t: t, root: t.TempDir(), tftpPort: freeUDPPort(t)}
	s.ami = amitest.NewServer(amitest.Options{})
	t.Cleanup(s.ami.Close)
	s.ami.AddUser("phoneprov", "ami-secret")
	s.ami.AddTransport(amitest.Transport{Name: "udp", Bind: "0.0.0.0:5060"})
	for _, ep := range []string{"u1001t46s", "u1101d40", "u1102d70", "u1103d70", "u1104d70"} {
		s.ami.AddEndpoint(amitest.Endpoint{Name: ep, Transport: "udp", Aors: []string{ep}})
		s.ami.AddContact(amitest.Contact{AOR: ep, URI: "sip:" + ep + "@127.0.0.1:5999", Status: "Reachable"})
	}
	host, port, _ := net.SplitHostPort(s.ami.Addr)
	extra := "[general]\ndebounce = 50ms\n[ami]\nhost = " + host + "\nport = " + port +
		"\nusername = phoneprov\nsecret = ami-secret\n[resync]\njitter = 0s\nconfirm_timeout = 5s\n[tftp]\nlisten = 127.0.0.1:" + strconv.Itoa(s.tftpPort) + "\n"
	var err error
	if s.conf, s.data, err = plugincases.WriteSite(s.root, sharedProvd, extra); err != nil {
		t.Fatal(err)
	}
	if s.fetches, err = plugincases.ReadUserAgents(filepath.Join(sharedProvd, "golden"), plugincases.Fetches); err != nil {
		t.Fatal(err)
	}
	if s.unseen, err = plugincases.Expected(filepath.Join(s.data, "plugins"), plugin.JinjaEngine{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *pluginSite) start() {
	s.d = startDaemon(s.t, "-config-dir", s.conf, "-data-dir", s.data)
}

// want returns the bytes a fetch must get, nil for a 404, and for a file
// known by its digest only, its SHA-256.
func (s *pluginSite) want(f plugincases.Fetch) (body []byte, sum string) {
	s.t.Helper()
	switch {
	case f.NotFound:
		return nil, ""
	case f.GoldenSHA256 != "":
		data, err := os.ReadFile(filepath.Join(sharedProvd, "golden", f.GoldenSHA256))
		if err != nil {
			s.t.Fatal(err)
		}
		return nil, strings.Fields(string(data))[0]
	case f.Golden != "":
		data, err := os.ReadFile(filepath.Join(sharedProvd, "golden", f.Golden))
		if err != nil {
			s.t.Fatal(err)
		}
		return data, ""
	}
	body = s.unseen[f.Case][f.URI]
	if body == nil {
		s.t.Fatalf("%s: nothing expected for %s", f.Case, f.URI)
	}
	return body, ""
}

// httpGet fetches uri with a User-Agent ("" sends none, as the golden
// capture without one).
func (s *pluginSite) httpGet(uri, ua string) (int, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.d.url("/phoneprov/"+uri), nil)
	req.Header["User-Agent"] = []string{ua}
	if ua == "" {
		req.Header["User-Agent"] = nil
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// tftpGet fetches a file with tftp-hpa; nil when it is not served.
func (s *pluginSite) tftpGet(client, uri string) []byte {
	s.t.Helper()
	out := filepath.Join(s.t.TempDir(), "got")
	cmd := exec.Command(client, "127.0.0.1", strconv.Itoa(s.tftpPort), "-m", "binary", "-c", "get", uri, out)
	msg, err := cmd.CombinedOutput()
	data, rerr := os.ReadFile(out)
	if err != nil || rerr != nil || strings.Contains(string(msg), "Error code") {
		return nil
	}
	return data
}

// check compares what every fetch gets with what it must.
func (s *pluginSite) check(proto string, get func(f plugincases.Fetch) (bool, []byte)) {
	s.t.Helper()
	for _, f := range s.fetches {
		ok, got := get(f)
		want, sum := s.want(f)
		switch {
		case f.NotFound:
			if ok {
				s.t.Errorf("%s %s %s: served, provd answers 404", proto, f.Case, f.URI)
			}
		case !ok:
			s.t.Errorf("%s %s %s: not served", proto, f.Case, f.URI)
		case sum != "":
			if h := sha256.Sum256(got); hex.EncodeToString(h[:]) != sum {
				s.t.Errorf("%s %s %s: sha256 %x, golden %s", proto, f.Case, f.URI, h, sum)
			}
		case !bytes.Equal(got, want):
			s.t.Errorf("%s %s %s: %d bytes differ from the %d expected", proto, f.Case, f.URI, len(got), len(want))
		}
	}
}

type pluginPhones struct {
	Phones []struct {
		MAC           string `json:"mac"`
		Plugin        string `json:"plugin"`
		PluginPending bool   `json:"plugin_pending"`
		Device        *struct {
			Vendor   string `json:"vendor"`
			Model    string `json:"model"`
			Firmware string `json:"firmware"`
		} `json:"device"`
	} `json:"phones"`
}

func (s *pluginSite) phone(mac string) (plugin string, pending bool, vendor, model string) {
	s.t.Helper()
	resp, err := http.Get("http://" + s.d.admin + "/status/phones")
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var l pluginPhones
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		s.t.Fatal(err)
	}
	for _, p := range l.Phones {
		if p.MAC == mac {
			if p.Device != nil {
				vendor, model = p.Device.Vendor, p.Device.Model
			}
			return p.Plugin, p.PluginPending, vendor, model
		}
	}
	s.t.Fatalf("%s is not in /status/phones", mac)
	return
}

func (s *pluginSite) notifies() []amitest.Notify { return s.ami.Notifies() }

// TestPluginPhonesServed: the golden phones and the unseen cases,
// described in Asterisk's files, are served by the daemon exactly provd's
// bytes (or the plugin's for the case's raw config) over HTTP with the
// captured User-Agents, and over TFTP. The T46S and D40 of the auto
// profile are identified from their first request, associated with their
// plugins and listed with them; an edit of one's line re-syncs exactly it
// through AMI (the fake) and serves provd's updated file.
func TestPluginPhonesServed(t *testing.T) {
	client, err := exec.LookPath("tftp")
	if err != nil {
		t.Skip("tftp is not installed (Debian package tftp-hpa)")
	}
	s := newPluginSite(t)
	s.start()

	for _, mac := range []string{"805ec0aabb01", "000fd3aabb01"} {
		if p, pending, _, _ := s.phone(mac); p != "" || !pending {
			t.Errorf("%s before its first request: plugin %q, pending %v", mac, p, pending)
		}
	}
	s.check("http", func(f plugincases.Fetch) (bool, []byte) {
		code, body := s.httpGet(f.URI, f.UserAgent)
		return code == http.StatusOK, body
	})
	// The requests told who the auto phones are: a reload serves them files
	// of their own.
	eventually(t, "the T46S and the D40 identified and associated", func() bool {
		p1, pend1, _, _ := s.phone("805ec0aabb01")
		p2, pend2, _, _ := s.phone("000fd3aabb01")
		return p1 == "wazo-yealink-v86" && !pend1 && p2 == "wazo-digium-1.4.0.0" && !pend2
	})
	if _, _, vendor, model := s.phone("805ec0aabb01"); vendor != "Yealink" || !strings.Contains(model, "T46S") {
		t.Errorf("T46S identified as %q %q", vendor, model)
	}
	if _, _, vendor, _ := s.phone("000fd3aabb01"); vendor != "Digium" {
		t.Errorf("D40 identified as %q", vendor)
	}
	s.check("http again", func(f plugincases.Fetch) (bool, []byte) {
		code, body := s.httpGet(f.URI, f.UserAgent)
		return code == http.StatusOK, body
	})
	s.check("tftp", func(f plugincases.Fetch) (bool, []byte) {
		body := s.tftpGet(client, f.URI)
		return body != nil, body
	})
	time.Sleep(300 * time.Millisecond)
	if n := s.notifies(); len(n) != 0 {
		t.Fatalf("identification sent %d NOTIFYs: %v", len(n), n)
	}

	// provd's update case: the T46S's password rotated and its user renamed.
	users := filepath.Join(s.conf, "users.conf")
	sedInPlace(t, users, "secret = fake-pw-1001\nfullname = Alice Martin\n", "secret = fake-pw-1001-rotated\nfullname = Alice Martin-Durand\n")
	update, err := os.ReadFile(filepath.Join(sharedProvd, "golden/yealink-t46s-1line/update/files/805ec0aabb01.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	// The NOTIFY comes first: a phone that fetches its new file before it
	// is confirmed without one.
	eventually(t, "a NOTIFY", func() bool { return len(s.notifies()) > 0 })
	time.Sleep(500 * time.Millisecond)
	if _, body := s.httpGet("805ec0aabb01.cfg", "Yealink SIP-T46S 66.86.0.15 80:5e:c0:aa:bb:01"); !bytes.Equal(body, update) {
		t.Error("the updated T46S file is not provd's")
	}
	n := s.notifies()
	if len(n) != 1 || n[0].Action != "PJSIPNotify" || n[0].Endpoint != "u1001t46s" || strings.Join(n[0].Variables, ",") != "Event=check-sync" {
		t.Fatalf("NOTIFYs after the T46S's edit: %v", n)
	}
	if got := s.tftpGet(client, "805ec0aabb01.cfg"); !bytes.Equal(got, update) {
		t.Error("TFTP does not serve the updated file")
	}

	sedInPlace(t, users, "fullname = Eve Digium\n", "fullname = Eve Digium-Martin\n")
	eventually(t, "a NOTIFY to the D40", func() bool { return len(s.notifies()) > 1 })
	time.Sleep(500 * time.Millisecond)
	n = s.notifies()
	if len(n) != 2 || n[1].Endpoint != "u1101d40" {
		t.Fatalf("NOTIFYs after the D40's edit: %v", n)
	}
	_, body := s.httpGet("Digium/000fd3aabb01.cfg", "Digium D40 1.4.0.0.57389")
	if !strings.Contains(string(body), `line_label="Eve Digium-Martin"`) {
		t.Errorf("the D40's edit is not served")
	}
	if strings.Contains(s.d.stderr.String(), "fake-pw-") || strings.Contains(s.d.stderr.String(), "fake-autoprov-pw") {
		t.Error("a SIP secret is in the log")
	}
}

// TestPluginBrokenAtStart: a plugin whose template does not parse is
// refused with its file and line, and the other plugin's phones are
// served; fixing it serves its phones too.
func TestPluginBrokenAtStart(t *testing.T) {
	s := newPluginSite(t)
	base := filepath.Join(s.data, "plugins/wazo-yealink-v86/templates/base.tpl")
	good, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(base, bytes.Replace(good, []byte("{% endif %}"), []byte("{% endfi %}"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	s.start()
	if code, body := s.httpGet("Digium/000fd3aabb02.cfg", "Digium D70 1.4.0.0.57389"); code != http.StatusOK || !strings.Contains(string(body), "u1102d70") {
		t.Errorf("the Digium plugin's phone: %d", code)
	}
	if code, _ := s.httpGet("805ec0000054.cfg", "Yealink SIP-T54W 96.86.0.45 80:5e:c0:00:00:54"); code != http.StatusNotFound {
		t.Errorf("the refused plugin's phone: %d", code)
	}
	eventually(t, "the log naming "+base+":59", func() bool { return strings.Contains(s.d.stderr.String(), base+":59") })
	var st struct {
		Config struct {
			Problems []struct {
				Severity string `json:"severity"`
				Message  string `json:"message"`
			} `json:"problems"`
		} `json:"config"`
	}
	s.d.statusJSON(t, &st)
	var listed bool
	for _, p := range st.Config.Problems {
		listed = listed || p.Severity == "error" && strings.HasPrefix(p.Message, base+":59: plugin wazo-yealink-v86 refused")
	}
	if !listed {
		t.Errorf("/status config.problems %+v lack the refused plugin", st.Config.Problems)
	}
	if err := os.WriteFile(base, good, 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the fixed plugin's phone", func() bool {
		code, _ := s.httpGet("805ec0000054.cfg", "Yealink SIP-T54W 96.86.0.45 80:5e:c0:00:00:54")
		return code == http.StatusOK
	})
}

// TestPluginCommands: routes lists plugin phones' files with the plugin
// and template, render prints provd's bytes, check renders them and says
// which phones wait to be identified.
func TestPluginCommands(t *testing.T) {
	s := newPluginSite(t)
	args := []string{"-config-dir", s.conf, "-data-dir", s.data}
	routes := run(t, "", append([]string{"routes"}, args...)...)
	if routes.code != 0 {
		t.Fatalf("routes: %d %s", routes.code, routes.stderr)
	}
	for _, want := range []string{
		"res_pjsip_phoneprov_ wazo-digium          Digium/000fd3aabb02.cfg                   wazo-digium-1.4.0.0/base.tpl",
		"sipusers             unseen-yealink       805ec0000054.cfg                          wazo-yealink-v86/T54W.tpl",
		"wazo-yealink-v86     directory_setting.xml",
	} {
		if !strings.Contains(routes.stdout, want) {
			t.Errorf("routes lacks %q:\n%s", want, routes.stdout)
		}
	}
	r := run(t, "", append([]string{"render", "Digium/000fd3aabb02.cfg"}, args...)...)
	want, _ := os.ReadFile(filepath.Join(sharedProvd, "golden/digium-d70-3lines-funckeys/files/000fd3aabb02.cfg"))
	if r.code != 0 || r.stdout != string(want) {
		t.Errorf("render: exit %d, %d bytes, want provd's %d: %s", r.code, len(r.stdout), len(want), r.stderr)
	}
	c := run(t, "", append([]string{"check"}, args...)...)
	if c.code != 0 || !strings.Contains(c.stdout, "2 plugin phones wait to be identified") || !strings.Contains(c.stdout, "not well-formed XML") {
		t.Errorf("check: exit %d\n%s%s", c.code, c.stdout, c.stderr)
	}
	if strings.Contains(c.stdout+c.stderr, "fake-pw") {
		t.Error("check shows a secret")
	}
}
