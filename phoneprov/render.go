package phoneprov

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// request is what a render knows about the phone it serves: Asterisk
// appends SERVER (the address the phone reached) to every line of the
// requesting phone unless its first line already has one
// (docs/asterisk.md#server);
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
// templates (docs/asterisk.md#pp_each_user-and-pp_each_extension). With lists
// (at request time), a PP_EACH_USER call written directly in a template
// splices the snapshot's shared list instead of rendering every entry again.
func ppFuncs(phones phoneLister, texts *textStore, keepQuotes bool, lists *userLists) []*subst.Func {
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
			if lists != nil && c.Direct() && !c.SetVars() {
				if sp := lists.splice(c, tmpl, exclude, req); sp != nil && c.Splice(sp, sp.size()) {
					return "", nil
				}
			}
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
		// phone and one template, which it declares (extensionRead).
		Pure: true,
		Read: func(c *subst.Call, args string) (string, error) {
			parts := subst.SplitArgs(args, ',', 2, true)
			mac, file := subst.Arg(parts, 0), subst.Arg(parts, 1)
			if mac == "" || file == "" {
				c.Logf("PP_EACH_EXTENSION requires both a macaddress and template filename")
				return "", nil
			}
			c.NoteRead(extensionRead{mac: mac, file: file})
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

// extensionRead is what a PP_EACH_EXTENSION call read besides its
// arguments: the lines of the phone with MAC mac (or its absence) and the
// template file.
type extensionRead struct {
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
	// at and next place the body in its route's render cache list
	// (renderCache): the body for requests that reached at, and the one
	// cached before it. Set once, before the body is shared.
	at   Reached
	next *Rendered
	// pieces are the body's bytes, flat (in one piece) or, for a body
	// that shares bytes — with its template (the long runs of text it
	// copies) or with other bodies (a PP_EACH_USER phone book) — in
	// pieces. Len, WriteTo, AppendTo, Bytes and NewReader read both.
	pieces
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
	// variables and reads give the same bytes, so a reload can reuse them.
	pure bool
	// reads is what the PP_EACH_EXTENSION calls of a pure body read.
	reads []extensionRead
	// sum stands for the bytes (not of volatile bodies), computed once and
	// carried along when a reload reuses the body: the SHA-256 of the
	// bytes, or, for a body splicing a shared list (whose bytes are never
	// put together), the polyHash sum.
	sum [sha256.Size]byte
	// pluginKey identifies what a plugin file was rendered from
	// (fileKey); zero for a template's body.
	pluginKey [sha256.Size]byte
}

// held is what the body costs the render cache: the bytes it holds alone.
func (b *Rendered) held() int {
	return len(b.data)
}

// Len returns the body's length in bytes.
func (b *Rendered) Len() int {
	if b.inPieces() {
		return b.size
	}
	return len(b.data)
}

// WriteTo writes the body to w.
func (b *Rendered) WriteTo(w io.Writer) (int64, error) {
	if !b.inPieces() {
		n, err := w.Write(b.data)
		return int64(n), err
	}
	return b.pieces.writeTo(w)
}

// Flat returns the body's bytes when it holds them in one piece, else nil
// (see AppendTo, WriteTo).
func (b *Rendered) Flat() []byte {
	if b.inPieces() {
		return nil
	}
	return b.data
}

// AppendTo appends the body's bytes to dst.
func (b *Rendered) AppendTo(dst []byte) []byte {
	if !b.inPieces() {
		return append(dst, b.data...)
	}
	return b.pieces.appendTo(dst)
}

// Bytes returns the body's bytes; for a body in pieces it copies them.
func (b *Rendered) Bytes() []byte {
	if !b.inPieces() {
		return b.data
	}
	return b.pieces.appendTo(make([]byte, 0, b.size))
}

// NewReader returns a reader of the body's bytes.
func (b *Rendered) NewReader() io.Reader {
	if !b.inPieces() {
		return bytes.NewReader(b.data)
	}
	return &piecesReader{p: &b.pieces}
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
	if r.plugin != nil {
		return s.renderPlugin(r, at, rs)
	}
	at = s.reached(r.Phone, at)
	if c := s.cache.get(r, at); c != nil {
		if s.opts.Observer != nil {
			s.opts.Observer.CacheHit()
		}
		return c, nil
	}
	first := r.Phone.Lines[0] // not before: a cache hit need not read it
	start := time.Now()
	tf, err := s.texts.file(r.File.Template)
	if err != nil {
		return nil, err
	}
	text, tmplBytes := tf.text, tf.raw
	if rs != nil {
		if old, sameLines := rs.reusable(r, text, at, s); old != nil {
			reused := &Rendered{pieces: old.pieces, Generation: s.generation, Sensitive: old.Sensitive, HoldsSecret: old.HoldsSecret, pure: true, reads: old.reads, sum: old.sum}
			if !sameLines {
				// Only the first line is known to be the same.
				reused.HoldsSecret = holdsSecret(reused.Bytes(), r.Phone)
			}
			return s.cache.put(r, at, reused), nil
		}
	}
	out := &Rendered{Generation: s.generation}
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
			Splices:  true,
			Literals: minSharedRun,
		})
	if res.Err != nil {
		s.opts.logger().Warn("template rendering stopped at a limit", "template", r.File.Template, "route", r.URI, "error", res.Err)
	}
	out.Volatile, out.pure = res.Volatile, res.Pure
	if out.pure {
		out.reads, out.pure = extensionReads(res.Reads)
	}
	if len(res.Splices) > 0 {
		out.assemble(body, res, tmplBytes, r.Phone, &s.sources, true)
	} else {
		if !out.Volatile {
			out.sum = sha256.Sum256(body)
		}
		out.HoldsSecret = holdsSecret(body, r.Phone)
		if !out.Volatile && rs != nil {
			if old := rs.prev.cached(r.URI, at); old != nil && !old.Volatile && old.sum == out.sum {
				out.pieces = old.pieces
			}
		}
		if out.data == nil {
			out.keep(body, res, tmplBytes, r.Phone, &s.sources)
		}
	}
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

// minSharedRun is the shortest run of template text a body shares with
// its template instead of copying; shorter runs cost more as pieces (8
// bytes each, and a Write per piece when served) than they save.
const minSharedRun = 64

// keep stores a render's output body in out: in pieces when long runs of
// it are the template's text (tmpl), else as one exact-size copy.
func (out *Rendered) keep(body []byte, res subst.Result, tmpl []byte, phone *Phone, sets *sourceSets) {
	shared := 0
	for _, l := range res.Literals {
		shared += l.Len
	}
	if shared < 2*minSharedRun || !out.assemble(body, res, tmpl, phone, sets, false) {
		out.data = make([]byte, len(body))
		copy(out.data, body)
	}
}

// assemble makes out's pieces from a render's output body: its own bytes,
// in which res.Literals are runs of the template's text tmpl and
// res.Splices gaps for shared lists. With hash (a body that splices a list,
// whose bytes are never put together) it also computes the sum and what
// the body holds of the phone's secrets. It reports false when the body
// cannot be kept in pieces.
func (out *Rendered) assemble(body []byte, res subst.Result, tmpl []byte, phone *Phone, sets *sourceSets, hash bool) bool {
	lits, spl := res.Literals, res.Splices
	owned := len(body)
	for _, l := range lits {
		owned -= l.Len
	}
	own := make([]byte, 0, owned)
	pos := 0
	for _, l := range lits {
		own = append(own, body[pos:l.At]...)
		pos = l.At + l.Len
	}
	own = append(own, body[pos:]...)

	// Each literal and each splice (a list with its excluded entries)
	// adds a piece and the own bytes after it; merging makes fewer.
	segs, srcs := 2*len(lits)+1, 1
	for _, sp := range spl {
		ls := sp.Value.(*listSplice)
		segs += 2 + 2*len(ls.skip)
		srcs += 2
	}
	b := newPiecesBuilder(own, segs, srcs)
	var h polyHash
	pos, ownPos := 0, 0
	toOwn := func(upto int) {
		if n := upto - pos; n > 0 {
			b.add(own, ownPos, n)
			if hash {
				h = h.extend(own[ownPos : ownPos+n])
			}
			ownPos += n
			pos = upto
		}
	}
	li, si := 0, 0
	for li < len(lits) || si < len(spl) {
		if si < len(spl) && (li == len(lits) || spl[si].At <= lits[li].At) {
			toOwn(spl[si].At)
			ls := spl[si].Value.(*listSplice)
			ls.addTo(b)
			h = h.concat(ls.hash())
			out.Sensitive = out.Sensitive || ls.list.sensitive
			// A phone book lists other phones; the phone's own secret can
			// be in it only through its own entry.
			if ls.own >= 0 {
				out.HoldsSecret = out.HoldsSecret || holdsSecret(ls.ownText, phone)
			} else if i := phone.pos; i < len(ls.list.ends) && !slices.Contains(ls.skip, i) {
				out.HoldsSecret = out.HoldsSecret || holdsSecret(ls.list.text[ls.list.start(i):ls.list.ends[i]], phone)
			}
			si++
			continue
		}
		l := lits[li]
		toOwn(l.At)
		b.add(tmpl, l.From, l.Len)
		if hash {
			h = h.extend(tmpl[l.From : l.From+l.Len])
		}
		pos = l.At + l.Len
		li++
	}
	toOwn(len(body))
	if !b.ok {
		return false
	}
	out.pieces = b.done(sets)
	if hash {
		out.sum = h.sum()
		out.HoldsSecret = out.HoldsSecret || holdsSecret(body, phone)
	}
	return true
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
