package phoneprov

import (
	"slices"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// An edit of one user's name in a users.conf of ten thousand is a full
// load: every file is parsed again and every line built. Building a line
// is cheap until its setvars — the shipped profiles have sixty, most of
// them expressions — which took most of a load. When every setvar of the
// snapshot being served was pure (setvarMemo), a setvar's value depends
// only on the line's variables before it; so a line whose variables up to
// its setvars are those of a line of the same phone in that snapshot, in
// a profile with the same setvars, gets that line's setvars without
// substituting them again.

// linesReusable returns prev when a load with opts may take lines over
// from it, else nil.
func linesReusable(prev *Snapshot, opts *Options) *Snapshot {
	if prev == nil || !prev.inputs.pure || prev.inputs.key != opts.key() {
		return nil
	}
	return prev
}

// reuseLine returns the line of phone mac in the previous snapshot whose
// variables before its setvars are line's, when its profile had profile's
// setvars; nil otherwise.
func (ps *phoneSet) reuseLine(mac string, line *Line, profile *Profile) *Line {
	if ps.prev == nil {
		return nil
	}
	was := ps.prev.byMAC[mac]
	if was == nil || was.Profile.Name != profile.Name || !slices.Equal(was.Profile.Setvars, profile.Setvars) {
		return nil
	}
	n := len(line.Vars)
	for _, old := range was.Lines {
		if len(old.Vars) >= n && slices.Equal(old.Vars[:n], line.Vars) && setvarsOnly(old.Vars[n:], profile.Setvars) {
			return old
		}
	}
	return nil
}

// setvarsOnly reports whether vars are all named after setvars, in order
// (a line's setvars, some skipped where the line had the variable).
func setvarsOnly(vars, setvars subst.Vars) bool {
	i := 0
	for _, v := range vars {
		for i < len(setvars) && setvars[i].Name != v.Name {
			i++
		}
		if i == len(setvars) {
			return false
		}
		i++
	}
	return true
}
