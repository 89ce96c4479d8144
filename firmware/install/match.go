package install

import (
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode/utf8"
)

// The matching rules of Python's fnmatch.fnmatchcase and glob.glob, which
// xivo-fetchfw's recipes are written for: "*" any run of characters
// (including "/" for fnmatch), "?" one character, "[...]" a set with
// ranges and "!" for negation, an unclosed "[" a literal; no backslash
// escapes. glob applies them per path element and skips names starting
// with "." unless the pattern element does too.

// token is one element of a compiled pattern.
type token struct {
	op     byte // '*', '?', '[' or 0 for a literal
	r      rune
	negate bool
	ranges [][2]rune
}

// compile turns a pattern into tokens with Python's fnmatch.translate
// rules.
func compile(pat string) []token {
	p := runes(pat)
	var out []token
	for i := 0; i < len(p); {
		c := p[i]
		i++
		switch c {
		case '*':
			if len(out) == 0 || out[len(out)-1].op != '*' {
				out = append(out, token{op: '*'})
			}
		case '?':
			out = append(out, token{op: '?'})
		case '[':
			j := i
			if j < len(p) && p[j] == '!' {
				j++
			}
			if j < len(p) && p[j] == ']' {
				j++
			}
			for j < len(p) && p[j] != ']' {
				j++
			}
			if j >= len(p) {
				out = append(out, token{r: '['})
				continue
			}
			out = append(out, set(p, i, j))
			i = j + 1
		default:
			out = append(out, token{r: c})
		}
	}
	return out
}

// set builds the class p[i:j] as Python 3 does: the set is cut at each
// "-" (not the first character) into chunks, an empty range (lo > hi)
// merges its two chunks, and a "-" between two chunks makes a range of
// their facing characters.
func set(p []rune, i, j int) token {
	var chunks [][]rune
	k := i + 1
	if p[i] == '!' {
		k = i + 2
	}
	for {
		k = indexRune(p, '-', k, j)
		if k < 0 {
			break
		}
		chunks = append(chunks, p[i:k])
		i = k + 1
		k = k + 3
	}
	if i < j {
		chunks = append(chunks, p[i:j])
	} else if len(chunks) > 0 {
		chunks[len(chunks)-1] = append(append([]rune{}, chunks[len(chunks)-1]...), '-')
	} else {
		chunks = append(chunks, nil)
	}
	for k := len(chunks) - 1; k > 0; k-- {
		a, b := chunks[k-1], chunks[k]
		if len(a) > 0 && len(b) > 0 && a[len(a)-1] > b[0] {
			merged := append(append([]rune{}, a[:len(a)-1]...), b[1:]...)
			chunks[k-1] = merged
			chunks = append(chunks[:k], chunks[k+1:]...)
		}
	}
	t := token{op: '['}
	// Literal characters, with a range marker (-1) between chunks.
	var seq []rune
	for n, c := range chunks {
		if n > 0 {
			seq = append(seq, -1)
		}
		seq = append(seq, c...)
	}
	if len(seq) == 0 {
		return token{op: '[', negate: false} // matches nothing
	}
	if len(seq) == 1 && seq[0] == '!' {
		return token{op: '?'} // "[!]" matches any character
	}
	if seq[0] == '!' {
		t.negate = true
		seq = seq[1:]
	}
	for n := 0; n < len(seq); n++ {
		c := seq[n]
		if c == -1 {
			c = '-' // not the middle of a range: a literal "-", as re reads it
		}
		if seq[n] != -1 && n+2 < len(seq) && seq[n+1] == -1 && seq[n+2] != -1 {
			t.ranges = append(t.ranges, [2]rune{c, seq[n+2]})
			n += 2
			continue
		}
		t.ranges = append(t.ranges, [2]rune{c, c})
	}
	return t
}

func indexRune(p []rune, r rune, from, to int) int {
	for k := from; k < to; k++ {
		if p[k] == r {
			return k
		}
	}
	return -1
}

// runes decodes s, each byte of invalid UTF-8 becoming its own character
// (as Python's surrogateescape does).
func runes(s string) []rune {
	out := make([]rune, 0, len(s))
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && n == 1 {
			r = 0xdc00 + rune(s[0])
		}
		out = append(out, r)
		s = s[n:]
	}
	return out
}

func (t token) matches(r rune) bool {
	switch t.op {
	case '?':
		return true
	case '[':
		in := false
		for _, rg := range t.ranges {
			if r >= rg[0] && r <= rg[1] {
				in = true
				break
			}
		}
		return in != t.negate
	}
	return r == t.r
}

// fnmatch reports whether name matches pat as Python's
// fnmatch.fnmatchcase does.
func fnmatch(name, pat string) bool {
	return matchTokens(runes(name), compile(pat))
}

func matchTokens(s []rune, p []token) bool {
	// Iterative matching with backtracking to the last "*".
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi].op == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi].matches(s[si]):
			si++
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi].op == '*' {
		pi++
	}
	return pi == len(p)
}

// hasMagic is glob's test for a pattern element.
func hasMagic(s string) bool { return strings.ContainsAny(s, "*?[") }

// glob returns the paths of fsys matching pattern, element by element, as
// Python's glob.glob does relative to a directory, sorted. The pattern is
// normalized first (xivo-fetchfw runs os.path.normpath on it).
func glob(fsys fs.FS, pattern string) []string {
	elems := strings.Split(path.Clean(pattern), "/")
	cands := []string{"."}
	for n, e := range elems {
		last := n == len(elems)-1
		var next []string
		for _, dir := range cands {
			if !hasMagic(e) {
				p := path.Join(dir, e)
				fi, err := fs.Stat(fsys, p)
				if err == nil && (last || fi.IsDir()) {
					next = append(next, p)
				}
				continue
			}
			entries, err := fs.ReadDir(fsys, dir)
			if err != nil {
				continue
			}
			for _, de := range entries {
				name := de.Name()
				if strings.HasPrefix(name, ".") && !strings.HasPrefix(e, ".") {
					continue
				}
				if !fnmatch(name, e) || (!last && !de.IsDir()) {
					continue
				}
				next = append(next, path.Join(dir, name))
			}
		}
		cands = next
	}
	sort.Strings(cands)
	return cands
}
