package security

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
)

// testSnapshot loads a configuration: phone 0004f2a1b2c3 (users.conf,
// secret s3cret-6001) and 0004f2c0ffee (pjsip, PROV_USER/PROV_PASSWORD);
// ${MAC}.cfg uses SECRET directly, ${MAC}-via.cfg through a setvar,
// ${MAC}-directory.xml not at all.
func testSnapshot(t testing.TB) *phoneprov.Snapshot {
	t.Helper()
	return phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf": "[general]\ndefault_profile = p\n[p]\nstatic_file => fw.bin\nstatic_file => keys/0004f2a1b2c3.key\n" +
			"${MAC}.cfg => secret.cfg\n${MAC}-via.cfg => via.cfg\n${MAC}-directory.xml => dir.xml\nsetvar => PASS=${SECRET}\n",
		"etc/users.conf": "[6001]\nusername = 6001\nsecret = s3cret-6001\nmacaddress = 0004F2A1B2C3\nautoprov = yes\n",
		"etc/pjsip.conf": "[udp]\ntype = transport\nbind = 0.0.0.0\n[7001]\ntype = endpoint\ntransport = udp\nauth = a7001\n" +
			"[a7001]\ntype = auth\nusername = 7001\npassword = s3cret-7001\n" +
			"[pp]\ntype = phoneprov\nendpoint = 7001\nMAC = 0004f2c0ffee\nPROFILE = p\nPROV_USER = pu\nPROV_PASSWORD = pp-7001\n",
		"lib/phoneprov/secret.cfg":            "secret=${SECRET}\n",
		"lib/phoneprov/via.cfg":               "password=${PASS}\n",
		"lib/phoneprov/dir.xml":               "<dir>${USERNAME}</dir>\n",
		"lib/phoneprov/fw.bin":                "fw",
		"lib/phoneprov/keys/0004f2a1b2c3.key": "key",
	}).Load()
}

func render(t testing.TB, snap *phoneprov.Snapshot, uri string) (*phoneprov.Route, *phoneprov.Rendered) {
	t.Helper()
	r := snap.Route(uri)
	if r == nil {
		t.Fatalf("no route %q", uri)
	}
	if r.Static() {
		return r, nil
	}
	body, err := snap.Render(r, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	return r, body
}

func TestSensitive(t *testing.T) {
	snap := testSnapshot(t)
	g, _ := newTestGuard(t, Config{Sensitive: []string{"keys/*"}})
	tests := []struct {
		uri       string
		sensitive bool
	}{
		{"0004F2A1B2C3.cfg", true},            // SECRET looked up (phoneprov.Rendered.Sensitive)
		{"0004F2A1B2C3-via.cfg", true},        // SECRET through a setvar: found in the body
		{"0004F2A1B2C3-directory.xml", false}, // no secret
		{"0004f2c0ffee.cfg", true},
		{"fw.bin", false},
		{"keys/0004f2a1b2c3.key", true}, // a configured glob
	}
	for _, tt := range tests {
		route, body := render(t, snap, tt.uri)
		if got := g.Sensitive(route, body); got != tt.sensitive {
			t.Errorf("Sensitive(%s) = %v", tt.uri, got)
		}
	}
}

func TestCredentialFor(t *testing.T) {
	snap := testSnapshot(t)
	global, _ := newTestGuard(t, Config{Auth: AuthDigest, User: "gu", Password: "gp"})
	none, _ := newTestGuard(t, Config{Auth: AuthDigest})
	p6001, p7001 := snap.Phone("0004F2A1B2C3"), snap.Phone("0004f2c0ffee")
	tests := []struct {
		name  string
		g     *Guard
		phone *phoneprov.Phone
		want  credential
		ok    bool
	}{
		{"per-phone pair wins", global, p7001, credential{"pu", "pp-7001", true}, true},
		{"per-phone pair without a global one", none, p7001, credential{"pu", "pp-7001", true}, true},
		{"global pair", global, p6001, credential{"gu", "gp", false}, true},
		{"no phone (static route)", global, nil, credential{"gu", "gp", false}, true},
		{"nothing configured", none, p6001, credential{}, false},
	}
	for _, tt := range tests {
		got, ok := tt.g.credentialFor(tt.phone)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: %+v %v", tt.name, got, ok)
		}
	}
}

func newHTTPRequest(remote, target string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.RemoteAddr = remote
	return r
}

func TestUnmatchedCountsPerSource(t *testing.T) {
	snap := testSnapshot(t)
	g, _ := newTestGuard(t, Config{ScanThreshold: 2, IPv6Prefix: 64})
	probe := func(remote, uri string) int {
		if rf := g.Unmatched(newHTTPRequest(remote, "/phoneprov/"+uri), snap, uri); rf != nil {
			return rf.Status
		}
		return 404
	}
	// Known MACs in any case, and names without a MAC, are not probes.
	for _, uri := range []string{"0004f2a1b2c3-license.cfg", "SEP0004F2A1B2C3.cnf.xml", "0004F2C0FFEE.boot", "000000000000.cfg", "nothing", "y000000000028.cfg"} {
		if st := probe("192.0.2.1:5060", uri); st != 404 {
			t.Errorf("%s: %d", uri, st)
		}
	}
	// Two addresses of one IPv6 /64 are one source.
	probe("[2001:db8:0:1::a]:1", "0004f2000001.cfg")
	probe("[2001:db8:0:1::b]:1", "0004f2000002.cfg")
	if st := probe("[2001:db8:0:2::a]:1", "0004f2000003.cfg"); st != 404 {
		t.Errorf("another /64 banned: %d", st)
	}
	if st := probe("[2001:db8:0:1::c]:1", "0004f2000003.cfg"); st != 403 {
		t.Errorf("third MAC from the /64: %d, want 403", st)
	}
	// An IPv4 client on a dual-stack socket is the same source as IPv4.
	probe("[::ffff:198.51.100.1]:1", "0004f2000001.cfg")
	probe("198.51.100.1:1", "0004f2000002.cfg")
	if st := probe("198.51.100.1:1", "0004f2000003.cfg"); st != 403 {
		t.Errorf("IPv4-mapped not counted with IPv4: %d", st)
	}
	if c := g.Status().Counters; c.UnknownMACs != 7 || c.Bans != 2 {
		t.Errorf("counters %+v", c)
	}
}

func TestAdmitMappedAddress(t *testing.T) {
	g, _ := newTestGuard(t, Config{HTTPAllow: pfx("10.0.0.0/8")})
	for remote, ok := range map[string]bool{"10.0.0.1:1": true, "[::ffff:10.0.0.1]:1": true, "192.0.2.1:1": false, "garbage": false} {
		if got := g.Admit(newHTTPRequest(remote, "/phoneprov/x")) == nil; got != ok {
			t.Errorf("Admit(%s) = %v", remote, got)
		}
	}
}

func TestAuthorizeStaticSensitiveByMAC(t *testing.T) {
	// A static sensitive route whose URI names a phone's MAC takes that
	// phone's credentials; the audit log names the MAC.
	snap := testSnapshot(t)
	var log bytes.Buffer
	g, _ := newTestGuard(t, Config{Sensitive: []string{"keys/*"}, Logger: slog.New(slog.NewJSONHandler(&log, nil))})
	route, _ := render(t, snap, "keys/0004f2a1b2c3.key")
	if rf := g.Authorize(newHTTPRequest("192.0.2.1:1", "/phoneprov/keys/0004f2a1b2c3.key"), snap, route, nil); rf != nil {
		t.Fatalf("auth none: %+v", rf)
	}
	g.FlushAudit()
	if !strings.Contains(log.String(), `"mac":"0004f2a1b2c3","route":"keys/0004f2a1b2c3.key"`) {
		t.Errorf("audit: %s", log.String())
	}
	// Status counts every sensitive file served, across audit intervals;
	// a file that is not sensitive is not counted.
	g.Authorize(newHTTPRequest("192.0.2.2:1", "/phoneprov/keys/0004f2a1b2c3.key"), snap, route, nil)
	fw, _ := render(t, snap, "fw.bin")
	g.Authorize(newHTTPRequest("192.0.2.2:1", "/phoneprov/fw.bin"), snap, fw, nil)
	if n := g.Status().Counters.ServedSensitive; n != 2 {
		t.Errorf("served_sensitive = %d, want 2", n)
	}
}

func TestStatusHoldsNoSecret(t *testing.T) {
	g, _ := newTestGuard(t, Config{Auth: AuthDigest, User: "admin-user", Password: "pa55-w0rd-secret", ScanThreshold: 1, ScanExempt: pfx("10.0.0.0/8")})
	snap := testSnapshot(t)
	g.Unmatched(newHTTPRequest("192.0.2.1:1", "/"), snap, "0004f2000001.cfg")
	g.Unmatched(newHTTPRequest("192.0.2.1:1", "/"), snap, "0004f2000002.cfg")
	b, err := json.Marshal(g.Status())
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if strings.Contains(text, "pa55-w0rd-secret") || strings.Contains(text, "admin-user") {
		t.Errorf("status holds a credential: %s", text)
	}
	for _, want := range []string{`"auth":"digest"`, `"source":"192.0.2.1"`, `"scan_exempt":["10.0.0.0/8"]`, `"open_to_world":false`} {
		if !strings.Contains(text, want) {
			t.Errorf("status lacks %s: %s", want, text)
		}
	}
}

func TestClip(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{{"abc", 5, "abc"}, {"abcdef", 3, "abc"}, {"aé", 2, "a"}, {"a\xffb", 5, "ab"}} {
		if got := clip(tt.in, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q", tt.in, tt.n, got)
		}
	}
}
