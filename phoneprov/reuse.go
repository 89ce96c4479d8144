package phoneprov

import (
	"maps"
	"slices"
)

// reuse is what a reload compares its renders with: the snapshot being
// replaced, and the comparisons that hold for every route, made once.
// Digests makes one per phone (forPhone), so that the comparison of the
// phone's lines with its predecessor's is made once for all its routes.
type reuse struct {
	prev        *Snapshot
	sameSecrets bool // prev marks the same variables secret

	phone     *Phone // the phone being digested, in the new snapshot
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
