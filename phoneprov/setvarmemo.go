package phoneprov

import (
	"slices"
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// A setvar is substituted once per line: ten thousand users make ten
// thousand renders of each, although most lines give a setvar the same
// inputs (the time-zone helpers of the shipped profiles read only the
// zone's variables). A render that calls only Pure functions and declares
// no dependencies is a function of the values of the variables it looked
// up, found or not — the same values give the same lookups in the same
// order and the same text — so setvarMemo keeps each result under those
// values and substitutes again only for inputs it has not seen.

// setvarMemo holds, per setvar, its results by the names it read.
type setvarMemo struct {
	bySetvar map[*subst.Var][]*memoShape
	// stats counts each setvar's hits and misses; a setvar whose inputs
	// differ per line (a user's name escaped for XML) is not kept.
	stats map[*subst.Var]*memoStats
	// impure records a setvar whose value depended on something besides
	// the variables (a file, the clock, the environment).
	impure bool
}

// memoShape is one set of names a setvar's render read (an IF may read
// different names for different inputs), with its results by their
// values.
type memoShape struct {
	names   []string
	results map[string]string
}

// maxMemoShapes bounds the shapes kept per setvar.
const maxMemoShapes = 8

// memoStats are a setvar's hits and misses, and whether it is still kept.
type memoStats struct {
	hits, misses int
	off          bool
}

// memoTrial is how many misses a setvar may have before it is judged:
// kept only when at least one lookup in eight hit.
const memoTrial = 256

// substitute returns sv's value for a line with variables vars, and
// whether it was computed from a secret-bearing variable.
func (m *setvarMemo) substitute(ps *phoneSet, sv *subst.Var, vars subst.Vars) (string, bool) {
	if m.stats == nil {
		m.stats = make(map[*subst.Var]*memoStats)
	}
	st := m.stats[sv]
	if st == nil {
		st = new(memoStats)
		m.stats[sv] = st
	}
	shapes := m.bySetvar[sv]
	if !st.off {
		for _, sh := range shapes {
			if v, ok := sh.results[memoKey(sh.names, vars)]; ok {
				st.hits++
				return v, ps.anySecret(sh.names)
			}
		}
		if st.misses++; st.misses >= memoTrial && st.hits*8 < st.misses {
			st.off = true
			delete(m.bySetvar, sv)
			shapes = nil
		}
	}
	var names []string
	res := ps.loadEngine.Substitute(sv.Value, vars, subst.Options{OnLookup: func(name string) {
		names = append(names, name)
	}})
	secret := ps.anySecret(names)
	if !res.Pure || len(res.Reads) > 0 || res.Err != nil {
		m.impure = m.impure || !res.Pure || len(res.Reads) > 0
		return res.Text, secret
	}
	if st.off {
		return res.Text, secret
	}
	names = uniq(names)
	if m.bySetvar == nil {
		m.bySetvar = make(map[*subst.Var][]*memoShape)
	}
	var sh *memoShape
	for _, s := range shapes {
		if slices.Equal(s.names, names) {
			sh = s
			break
		}
	}
	if sh == nil {
		if len(shapes) >= maxMemoShapes {
			return res.Text, secret
		}
		sh = &memoShape{names: names, results: make(map[string]string)}
		m.bySetvar[sv] = append(shapes, sh)
	}
	sh.results[memoKey(names, vars)] = res.Text
	return res.Text, secret
}

// anySecret reports whether one of names carries a secret.
func (ps *phoneSet) anySecret(names []string) bool {
	for _, n := range names {
		if ps.secretVars[n] {
			return true
		}
	}
	return false
}

// memoKey encodes the values of names in vars, telling a missing variable
// from an empty one.
func memoKey(names []string, vars subst.Vars) string {
	var b strings.Builder
	for _, n := range names {
		v, ok := vars.Lookup(n)
		if !ok {
			b.WriteByte('-')
			continue
		}
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	}
	return b.String()
}

// uniq returns names without repeats, in first-seen order.
func uniq(names []string) []string {
	out := make([]string, 0, len(names))
	for i, n := range names {
		if !slices.Contains(names[:i], n) {
			out = append(out, n)
		}
	}
	return out
}
