package security_test

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testtool"

	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// digestConfig asks for digest credentials: the global pair, and 7001's
// own PROV_USER/PROV_PASSWORD.
func digestConfig() security.Config {
	return security.Config{Auth: security.AuthDigest, User: globalUser, Password: globalPass, ScanThreshold: 10}
}

// curl runs the real curl and returns its status code and body.
func curl(t *testing.T, args ...string) (int, string) {
	t.Helper()
	args = append([]string{"-s", "-S", "--max-time", "20", "-w", "\n%{http_code}"}, args...)
	out, err := exec.Command("curl", args...).Output()
	if err != nil {
		t.Fatalf("curl %v: %v", args, err)
	}
	text := string(out)
	i := strings.LastIndexByte(text, '\n')
	var code int
	fmt.Sscan(text[i+1:], &code)
	return code, text[:i]
}

func requireCurl(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		testtool.Missing(t, "curl (Debian package curl)")
	}
}

// TestDigestWithCurl: the real `curl --digest` gets a sensitive file with
// the right credentials, per phone and global, with SHA-256 (offered
// first) and MD5, and is refused without or with wrong ones.
func TestDigestWithCurl(t *testing.T) {
	requireCurl(t)
	s := newSite(t)
	srv := startServer(t, s, digestConfig(), serverOptions{})
	md5Only := digestConfig()
	md5Only.DigestAlgorithms = []string{security.AlgorithmMD5}
	md5srv := startServer(t, s, md5Only, serverOptions{})
	u6001, u7001 := "/phoneprov/"+mac6001+".cfg", "/phoneprov/"+mac7001+".cfg"
	tests := []struct {
		name   string
		base   string
		path   string
		args   []string
		status int
		secret string // in the body when 200
	}{
		{"global pair, SHA-256", srv.http, u6001, []string{"--digest", "-u", globalUser + ":" + globalPass}, 200, secret6001},
		{"per-phone pair, SHA-256", srv.http, u7001, []string{"--digest", "-u", provUser7001 + ":" + provPass7001}, 200, secret7001},
		{"global pair, MD5", md5srv.http, u6001, []string{"--digest", "-u", globalUser + ":" + globalPass}, 200, secret6001},
		{"per-phone pair, MD5", md5srv.http, u7001, []string{"--digest", "-u", provUser7001 + ":" + provPass7001}, 200, secret7001},
		{"per-phone pair wins over global", srv.http, u7001, []string{"--digest", "-u", globalUser + ":" + globalPass}, 401, ""},
		{"another phone's pair", srv.http, u6001, []string{"--digest", "-u", provUser7001 + ":" + provPass7001}, 401, ""},
		{"wrong password", srv.http, u6001, []string{"--digest", "-u", globalUser + ":nope"}, 401, ""},
		{"wrong user", srv.http, u6001, []string{"--digest", "-u", "someone:" + globalPass}, 401, ""},
		{"no credentials", srv.http, u6001, nil, 401, ""},
		{"not sensitive: no credentials needed", srv.http, "/phoneprov/" + mac6001 + "-directory.xml", nil, 200, ""},
		{"firmware: no credentials needed", srv.http, "/phoneprov/fw.bin", nil, 200, ""},
		{"HEAD with credentials", srv.http, u6001, []string{"-I", "--digest", "-u", globalUser + ":" + globalPass}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := curl(t, append(tt.args, tt.base+tt.path)...)
			if code != tt.status {
				t.Errorf("status %d, want %d; body %q", code, tt.status, body)
			}
			for _, sec := range allSecrets {
				if strings.Contains(body, sec) != (sec == tt.secret) {
					t.Errorf("body %q and secret %q", body, sec)
				}
			}
		})
	}
	// Audit: one line per sensitive file served, with the method.
	srv.guard.FlushAudit()
	if n := srv.log.count(`"msg":"sensitive file served"`, `"auth":"digest"`, `"mac":"`+mac7001+`"`, `"ua":"curl/`, `"count":1`); n != 1 {
		t.Errorf("%d audit lines for 7001 by digest, want 1", n)
	}
}

// TestDigestChallenge: a sensitive route without credentials gets 401
// with a SHA-256 then an MD5 challenge, qop=auth, one server nonce and
// opaque (RFC 7616 §3.3); the error page says nothing of why.
func TestDigestChallenge(t *testing.T) {
	s := newSite(t)
	srv := startServer(t, s, digestConfig(), serverOptions{})
	r := do(t, nil, http.MethodGet, srv.http+"/phoneprov/"+mac6001+".cfg", nil)
	chs := challenges(r.header)
	if r.status != 401 || len(chs) != 2 || chs[0].algorithm != "SHA-256" || chs[1].algorithm != "MD5" {
		t.Fatalf("%d %v", r.status, r.header.Values("WWW-Authenticate"))
	}
	for _, c := range chs {
		if c.realm != "phoneprovd" || c.qop != "auth" || c.nonce == "" || c.nonce != chs[0].nonce || c.opaque == "" || c.stale {
			t.Errorf("challenge %+v", c)
		}
	}
	if !strings.Contains(r.body, "<title>401 Unauthorized</title>") || !strings.Contains(r.body, "This file requires authentication.") {
		t.Errorf("page %q", r.body)
	}
	// Each challenge has a fresh nonce.
	if r2 := do(t, nil, http.MethodGet, srv.http+"/phoneprov/"+mac6001+".cfg", nil); challenges(r2.header)[0].nonce == chs[0].nonce {
		t.Error("nonce reused across challenges")
	}
}

// TestDigestReplayAndStale crafts responses with a Go client: a nonce
// count is accepted once (in any order within the window), a replayed one
// is refused, a stale nonce with right credentials gets stale=true, a
// forged nonce and a response for another URI are refused, and a right
// answer works for both algorithms.
func TestDigestReplayAndStale(t *testing.T) {
	s := newSite(t)
	clk := newClock()
	cfg := digestConfig()
	cfg.Now = clk.Now
	cfg.NonceLifetime = time.Minute
	srv := startServer(t, s, cfg, serverOptions{})
	path := "/phoneprov/" + mac6001 + ".cfg"
	send := func(method, auth string) response {
		return do(t, nil, method, srv.http+path, map[string]string{"Authorization": auth})
	}
	get := func(auth string) response { return send(http.MethodGet, auth) }
	first := do(t, nil, http.MethodGet, srv.http+path, nil)
	chs := challenges(first.header)
	sha, md := chs[0], chs[1]

	steps := []struct {
		name   string
		method string // GET when empty
		auth   string
		status int
	}{
		{"SHA-256 nc=1", "", sha.answer(globalUser, globalPass, "GET", path, 1, "c1"), 200},
		{"SHA-256 nc=1 replayed", "", sha.answer(globalUser, globalPass, "GET", path, 1, "c1"), 401},
		{"SHA-256 nc=1 replayed, new cnonce", "", sha.answer(globalUser, globalPass, "GET", path, 1, "c2"), 401},
		{"nc=3 before nc=2", "", sha.answer(globalUser, globalPass, "GET", path, 3, "c3"), 200},
		{"nc=2 late but new", "", sha.answer(globalUser, globalPass, "GET", path, 2, "c4"), 200},
		{"nc=2 again", "", sha.answer(globalUser, globalPass, "GET", path, 2, "c5"), 401},
		{"MD5 on the same nonce", "", md.answer(globalUser, globalPass, "GET", path, 4, "c6"), 200},
		{"answer for another URI", "", sha.answerFor(globalUser, globalPass, "GET", "/phoneprov/"+mac7001+".cfg", path, 5, "c7"), 401},
		{"HEAD answered for GET", "HEAD", sha.answer(globalUser, globalPass, "GET", path, 6, "c8"), 401},
		{"HEAD answered for HEAD", "HEAD", sha.answer(globalUser, globalPass, "HEAD", path, 9, "c8"), 200},
		{"forged nonce", "", challenge{realm: "phoneprovd", nonce: "bm90LWEtbm9uY2UtZnJvbS10aGlzLXNlcnZlci0hISEhIQ", opaque: sha.opaque, algorithm: "SHA-256", qop: "auth"}.answer(globalUser, globalPass, "GET", path, 1, "c9"), 401},
		{"nc=0", "", sha.answer(globalUser, globalPass, "GET", path, 0, "c10"), 401},
		{"no qop (RFC 2069)", "", strings.Replace(sha.answer(globalUser, globalPass, "GET", path, 7, "c11"), ", qop=auth", "", 1), 401},
	}
	for _, st := range steps {
		if st.method == "" {
			st.method = http.MethodGet
		}
		if r := send(st.method, st.auth); r.status != st.status {
			t.Errorf("%s: %d, want %d", st.name, r.status, st.status)
		} else if r.status == 401 && challenges(r.header)[0].stale {
			t.Errorf("%s: stale=true", st.name)
		}
	}
	// The nonce expires: right credentials get stale=true, so the client
	// retries without asking its user.
	clk.advance(time.Minute)
	r := get(sha.answer(globalUser, globalPass, "GET", path, 8, "c12"))
	if chs := challenges(r.header); r.status != 401 || len(chs) != 2 || !chs[0].stale || !chs[1].stale {
		t.Fatalf("stale nonce: %d %v", r.status, r.header.Values("WWW-Authenticate"))
	}
	fresh := challenges(r.header)[0]
	if r := get(fresh.answer(globalUser, globalPass, "GET", path, 1, "c13")); r.status != 200 {
		t.Errorf("fresh nonce after stale: %d", r.status)
	}
	// Wrong credentials on a stale nonce are a failure, not stale.
	clk.advance(time.Minute)
	if r := get(fresh.answer(globalUser, "wrong", "GET", path, 2, "c14")); r.status != 401 || challenges(r.header)[0].stale {
		t.Errorf("stale nonce, wrong password: %d %v", r.status, r.header.Values("WWW-Authenticate"))
	}
}

// TestFailedAuthBans: failed authentications count like unknown MACs;
// over the threshold the source is banned, and then even right
// credentials get 403.
func TestFailedAuthBans(t *testing.T) {
	s := newSite(t)
	cfg := digestConfig()
	cfg.ScanThreshold = 3
	cfg.CountLoopback = true // the test client is on loopback
	srv := startServer(t, s, cfg, serverOptions{})
	path := "/phoneprov/" + mac6001 + ".cfg"
	status := func(user, pass string) int {
		first := do(t, nil, http.MethodGet, srv.http+path, nil)
		if first.status != 401 {
			return first.status
		}
		ch := challenges(first.header)[0]
		return do(t, nil, http.MethodGet, srv.http+path, map[string]string{"Authorization": ch.answer(user, pass, "GET", path, 1, "x")}).status
	}
	for i := range 3 {
		if st := status(globalUser, fmt.Sprint("guess", i)); st != 401 {
			t.Fatalf("guess %d: %d", i, st)
		}
	}
	if st := status(globalUser, "guess3"); st != 403 {
		t.Errorf("fourth failure: %d, want 403", st)
	}
	if st := status(globalUser, globalPass); st != 403 {
		t.Errorf("banned source, right password: %d, want 403", st)
	}
	if b := srv.guard.Status().Bans; len(b) != 1 || b[0].AuthFailures != 4 {
		t.Errorf("bans %+v", b)
	}
	if srv.log.count(`"msg":"authentication failed"`, `"remote":"127.0.0.1"`) != 4 {
		t.Errorf("failures not logged 4 times")
	}
}

// TestBasicOnlyOverTLS: Basic credentials are refused over plain HTTP,
// even right ones, and accepted over TLS (curl -u, its default scheme).
func TestBasicOnlyOverTLS(t *testing.T) {
	requireCurl(t)
	s := newSite(t)
	pki := newPKI(t, "basic")
	cfg := digestConfig()
	cfg.Auth = security.AuthBasic
	srv := startServer(t, s, cfg, serverOptions{tls: pki})
	path := "/phoneprov/" + mac6001 + ".cfg"

	// Plain HTTP: right Basic credentials refused; the challenge offers
	// Digest only.
	code, body := curl(t, "--basic", "-u", globalUser+":"+globalPass, srv.http+path)
	if code != 401 || strings.Contains(body, secret6001) {
		t.Errorf("Basic over HTTP: %d", code)
	}
	r := do(t, nil, http.MethodGet, srv.http+path, nil)
	for _, v := range r.header.Values("WWW-Authenticate") {
		if strings.HasPrefix(v, "Basic") {
			t.Errorf("plain HTTP offers Basic: %q", v)
		}
	}
	if srv.log.count("Basic credentials refused over plain HTTP") != 1 {
		t.Error("refusal not logged")
	}
	// TLS: Basic offered first, accepted with the right pair.
	r = do(t, tlsClient(srv.pool, nil), http.MethodGet, srv.https+path, nil)
	if v := r.header.Values("WWW-Authenticate"); r.status != 401 || len(v) != 3 || v[0] != `Basic realm="phoneprovd", charset="UTF-8"` {
		t.Errorf("TLS challenge: %d %q", r.status, v)
	}
	code, body = curl(t, "--cacert", pkiCA(pki), "--basic", "-u", globalUser+":"+globalPass, srv.https+path)
	if code != 200 || !strings.Contains(body, secret6001) {
		t.Errorf("Basic over TLS: %d %q", code, body)
	}
	code, _ = curl(t, "--cacert", pkiCA(pki), "--basic", "-u", globalUser+":wrong", srv.https+path)
	if code != 401 {
		t.Errorf("wrong Basic over TLS: %d", code)
	}
	// Digest works over TLS too.
	code, body = curl(t, "--cacert", pkiCA(pki), "--digest", "-u", provUser7001+":"+provPass7001, srv.https+"/phoneprov/"+mac7001+".cfg")
	if code != 200 || !strings.Contains(body, secret7001) {
		t.Errorf("digest over TLS: %d", code)
	}
	srv.guard.FlushAudit()
	if srv.log.count(`"msg":"sensitive file served"`, `"auth":"basic"`, `"proto":"https"`) != 1 {
		t.Error("basic not audited")
	}
}

func pkiCA(p *testPKI) string { return p.caFile }

// challenge is one Digest challenge of a WWW-Authenticate header.
type challenge struct {
	realm, nonce, opaque, algorithm, qop string
	stale                                bool
}

var paramRE = regexp.MustCompile(`(\w+)=("[^"]*"|[^,\s]+)`)

// challenges parses the Digest challenges of h.
func challenges(h http.Header) []challenge {
	var out []challenge
	for _, v := range h.Values("WWW-Authenticate") {
		if !strings.HasPrefix(v, "Digest ") {
			continue
		}
		var c challenge
		for _, m := range paramRE.FindAllStringSubmatch(v, -1) {
			val := strings.Trim(m[2], `"`)
			switch m[1] {
			case "realm":
				c.realm = val
			case "nonce":
				c.nonce = val
			case "opaque":
				c.opaque = val
			case "algorithm":
				c.algorithm = val
			case "qop":
				c.qop = val
			case "stale":
				c.stale = val == "true"
			}
		}
		out = append(out, c)
	}
	return out
}

// answer is the Authorization value answering c for method and uri.
func (c challenge) answer(user, pass, method, uri string, nc uint32, cnonce string) string {
	return c.answerFor(user, pass, method, uri, uri, nc, cnonce)
}

// answerFor computes the response for hashURI but sends sentURI.
func (c challenge) answerFor(user, pass, method, hashURI, sentURI string, nc uint32, cnonce string) string {
	var h hash.Hash = md5.New()
	if c.algorithm == "SHA-256" {
		h = sha256.New()
	}
	sum := func(s string) string {
		h.Reset()
		h.Write([]byte(s))
		return hex.EncodeToString(h.Sum(nil))
	}
	ncs := fmt.Sprintf("%08x", nc)
	ha1 := sum(user + ":" + c.realm + ":" + pass)
	ha2 := sum(method + ":" + hashURI)
	resp := sum(ha1 + ":" + c.nonce + ":" + ncs + ":" + cnonce + ":auth:" + ha2)
	return fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=%s, response="%s", opaque="%s", qop=auth, nc=%s, cnonce="%s"`,
		user, c.realm, c.nonce, sentURI, c.algorithm, resp, c.opaque, ncs, cnonce)
}
