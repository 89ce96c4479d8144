package phoneprov

import (
	"errors"
	"strings"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// request is what a render knows about the phone it serves: Asterisk
// appends SERVER (the address the phone reached) to every line of the
// requesting phone unless its first line already has one (SPEC §1.6).
type request struct {
	phone  *Phone
	server string // "" when the phone's SERVER is configured
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
	if name == "SERVER" && l.req != nil && l.req.server != "" && l.req.phone == l.phone {
		return l.req.server, true
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
		Read: func(c *subst.Call, args string) (string, error) {
			parts := subst.SplitArgs(args, ',', 2, true)
			mac, file := subst.Arg(parts, 0), subst.Arg(parts, 1)
			if mac == "" || file == "" {
				c.Logf("PP_EACH_EXTENSION requires both a macaddress and template filename")
				return "", nil
			}
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
}

// ErrStaticRoute is returned by Render for a static route.
var ErrStaticRoute = errors.New("static routes are served from disk, not rendered")

// Render returns the body of dynamic route r for a phone that reached this
// server at address server (an IP address without port, "" when unknown).
// As in Asterisk, server becomes SERVER only when the phone's first line
// has no SERVER of its own. Templates are substituted with escalating
// functions blocked, as on Asterisk's HTTP threads, unless LiveDangerously.
func (s *Snapshot) Render(r *Route, server string) (*Rendered, error) {
	if r.Phone == nil {
		return nil, ErrStaticRoute
	}
	first := r.Phone.Lines[0]
	if first.Vars.Has("SERVER") {
		server = ""
	}
	if c := s.cache.get(r, server); c != nil {
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
	out := &Rendered{Generation: s.Generation}
	body, res := s.engine.SubstituteBytes(text, lineScope{vars: first.Vars, phone: r.Phone, req: &request{phone: r.Phone, server: server}},
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
	out.Body = body
	out.Volatile = res.Volatile
	if s.opts.Observer != nil {
		s.opts.Observer.Rendered(time.Since(start), out.Volatile)
	}
	if out.Volatile {
		return out, nil
	}
	return s.cache.put(r, server, out), nil
}
