package security

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
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

// BenchmarkAuthorizeParallel measures the guard on every CPU at once, as
// a boot storm of 2,000 phones makes it work: a sensitive file let
// through and counted in the audit, whose aggregation every request
// updates.
func BenchmarkAuthorizeParallel(b *testing.B) {
	const phones = 2000
	var users strings.Builder
	for i := range phones {
		fmt.Fprintf(&users, "[%d]\nusername = %d\nsecret = s%d\nmacaddress = 0004f2%06x\nautoprov = yes\n", 6000+i, 6000+i, i, i)
	}
	snap := phoneprovtest.NewSite(b, map[string]string{
		"etc/phoneprov.conf":       "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => secret.cfg\n",
		"etc/users.conf":           users.String(),
		"lib/phoneprov/secret.cfg": "secret=${SECRET}\n",
	}).Load()
	type req struct {
		r     *http.Request
		route *phoneprov.Route
		body  *phoneprov.Rendered
	}
	reqs := make([]req, phones)
	for i := range reqs {
		uri := fmt.Sprintf("0004f2%06x.cfg", i)
		route := snap.Route(uri)
		body, err := snap.Render(route, "192.0.2.1")
		if err != nil {
			b.Fatal(err)
		}
		reqs[i] = req{newHTTPRequest(fmt.Sprintf("192.0.2.%d:5060", 1+i%250), "/phoneprov/"+uri), route, body}
	}
	g, err := New(Config{ScanThreshold: 10})
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(7919))
		for pb.Next() {
			i = (i + 7919) % phones
			q := &reqs[i]
			if rf := g.Authorize(q.r, snap, q.route, q.body); rf != nil {
				b.Fatal(rf.Status)
			}
		}
	})
}
