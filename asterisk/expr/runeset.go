package expr

import (
	"sort"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// runeSet is a set of code points kept as sorted, disjoint intervals. It
// builds the character classes of translated regular expressions.
type runeSet struct {
	ranges [][2]rune
}

// add adds the interval [lo, hi].
func (s *runeSet) add(lo, hi rune) {
	if lo <= hi {
		s.ranges = append(s.ranges, [2]rune{lo, hi})
	}
}

// addTable adds the code points of t that are at least min.
func (s *runeSet) addTable(t *unicode.RangeTable, min rune) {
	for _, r := range t.R16 {
		s.addStride(rune(r.Lo), rune(r.Hi), rune(r.Stride), min)
	}
	for _, r := range t.R32 {
		s.addStride(rune(r.Lo), rune(r.Hi), rune(r.Stride), min)
	}
}

// addStride adds lo, lo+stride, … up to hi, skipping those below min.
func (s *runeSet) addStride(lo, hi, stride, min rune) {
	if stride == 1 {
		s.add(max(lo, min), hi)
		return
	}
	for r := lo; r <= hi; r += stride {
		if r >= min {
			s.add(r, r)
		}
	}
}

// addSet adds every code point of o.
func (s *runeSet) addSet(o runeSet) {
	s.ranges = append(s.ranges, o.ranges...)
}

// normalize sorts and merges the intervals.
func (s *runeSet) normalize() {
	sort.Slice(s.ranges, func(i, j int) bool { return s.ranges[i][0] < s.ranges[j][0] })
	out := s.ranges[:0]
	for _, r := range s.ranges {
		if n := len(out); n > 0 && r[0] <= out[n-1][1]+1 {
			out[n-1][1] = max(out[n-1][1], r[1])
			continue
		}
		out = append(out, r)
	}
	s.ranges = out
}

// subtract removes the code points of o (both normalized).
func (s *runeSet) subtract(o runeSet) {
	var out [][2]rune
	j := 0
	for _, r := range s.ranges {
		lo := r[0]
		for j < len(o.ranges) && o.ranges[j][1] < lo {
			j++
		}
		for k := j; k < len(o.ranges) && o.ranges[k][0] <= r[1]; k++ {
			if o.ranges[k][0] > lo {
				out = append(out, [2]rune{lo, o.ranges[k][0] - 1})
			}
			lo = o.ranges[k][1] + 1
		}
		if lo <= r[1] {
			out = append(out, [2]rune{lo, r[1]})
		}
	}
	s.ranges = out
}

// goClass writes the set as a Go regexp character class. In bytes mode
// the stand-ins for invalid bytes never match it.
func (s *runeSet) goClass(negate, bytesMode bool) string {
	if bytesMode {
		var stand runeSet
		stand.add(byteRuneLo, byteRuneHi)
		if negate {
			s.addSet(stand)
		} else {
			s.normalize()
			s.subtract(stand)
		}
	}
	s.normalize()
	if len(s.ranges) == 0 {
		// An empty set: negated it matches everything, else nothing.
		if negate {
			return `(?s:.)`
		}
		return `[^\x00-\x{10FFFF}]`
	}
	b := make([]byte, 0, 2+8*len(s.ranges))
	b = append(b, '[')
	if negate {
		b = append(b, '^')
	}
	for _, r := range s.ranges {
		b = appendClassRune(b, r[0])
		if r[1] != r[0] {
			b = append(b, '-')
			b = appendClassRune(b, r[1])
		}
	}
	return string(append(b, ']'))
}

// appendClassRune appends r as it may appear inside a Go character
// class: escaped when special there, as UTF-8 otherwise.
func appendClassRune(b []byte, r rune) []byte {
	switch {
	case r == '\\' || r == ']' || r == '[' || r == '-' || r == '^':
		return append(b, '\\', byte(r))
	case r < ' ' || r == 0x7f || !utf8.ValidRune(r):
		b = append(b, `\x{`...)
		b = strconv.AppendInt(b, int64(r), 16)
		return append(b, '}')
	}
	return utf8.AppendRune(b, r)
}

// posixClass returns the members of a [:name:] class in the C.UTF-8
// locale. ASCII follows the C locale exactly; beyond ASCII the classes
// are approximated with Go's Unicode tables, which agree with glibc's
// except for code points the two Unicode versions classify differently.
func posixClass(name string) (runeSet, bool) {
	var s runeSet
	switch name {
	case "alpha":
		addAlpha(&s)
	case "digit":
		s.add('0', '9')
	case "alnum":
		addAlpha(&s)
		s.add('0', '9')
	case "upper":
		s.add('A', 'Z')
		for _, t := range []*unicode.RangeTable{unicode.Lu, unicode.Lt, unicode.Other_Uppercase} {
			s.addTable(t, 0x80)
		}
	case "lower":
		s.add('a', 'z')
		s.addTable(unicode.Ll, 0x80)
		s.addTable(unicode.Other_Lowercase, 0x80)
		for _, r := range []rune{0x1c5, 0x1c8, 0x1cb, 0x1f2} {
			s.add(r, r)
		}
	case "xdigit":
		s.add('0', '9')
		s.add('A', 'F')
		s.add('a', 'f')
	case "space":
		addBlankExtras(&s)
		s.add('\t', '\r')
		s.add(0x2028, 0x2029)
	case "blank":
		addBlankExtras(&s)
		s.add('\t', '\t')
	case "cntrl":
		s.add(0, 0x1f)
		s.add(0x7f, 0x9f)
		s.add(0x2028, 0x2029)
	case "print":
		addPrint(&s)
	case "graph":
		addPrint(&s)
		s.normalize()
		sp, _ := posixClass("space")
		sp.normalize()
		s.subtract(sp)
	case "punct":
		addPrint(&s)
		s.normalize()
		var not runeSet
		addAlpha(&not)
		not.add('0', '9')
		nsp, _ := posixClass("space")
		not.addSet(nsp)
		not.normalize()
		s.subtract(not)
	default:
		return s, false
	}
	return s, true
}

// addAlpha adds the letters: ASCII ones, then Unicode letters, letter
// numbers, other alphabetic marks and (as glibc does) non-ASCII digits.
func addAlpha(s *runeSet) {
	s.add('A', 'Z')
	s.add('a', 'z')
	for _, t := range []*unicode.RangeTable{unicode.L, unicode.Nl, unicode.Other_Alphabetic, unicode.Nd} {
		s.addTable(t, 0x80)
	}
}

// addBlankExtras adds the space character and the Unicode spaces glibc
// counts as blank (not the no-break ones).
func addBlankExtras(s *runeSet) {
	s.add(' ', ' ')
	s.add(0x1680, 0x1680)
	s.add(0x2000, 0x2006)
	s.add(0x2008, 0x200a)
	s.add(0x205f, 0x205f)
	s.add(0x3000, 0x3000)
}

// addPrint adds the printable characters: ASCII 0x20-0x7e and assigned
// non-control code points from 0xa0 up.
func addPrint(s *runeSet) {
	s.add(0x20, 0x7e)
	for _, t := range []*unicode.RangeTable{unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs, unicode.Cf, unicode.Co} {
		s.addTable(t, 0xa0)
	}
}
