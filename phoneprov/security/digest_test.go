package security

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestDigestResponseRFC7616(t *testing.T) {
	// RFC 7616 §3.9.1: the worked example, for both algorithms.
	in := digestInput{
		user: "Mufasa", realm: "http-auth@example.org", password: "Circle of Life",
		method: "GET", uri: "/dir/index.html",
		nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc: "00000001",
		cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop: "auth",
	}
	for alg, want := range map[string]string{
		AlgorithmMD5:    "8ca523f5e9506fed4657c9700eebdbec",
		AlgorithmSHA256: "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
	} {
		if got := digestResponse(alg, in); got != want {
			t.Errorf("%s: %s, want %s", alg, got, want)
		}
	}
}

// newTestGuard returns a Guard with a settable clock.
func newTestGuard(t *testing.T, cfg Config) (*Guard, *time.Time) {
	t.Helper()
	now := time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC)
	cfg.Now = func() time.Time { return now }
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g, &now
}

func TestCheckDigest(t *testing.T) {
	g, now := newTestGuard(t, Config{Auth: AuthDigest, User: "u", Password: "p", NonceLifetime: time.Minute, DigestAlgorithms: []string{AlgorithmSHA256}})
	cred := credential{user: "u", password: "p"}
	r := httptest.NewRequest(http.MethodGet, "/phoneprov/a.cfg?x=1", nil)
	nonce := g.nonces.mint(*now)
	// params answers the request with the given overrides.
	params := func(over map[string]string) map[string]string {
		p := map[string]string{"username": "u", "realm": "phoneprovd", "nonce": nonce, "uri": r.RequestURI,
			"qop": "auth", "nc": "00000001", "cnonce": "cn", "algorithm": "SHA-256", "opaque": g.opaque}
		for k, v := range over {
			if v == "-" {
				delete(p, k)
			} else {
				p[k] = v
			}
		}
		p["response"] = digestResponse(AlgorithmSHA256, digestInput{user: p["username"], realm: p["realm"], password: "p",
			method: r.Method, uri: p["uri"], nonce: p["nonce"], nc: p["nc"], cnonce: p["cnonce"], qop: p["qop"]})
		return p
	}
	tests := []struct {
		name string
		over map[string]string
		edit func(map[string]string) // applied after the response is computed
		want digestResult
	}{
		{"right", nil, nil, digestOK},
		{"replayed nc", nil, nil, digestReplayed},
		{"next nc", map[string]string{"nc": "00000002"}, nil, digestOK},
		{"upper-case response hex", map[string]string{"nc": "00000003"}, func(p map[string]string) { p["response"] = upper(p["response"]) }, digestOK},
		{"query left out of the uri", map[string]string{"nc": "00000004", "uri": "/phoneprov/a.cfg"}, nil, digestOK},
		{"other uri", map[string]string{"nc": "00000005", "uri": "/phoneprov/b.cfg"}, nil, digestMalformed},
		{"wrong user", map[string]string{"username": "v", "nc": "00000006"}, nil, digestWrong},
		{"wrong response", map[string]string{"nc": "00000007"}, func(p map[string]string) { p["response"] = "00" }, digestWrong},
		{"MD5 not offered", map[string]string{"algorithm": "MD5"}, nil, digestMalformed},
		{"algorithm absent means MD5", map[string]string{"algorithm": "-"}, nil, digestMalformed},
		{"-sess not offered", map[string]string{"algorithm": "SHA-256-sess"}, nil, digestMalformed},
		{"other realm", map[string]string{"realm": "x"}, nil, digestMalformed},
		{"qop auth-int", map[string]string{"qop": "auth-int"}, nil, digestMalformed},
		{"no qop", map[string]string{"qop": "-"}, nil, digestMalformed},
		{"no cnonce", map[string]string{"cnonce": "-"}, nil, digestMalformed},
		{"userhash", map[string]string{"userhash": "true"}, nil, digestMalformed},
		{"other opaque", map[string]string{"opaque": "x"}, nil, digestMalformed},
		{"opaque left out", map[string]string{"opaque": "-", "nc": "00000008"}, nil, digestOK},
		{"nc not 8 digits", map[string]string{"nc": "1"}, nil, digestMalformed},
		{"nc zero", map[string]string{"nc": "00000000"}, nil, digestMalformed},
		{"nonce not ours", map[string]string{"nonce": "AAAA"}, nil, digestUnknown},
	}
	for _, tt := range tests {
		p := params(tt.over)
		if tt.edit != nil {
			tt.edit(p)
		}
		if got := g.checkDigest(r, p, cred, *now); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	// Expired: right credentials are stale, wrong ones are wrong.
	*now = now.Add(time.Minute)
	if got := g.checkDigest(r, params(map[string]string{"nc": "00000009"}), cred, *now); got != digestStale {
		t.Errorf("expired nonce: %d", got)
	}
	wrong := params(map[string]string{"nc": "0000000a"})
	wrong["response"] = "00"
	if got := g.checkDigest(r, wrong, cred, *now); got != digestWrong {
		t.Errorf("expired nonce, wrong response: %d", got)
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func TestUriMatches(t *testing.T) {
	// RFC 7616 §3.4.6: the digest-uri must name the request target.
	tests := []struct {
		uri, target string
		want        bool
	}{
		{"/phoneprov/a.cfg", "/phoneprov/a.cfg", true},
		{"/phoneprov/a.cfg?x", "/phoneprov/a.cfg?x", true},
		{"/phoneprov/a.cfg", "/phoneprov/a.cfg?x", true},
		{"/phoneprov/a.cfg?y", "/phoneprov/a.cfg?x", false},
		{"/phoneprov/b.cfg", "/phoneprov/a.cfg", false},
		{"/phoneprov/a.cfg?x", "/phoneprov/a.cfg", false},
		{"", "/phoneprov/a.cfg", false},
	}
	for _, tt := range tests {
		if got := uriMatches(tt.uri, tt.target); got != tt.want {
			t.Errorf("uriMatches(%q, %q) = %v", tt.uri, tt.target, got)
		}
	}
}

func TestEqualSecret(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{{"", "", true}, {"abc", "abc", true}, {"abc", "abd", false}, {"abc", "abcd", false}, {"", "a", false}} {
		if equalSecret(tt.a, tt.b) != tt.want {
			t.Errorf("equalSecret(%q, %q)", tt.a, tt.b)
		}
	}
}

func TestDigestChallengeFormat(t *testing.T) {
	// RFC 7616 §3.3: realm, qop, algorithm, nonce, opaque, stale.
	g, _ := newTestGuard(t, Config{Realm: "site"})
	got := g.digestChallenge("SHA-256", "N", true)
	want := `Digest realm="site", qop="auth", algorithm=SHA-256, nonce="N", opaque="` + g.opaque + `", stale=true`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	params, err := parseAuthParams(got[len("Digest "):])
	if err != nil || params["nonce"] != "N" || params["stale"] != "true" {
		t.Errorf("challenge does not parse back: %v %v", params, err)
	}
}
