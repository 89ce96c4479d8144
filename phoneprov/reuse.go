package phoneprov

import (
	"maps"
	"slices"
)

// reuse is what a reload compares its renders with: the snapshot being
// replaced, and the comparisons that hold for every route, made once.
// Fingerprints makes one per phone (forPhone), so that the comparison of the
// phone's lines with its predecessor's is made once for all its routes.
type reuse struct {
	prev        *Snapshot
	sameSecrets bool // prev marks the same variables secret

	phone     *Phone // the phone being fingerprinted, in the new snapshot
	was       *Phone // the phone with its MAC in prev, or nil
	sameFirst bool   // phone and was have the same first-line variables
	sameLines bool   // … and the same lines
}

// newReuse returns the reuse of next's renders against prev (nil when
// there is no previous snapshot).
func newReuse(prev, next *Snapshot) *reuse {
	if prev == nil {
		return nil
	}
	return &reuse{prev: prev, sameSecrets: maps.Equal(prev.secretVars, next.secretVars)}
}

// forPhone returns a copy of rs for the routes of phone p.
func (rs *reuse) forPhone(p *Phone) *reuse {
	if rs == nil {
		return nil
	}
	c := *rs
	c.phone, c.was = p, rs.prev.byMAC[p.MAC]
	c.sameFirst, c.sameLines = false, false
	if c.was != nil {
		c.sameFirst = slices.Equal(c.was.Lines[0].Vars, p.Lines[0].Vars)
		c.sameLines = c.sameFirst && sameLines(c.was, p)
	}
	return &c
}

// reusable returns the body the previous snapshot rendered for the route
// next serves as r when rendering r again would give the same bytes: the
// render called only Pure functions, and the template text (text, in
// next), the variables of the phone's first line, the secret variables
// and what its PP_EACH_EXTENSION calls read are unchanged. Builtins,
// globals and the engine's limits are the same for every snapshot of a
// process. It returns nil otherwise, and whether all the lines of the
// two routes' phones are the same.
func (rs *reuse) reusable(r *Route, text string, at Reached, next *Snapshot) (old *Rendered, sameLines bool) {
	s := rs.prev
	pr := s.routes.byURI[r.URI]
	if pr == nil || pr.Phone == nil || !rs.sameSecrets {
		return nil, false
	}
	at.Server = pr.Phone.requestServer(at.Server)
	old = s.cache.get(pr, at)
	if old == nil || !old.pure || old.Volatile {
		return nil, false
	}
	if prevText, err := s.texts.get(pr.File.Template); err != nil || prevText != text {
		return nil, false
	}
	if !rs.sameFirstLine(pr.Phone, r.Phone) {
		return nil, false
	}
	for _, d := range old.reads {
		if !rs.sameExtension(d, next) {
			return nil, false
		}
	}
	return old, rs.samePhone(pr.Phone, r.Phone)
}

// extensionReads converts a render's Result.Reads; ok is false when one of
// them is of a kind reusable cannot check.
func extensionReads(reads []any) (out []extensionRead, ok bool) {
	if len(reads) == 0 {
		return nil, true
	}
	out = make([]extensionRead, 0, len(reads))
	for _, d := range reads {
		ed, isExt := d.(extensionRead)
		if !isExt {
			return nil, false
		}
		if !slices.Contains(out, ed) {
			out = append(out, ed)
		}
	}
	return out, true
}

// sameExtension reports whether PP_EACH_EXTENSION reads the same in next as
// in the previous snapshot for d: the same template text (or the same
// failure to read it) and a phone with that MAC in both or in neither,
// with the same lines. Reading the template through next also records it
// among next's dependencies.
func (rs *reuse) sameExtension(d extensionRead, next *Snapshot) bool {
	was, werr := rs.prev.texts.get(d.file)
	now, nerr := next.texts.get(d.file)
	if (werr == nil) != (nerr == nil) || was != now {
		return false
	}
	return rs.samePhone(rs.prev.phoneByMAC(d.mac), next.phoneByMAC(d.mac))
}

// sameFirstLine reports whether the first lines of a (in prev) and b have
// the same variables.
func (rs *reuse) sameFirstLine(a, b *Phone) bool {
	if a == rs.was && b == rs.phone && a != nil {
		return rs.sameFirst
	}
	return slices.Equal(a.Lines[0].Vars, b.Lines[0].Vars)
}

// samePhone reports whether a (in prev) and b have the same lines, or are
// both absent.
func (rs *reuse) samePhone(a, b *Phone) bool {
	switch {
	case a == nil || b == nil:
		return a == b
	case a == rs.was && b == rs.phone:
		return rs.sameLines
	}
	return sameLines(a, b)
}

func sameLines(a, b *Phone) bool {
	return slices.EqualFunc(a.Lines, b.Lines, func(x, y *Line) bool { return slices.Equal(x.Vars, y.Vars) })
}
