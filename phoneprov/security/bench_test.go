package security

import (
	"fmt"
	"net/http"
	"testing"
)

// BenchmarkAuthorize measures the guard's cost per request on a rendered
// sensitive route: with no credentials (ban check, audit line) and with a
// valid Digest answer (parse, nonce check, two hashes, nonce count).
func BenchmarkAuthorize(b *testing.B) {
	snap := testSnapshot(b)
	route := snap.Route("0004F2A1B2C3.cfg")
	body, err := snap.Render(route, "192.0.2.1")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("none", func(b *testing.B) {
		g, err := New(Config{ScanThreshold: 10})
		if err != nil {
			b.Fatal(err)
		}
		r := newHTTPRequest("192.0.2.9:5060", "/phoneprov/0004F2A1B2C3.cfg")
		b.ReportAllocs()
		for b.Loop() {
			if rf := g.Authorize(r, snap, route, body); rf != nil {
				b.Fatal(rf.Status)
			}
		}
	})
	b.Run("digest", func(b *testing.B) {
		g, err := New(Config{Auth: AuthDigest, User: "u", Password: "p", ScanThreshold: 10})
		if err != nil {
			b.Fatal(err)
		}
		r := newHTTPRequest("192.0.2.9:5060", "/phoneprov/0004F2A1B2C3.cfg")
		nonce := g.nonces.mint(g.now())
		nc := uint32(0)
		b.ReportAllocs()
		for b.Loop() {
			nc++
			in := digestInput{user: "u", realm: g.r().cfg.Realm, password: "p", method: http.MethodGet, uri: r.RequestURI,
				nonce: nonce, nc: fmt.Sprintf("%08x", nc), cnonce: "c", qop: "auth"}
			r.Header.Set("Authorization", fmt.Sprintf(`Digest username="u", realm="%s", nonce="%s", uri="%s", algorithm=SHA-256, qop=auth, nc=%s, cnonce="c", response="%s"`,
				in.realm, nonce, in.uri, in.nc, digestResponse(AlgorithmSHA256, in)))
			if rf := g.Authorize(r, snap, route, body); rf != nil {
				b.Fatal(rf.Status)
			}
		}
	})
}
