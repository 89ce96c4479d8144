package security

import (
	"net/http"
	"net/netip"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
)

// refusal is the handler's answer type.
type refusal = httpserver.Refusal

// forbidden is a 403 without headers.
func forbidden() *refusal { return &refusal{Status: http.StatusForbidden} }

// request is what the guard knows about one HTTP request.
type request struct {
	r      *http.Request
	remote netip.Addr // unmapped; invalid when RemoteAddr is not an address
	proto  string     // "http" or "https"
}

func newRequest(r *http.Request) request {
	q := request{r: r, proto: "http"}
	if r.TLS != nil {
		q.proto = "https"
	}
	q.remote = httpserver.RemoteAddr(r)
	return q
}

// Admit implements httpserver.Guard: an address outside http_allow gets
// 403 for every request.
func (g *Guard) Admit(r *http.Request) *httpserver.Refusal {
	if len(g.r().httpAllow) == 0 {
		return nil
	}
	q := newRequest(r)
	if q.remote.IsValid() && g.r().httpAllow.contains(q.remote) {
		return nil
	}
	g.counters.refusedAllowlist.Add(1)
	g.log.Debug("request refused: address not in http_allow", "remote", q.remote.String(), "proto", q.proto)
	return forbidden()
}

// Unmatched implements httpserver.Guard. A name that matches no route but
// carries a MAC no phone has is a probe: it is counted against the
// source, and a banned source gets 403 instead of 404.
func (g *Guard) Unmatched(r *http.Request, snap *phoneprov.Snapshot, uri string) *httpserver.Refusal {
	mac, ok := family.MACFromPath(uri)
	if !ok || g.phoneByMAC(snap, mac) != nil {
		return nil
	}
	q := newRequest(r)
	if !q.remote.IsValid() {
		return nil
	}
	if g.countUnknownMAC(q.remote, mac, q.proto) {
		g.counters.refusedBanned.Add(1)
		return forbidden()
	}
	return nil
}

// Authorize implements httpserver.Guard. Routes that are not sensitive
// pass. A sensitive route is refused to a banned source and, with
// ua_mac_check, to a User-Agent naming another MAC; then it needs a
// trusted client certificate naming its phone's MAC, or the configured
// credentials. Every sensitive file let through is logged for audit.
func (g *Guard) Authorize(r *http.Request, snap *phoneprov.Snapshot, route *phoneprov.Route, body *phoneprov.Rendered) *httpserver.Refusal {
	if !g.Sensitive(route, body) {
		return nil
	}
	q := newRequest(r)
	if !q.remote.IsValid() {
		return forbidden()
	}
	if g.isBanned(q.remote) {
		g.counters.refusedBanned.Add(1)
		g.log.Debug("sensitive file refused to a banned source", "remote", q.remote.String(), "route", route.URI)
		return forbidden()
	}
	phone, mac := g.routePhone(snap, route)
	ua := r.UserAgent()
	if g.r().cfg.UAMACCheck && mac != "" {
		d := families.Identify(family.Request{Proto: "http", UserAgent: ua, Path: route.URI, RemoteIP: q.remote})
		if d.MACSource == family.SourceUserAgent && d.MACMismatch(mac) {
			g.counters.refusedUserAgent.Add(1)
			g.log.Warn("sensitive file refused: the User-Agent names another phone", "remote", q.remote.String(), "route", route.URI, "mac", mac, "ua_mac", d.MAC)
			if g.countFailure(q.remote, q.proto) {
				g.counters.refusedBanned.Add(1)
			}
			return forbidden()
		}
	}
	method, rf := g.authenticate(q, phone, mac, route.URI)
	if rf != nil {
		return rf
	}
	g.audit(q.proto, r.Method, mac, route.URI, q.remote, ua, method)
	return nil
}
