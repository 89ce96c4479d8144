package e2e

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
	"github.com/phoneprovd/phoneprovd/internal/testtool"
)

// The Yealink T4xS firmware package of the real wazo-yealink-v86 plugin,
// served by a local server with test content.
const (
	yealinkPlugin = "wazo-yealink-v86"
	t4sPackage    = "T46S_T48S_T42S_T41S-fw"
	t4sVersion    = "66.86.0.15"
	t4sOld        = "66.86.0.10"
	t4sFile       = "T46S(T48S,T42S,T41S)-66.86.0.15.rom"
	t4sRoute      = "firmware/" + t4sFile
)

// firmwareSite is a running phoneprovd serving Yealink phones with the
// real wazo-yealink-v86 plugin (its pkgs.db pointing at a local server
// for the T4xS firmware), an AMI fake for re-sync and registrations, and
// TFTP.
type firmwareSite struct {
	t         *testing.T
	root      string
	conf      string
	data      string
	state     string
	cache     string
	rom       []byte
	downloads atomic.Int64
	ami       *amitest.Server
	tftpPort  int
	d         atomic.Pointer[daemon]
	phones    []sitePhone
}

// sitePhone is a configured phone of the site.
type sitePhone struct {
	MAC      string // 12 lower-case hex digits
	Model    string
	Endpoint string
	Version  string // its firmware when the test starts
}

// colons writes a MAC as a Yealink User-Agent does.
func colons(mac string) string {
	var b strings.Builder
	for i := 0; i < len(mac); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(mac[i : i+2])
	}
	return b.String()
}

// newFirmwareSite writes the site: t46s T46S phones and one T27G (which
// the T4xS package is not for), each a users.conf user of profile
// "yealink" with its model and a PJSIP endpoint in the AMI fake.
func newFirmwareSite(t *testing.T, t46s int, extraConf string) *firmwareSite {
	s := &firmwareSite{t: t, root: t.TempDir(), tftpPort: freeUDPPort(t)}
	s.conf, s.data = filepath.Join(s.root, "etc"), filepath.Join(s.root, "lib")
	s.state, s.cache = filepath.Join(s.root, "state"), filepath.Join(s.root, "cache")
	s.rom = make([]byte, 300<<10)
	for i := range s.rom {
		s.rom[i] = byte(i*7 ^ i>>11)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.downloads.Add(1)
		http.ServeContent(w, r, "fw.rom", time.Now(), bytes.NewReader(s.rom))
	}))
	t.Cleanup(srv.Close)

	pluginDir := filepath.Join(s.data, "plugins", yealinkPlugin)
	if err := os.CopyFS(pluginDir, os.DirFS(filepath.Join(sharedProvd, "plugins", yealinkPlugin))); err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(filepath.Join(pluginDir, "pkgs", "pkgs.db"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(s.rom)
	db = []byte(rewriteFile(string(db), "file_"+t4sPackage, map[string]string{
		"url": srv.URL + "/fw.rom", "size": strconv.Itoa(len(s.rom)), "sha1sum": hex.EncodeToString(sum[:])}))
	if err := os.WriteFile(filepath.Join(pluginDir, "pkgs", "pkgs.db"), db, 0o644); err != nil {
		t.Fatal(err)
	}

	s.ami = amitest.NewServer(amitest.Options{})
	t.Cleanup(s.ami.Close)
	s.ami.AddUser("phoneprov", "ami-secret")
	s.ami.AddTransport(amitest.Transport{Name: "udp", Bind: "0.0.0.0:5060"})
	var users strings.Builder
	users.WriteString("[general]\n")
	for i := range t46s + 1 {
		p := sitePhone{MAC: fmt.Sprintf("805ec011%04x", i), Model: "T46S", Version: t4sOld}
		if i == t46s {
			p = sitePhone{MAC: "805ec0220001", Model: "T27G", Version: "69.86.0.10"}
		}
		p.Endpoint = "u" + p.MAC
		s.phones = append(s.phones, p)
		fmt.Fprintf(&users, "[%s]\nautoprov = yes\nmacaddress = %s\nprofile = yealink\nmodel = %s\nusername = %s\nsecret = pw-%s\nfullname = Phone %d\n",
			p.Endpoint, p.MAC, p.Model, p.Endpoint, p.MAC, i)
		s.ami.AddEndpoint(amitest.Endpoint{Name: p.Endpoint, Transport: "udp", Aors: []string{p.Endpoint}})
		s.ami.AddContact(amitest.Contact{AOR: p.Endpoint, URI: s.contactURI(p), Status: "Reachable"})
	}
	host, port, _ := net.SplitHostPort(s.ami.Addr)
	writeFiles(t, s.root, map[string]string{
		"etc/phoneprov.conf": "[general]\ndefault_profile = yealink\n\n[yealink]\nsetvar => ntp_ip=192.0.2.40\n",
		"etc/users.conf":     users.String(),
		"etc/phoneprovd.conf": "[general]\ndebounce = 50ms\n[ami]\nhost = " + host + "\nport = " + port +
			"\nusername = phoneprov\nsecret = ami-secret\n[resync]\nrate = 100\njitter = 0s\nconfirm_timeout = 1m\n[tftp]\nlisten = 127.0.0.1:" +
			strconv.Itoa(s.tftpPort) + "\n[profile:yealink]\nplugin = " + yealinkPlugin + "\n" + extraConf,
		"lib/phoneprov/.keep": "",
	})
	return s
}

// rewriteFile returns a pkgs.db with keys of one section replaced.
func rewriteFile(db, section string, keys map[string]string) string {
	var out []string
	in := false
	for _, line := range strings.Split(db, "\n") {
		if strings.HasPrefix(line, "[") {
			in = strings.TrimSpace(line) == "["+section+"]"
		}
		if in {
			if k, _, ok := strings.Cut(line, ":"); ok {
				if v, ok := keys[strings.TrimSpace(k)]; ok {
					line = k + ": " + v
				}
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func (s *firmwareSite) contactURI(p sitePhone) string {
	return "sip:" + p.Endpoint + "@127.0.0.1:5999"
}

// start starts (or starts again) the daemon on the site's state.
func (s *firmwareSite) start() *daemon {
	d := startDaemon(s.t, "-config-dir", s.conf, "-data-dir", s.data, "-state-dir", s.state)
	s.d.Store(d)
	return d
}

// install runs phoneprovd pkgs install for the T4xS firmware.
func (s *firmwareSite) install() {
	s.t.Helper()
	r := run(s.t, "", "pkgs", "install", "-config-dir", s.conf, "-data-dir", s.data, "-cache-dir", s.cache, yealinkPlugin, t4sPackage)
	if r.code != 0 {
		s.t.Fatalf("pkgs install: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// userAgent is a Yealink's User-Agent.
func userAgent(model, version, mac string) string {
	return "Yealink SIP-" + model + " " + version + " " + colons(mac)
}

// get fetches /phoneprov/uri from the daemon, as a phone at local (an
// address of 127/8, "" for any) with a User-Agent and extra headers.
func (s *firmwareSite) get(local, uri, ua string, header map[string]string) (*http.Response, []byte, error) {
	d := s.d.Load()
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if local != "" {
		dialer.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}}
	req, _ := http.NewRequest(http.MethodGet, d.url("/phoneprov/"+uri), nil)
	req.Header.Set("User-Agent", ua)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// firmwareURL returns the static.firmware.url a phone's file names.
func firmwareURL(cfg []byte) string {
	for _, line := range strings.Split(string(cfg), "\n") {
		if v, ok := strings.CutPrefix(line, "static.firmware.url = "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestFirmwareInstalledIsServed: a package installed with `pkgs install`
// while the daemon runs is served at once from the plugin's var/tftpboot,
// where the phones' files point: over HTTP whole, in ranges (a phone
// resuming) and conditionally (a phone re-checking), and over TFTP with
// tftp-hpa; each fetch is recorded against the phone.
func TestFirmwareInstalledIsServed(t *testing.T) {
	client, err := exec.LookPath("tftp")
	if err != nil {
		testtool.Missing(t, "tftp (Debian package tftp-hpa)")
	}
	s := newFirmwareSite(t, 1, "")
	d := s.start()
	phone := s.phones[0]
	ua := userAgent(phone.Model, phone.Version, phone.MAC)
	_, cfg, err := s.get("", phone.MAC+".cfg", ua, nil)
	if err != nil {
		t.Fatal(err)
	}
	url := firmwareURL(cfg)
	if want := d.url("/phoneprov/" + t4sRoute); url != want {
		t.Fatalf("the phone's file names %q, want %q", url, want)
	}
	if resp, _, _ := s.get("", t4sRoute, ua, nil); resp == nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("before the install: %v", resp)
	}
	s.install()
	if s.downloads.Load() == 0 {
		t.Fatal("the package was not downloaded from the test server")
	}
	var resp *http.Response
	var body []byte
	eventually(t, "the installed firmware served over HTTP", func() bool {
		resp, body, err = s.get("", t4sRoute, ua, nil)
		return err == nil && resp.StatusCode == http.StatusOK
	})
	if !bytes.Equal(body, s.rom) {
		t.Fatalf("HTTP: %d bytes, not the firmware's %d", len(body), len(s.rom))
	}
	lastMod := resp.Header.Get("Last-Modified")
	resp, part, err := s.get("", t4sRoute, ua, map[string]string{"Range": "bytes=100000-"})
	if err != nil || resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, s.rom[100000:]) ||
		resp.Header.Get("Content-Range") != fmt.Sprintf("bytes 100000-%d/%d", len(s.rom)-1, len(s.rom)) {
		t.Errorf("resumed download: %v %v, %d bytes", err, resp.Status, len(part))
	}
	resp, part, err = s.get("", t4sRoute, ua, map[string]string{"If-Modified-Since": lastMod})
	if err != nil || resp.StatusCode != http.StatusNotModified || len(part) != 0 || lastMod == "" {
		t.Errorf("re-check: %v %v (Last-Modified %q)", err, resp.Status, lastMod)
	}
	out := filepath.Join(t.TempDir(), "fw.rom")
	cmd := exec.Command(client, "127.0.0.1", strconv.Itoa(s.tftpPort), "-m", "binary", "-c", "get", t4sRoute, out)
	if msg, err := cmd.CombinedOutput(); err != nil || strings.Contains(string(msg), "Error") {
		t.Fatalf("tftp: %v %s", err, msg)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, s.rom) {
		t.Errorf("TFTP: %d bytes, not the firmware's %d", len(got), len(s.rom))
	}
	eventually(t, "the fetches recorded against the phone", func() bool {
		statuses := map[string]bool{}
		for _, p := range d.phones(t, "").Phones {
			if p.MAC == phone.MAC && p.Device != nil {
				for _, f := range p.Device.Files {
					if f.File == t4sRoute {
						statuses[f.Status] = true
					}
				}
			}
		}
		return statuses["200"] && statuses["206"] && statuses["304"] && statuses["completed"]
	})
}
