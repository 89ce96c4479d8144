package phoneprov

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"strings"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// request is what a render knows about the phone it serves: Asterisk
// appends SERVER (the address the phone reached) to every line of the
// requesting phone unless its first line already has one (SPEC §1.6);
// phoneprovd adds PROV_PORT and PROV_SCHEME the same way (reached.go).
type request struct {
	phone *Phone
	at    Reached // Server is "" when the phone's SERVER is configured
}

// lineScope is the variable list a template is substituted against: a
// line's variables, followed by the request's SERVER when the line belongs
// to the requesting phone.
type lineScope struct {
	vars  subst.Vars
	phone *Phone
	req   *request
}

// Lookup implements subst.Scope.
func (l lineScope) Lookup(name string) (string, bool) {
	if v, ok := l.vars.Lookup(name); ok {
		return v, true
	}
	if l.req != nil && l.req.phone == l.phone {
		return l.req.at.lookup(name)
	}
	return "", false
}

// phoneLister is what PP_EACH_USER and PP_EACH_EXTENSION iterate: the
// finished snapshot at request time, the phones added so far at load time.
type phoneLister interface {
	orderedPhones() []*Phone
	phoneByMAC(mac string) *Phone
}

// ppFuncs returns PP_EACH_USER and PP_EACH_EXTENSION bound to phones and
// templates (SPEC §1.7, errata 6 and 7).
func ppFuncs(phones phoneLister, texts *textStore, keepQuotes bool) []*subst.Func {
	eachUser := &subst.Func{
		Name: "PP_EACH_USER",
		Read: func(c *subst.Call, args string) (string, error) {
			var parts []string
			if keepQuotes {
				parts = subst.SplitArgs(args, ',', 2, false)
				if len(parts) > 0 {
					parts[0] = subst.Unescape(parts[0])
				}
			} else {
				parts = subst.SplitArgs(args, ',', 2, true)
			}
			if len(parts) == 0 {
				c.Logf("PP_EACH_USER needs a template argument")
				return "", nil
			}
			tmpl := strings.ReplaceAll(parts[0], "%{", "${")
			exclude := subst.Arg(parts, 1)
			req := requestOf(c)
			var b strings.Builder
			for _, p := range phones.orderedPhones() {
				if exclude != "" && strings.EqualFold(p.MAC, exclude) {
					continue
				}
				b.WriteString(c.Substitute(tmpl, lineScope{vars: p.Lines[0].Vars, phone: p, req: req}))
			}
			return b.String(), nil
		},
	}
	eachExtension := &subst.Func{
		Name: "PP_EACH_EXTENSION",
		// Pure: besides its arguments it reads only the lines of one
		// phone and one template, which it declares (extensionDep).
		Pure: true,
		Read: func(c *subst.Call, args string) (string, error) {
			parts := subst.SplitArgs(args, ',', 2, true)
			mac, file := subst.Arg(parts, 0), subst.Arg(parts, 1)
			if mac == "" || file == "" {
				c.Logf("PP_EACH_EXTENSION requires both a macaddress and template filename")
				return "", nil
			}
			c.Depend(extensionDep{mac: mac, file: file})
			p := phones.phoneByMAC(mac)
			if p == nil {
				c.Logf("PP_EACH_EXTENSION: could not find user with mac = '%s'", mac)
				return "", nil
			}
			text, err := texts.get(file)
			if err != nil {
				c.Logf("PP_EACH_EXTENSION: could not load file: %v", err)
				return "", nil
			}
			req := requestOf(c)
			var b strings.Builder
			for _, l := range p.Lines {
				b.WriteString(c.Substitute(text, lineScope{vars: l.Vars, phone: p, req: req}))
			}
			return b.String(), nil
		},
	}
	return []*subst.Func{eachUser, eachExtension}
}

// extensionDep is what a PP_EACH_EXTENSION call read besides its
// arguments: the lines of the phone with MAC mac (or its absence) and the
// template file.
type extensionDep struct {
	mac, file string
}

// requestOf finds the request a function call renders for, if any.
func requestOf(c *subst.Call) *request {
	if l, ok := c.Scope().(lineScope); ok {
		return l.req
	}
	return nil
}

// Rendered is the body of a dynamic route.
type Rendered struct {
	Body []byte
	// Generation is the generation of the snapshot that rendered it.
	Generation uint64
	// Volatile bodies depend on the time of rendering and are rendered per
	// request.
	Volatile bool
	// Sensitive bodies depend on SECRET, directly or through a setvar
	// computed from it.
	Sensitive bool
	// HoldsSecret reports that the body contains, however the template
	// got it, the SECRET or PROV_PASSWORD of one of its phone's lines.
	HoldsSecret bool

	// pure bodies called only Pure functions: the same template,
	// variables and deps give the same bytes, so a reload can reuse them.
	pure bool
	// deps is what the PP_EACH_EXTENSION calls of a pure body read.
	deps []extensionDep
	// sum is the SHA-256 of Body (not of volatile bodies), computed once
	// and carried along when a reload reuses the body.
	sum [sha256.Size]byte
}

// ErrStaticRoute is returned by Render for a static route.
var ErrStaticRoute = errors.New("static routes are served from disk, not rendered")

// Render returns the body of dynamic route r for a phone that reached this
// server at address server (an IP address without port, "" when unknown).
// As in Asterisk, server becomes SERVER only when the phone's first line
// has no SERVER of its own. Templates are substituted with escalating
// functions blocked, as on Asterisk's HTTP threads, unless LiveDangerously.
func (s *Snapshot) Render(r *Route, server string) (*Rendered, error) {
	return s.render(r, Reached{Server: server}, nil)
}

// maxScratch is the largest buffer put back into scratch.
const maxScratch = 256 << 10

// render is Render; with rs (during a reload), when the snapshot being
// replaced serves the same URI with the same bytes, the body shares them,
// so that a reload allocates only for what changed and never holds two
// copies of the rest.
func (s *Snapshot) render(r *Route, at Reached, rs *reuse) (*Rendered, error) {
	if r.Phone == nil {
		return nil, ErrStaticRoute
	}
	first := r.Phone.Lines[0]
	at = s.reached(r.Phone, at)
	if c := s.cache.get(r, at); c != nil {
		if s.opts.Observer != nil {
			s.opts.Observer.CacheHit()
		}
		return c, nil
	}
	start := time.Now()
	text, err := s.texts.get(r.File.Template)
	if err != nil {
		return nil, err
	}
	if rs != nil {
		if old, sameLines := rs.reusable(r, text, at, s); old != nil {
			reused := &Rendered{Body: old.Body, Generation: s.Generation, Sensitive: old.Sensitive, HoldsSecret: old.HoldsSecret, pure: true, deps: old.deps, sum: old.sum}
			if !sameLines {
				// Only the first line is known to be the same.
				reused.HoldsSecret = holdsSecret(reused.Body, r.Phone)
			}
			return s.cache.put(r, at, reused), nil
		}
	}
	out := &Rendered{Generation: s.Generation}
	buf, _ := s.scratch.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	body, res := s.engine.AppendSubstitute((*buf)[:0], text, lineScope{vars: first.Vars, phone: r.Phone, req: &request{phone: r.Phone, at: at}},
		subst.Options{
			InhibitEscalations: !s.opts.LiveDangerously,
			OnLookup: func(name string) {
				if s.secretVars[name] {
					out.Sensitive = true
				}
			},
		})
	if res.Err != nil {
		s.opts.logger().Warn("template rendering stopped at a limit", "template", r.File.Template, "route", r.URI, "error", res.Err)
	}
	out.Volatile, out.pure = res.Volatile, res.Pure
	if out.pure {
		out.deps, out.pure = extensionDeps(res.Deps)
	}
	if !out.Volatile && rs != nil {
		if old := rs.prev.cached(r.URI, at); old != nil && bytes.Equal(old.Body, body) {
			out.Body, out.sum = old.Body, old.sum
		}
	}
	if out.Body == nil {
		out.Body = make([]byte, len(body))
		copy(out.Body, body)
		if !out.Volatile {
			out.sum = sha256.Sum256(out.Body)
		}
	}
	out.HoldsSecret = holdsSecret(out.Body, r.Phone)
	if cap(body) <= maxScratch {
		*buf = body[:0]
		s.scratch.Put(buf)
	}
	if s.opts.Observer != nil {
		s.opts.Observer.Rendered(time.Since(start), out.Volatile)
	}
	if out.Volatile {
		return out, nil
	}
	return s.cache.put(r, at, out), nil
}

// holdsSecret reports whether b contains the SECRET or PROV_PASSWORD of
// one of phone's lines.
func holdsSecret(b []byte, phone *Phone) bool {
	for _, l := range phone.Lines {
		for _, name := range [...]string{"SECRET", "PROV_PASSWORD"} {
			if v, ok := l.Vars.Find(name); ok && v != "" && bytes.Contains(b, []byte(v)) {
				return true
			}
		}
	}
	return false
}

// cached returns the body s has cached for uri and a request that reached
// at (normalised as Render does), or nil.
func (s *Snapshot) cached(uri string, at Reached) *Rendered {
	r := s.routes.byURI[uri]
	if r == nil || r.Phone == nil {
		return nil
	}
	at.Server = r.Phone.requestServer(at.Server)
	return s.cache.get(r, at)
}
