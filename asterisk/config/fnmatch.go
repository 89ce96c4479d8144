package config

import (
	"unicode"
	"unicode/utf8"
)

// matchName reports whether a file name matches one component of a glob
// pattern, as glibc's fnmatch does with the FNM_PERIOD flag glob passes, in
// the C.UTF-8 locale:
//
//   - '*' matches any run of characters, '?' any one character;
//   - "[...]" matches one character from a set of characters, ranges and
//     [:class:] names, negated by a leading '!' or '^'; a ']' right after
//     the '[' (or its negation) is a member; a '[' that is never closed
//     matches itself;
//   - a backslash makes the next character literal, inside sets too;
//     a trailing lone backslash matches nothing;
//   - a leading '.' in the name must be matched by a literal '.'.
//
// glibc 2.36 in C.UTF-8 reports a match when either a character-wise match
// (both strings valid UTF-8) or a byte-wise match succeeds, so "?" and "??"
// both match "é"; this does the same.
func matchName(pattern, name string) bool {
	if name != "" && name[0] == '.' && !leadingDot(pattern) {
		return false
	}
	if utf8.ValidString(pattern) && utf8.ValidString(name) && matchRunes([]rune(pattern), []rune(name)) {
		return true
	}
	return matchRunes(bytesAsRunes(pattern), bytesAsRunes(name))
}

// leadingDot reports whether pattern starts with a literal '.'.
func leadingDot(pattern string) bool {
	return pattern != "" && (pattern[0] == '.' || (pattern[0] == '\\' && len(pattern) > 1 && pattern[1] == '.'))
}

// bytesAsRunes returns one rune per byte of s.
func bytesAsRunes(s string) []rune {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return r
}

// matchRunes matches name against pattern. On a mismatch it resumes after
// the most recent '*', letting that star absorb one more character; this
// needs no recursion and takes at most len(pattern)*len(name) steps.
func matchRunes(pattern, name []rune) bool {
	p, n := 0, 0
	starP, starN := -1, -1
	for p < len(pattern) || n < len(name) {
		if p < len(pattern) {
			if step, ok := matchOne(pattern[p:], name[n:]); ok {
				if step == 0 { // '*'
					starP, starN = p, n
					p++
					continue
				}
				p += step
				n++
				continue
			}
		}
		if starP >= 0 && starN < len(name) {
			starN++
			p, n = starP+1, starN
			continue
		}
		return false
	}
	return true
}

// matchOne matches the pattern element at the start of pattern against the
// first character of name. It returns the element's length, or 0 with ok
// for a '*' (which the caller handles).
func matchOne(pattern, name []rune) (step int, ok bool) {
	switch c := pattern[0]; c {
	case '*':
		return 0, true
	case '?':
		return 1, len(name) > 0
	case '[':
		if width, matched, valid := matchSet(pattern, name); valid {
			return width, matched
		}
		return 1, len(name) > 0 && name[0] == '['
	case '\\':
		if len(pattern) > 1 {
			return 2, len(name) > 0 && name[0] == pattern[1]
		}
		return 1, false
	default:
		return 1, len(name) > 0 && name[0] == c
	}
}

// matchSet matches a "[...]" set at the start of pattern against the first
// character of name. valid is false when the set is never closed.
func matchSet(pattern, name []rune) (width int, matched, valid bool) {
	i := 1
	negate := i < len(pattern) && (pattern[i] == '!' || pattern[i] == '^')
	if negate {
		i++
	}
	var c rune = -1
	if len(name) > 0 {
		c = name[0]
	}
	member, badClass := false, false
	for first := true; ; first = false {
		if i >= len(pattern) {
			return 0, false, false
		}
		if pattern[i] == ']' && !first {
			i++
			break
		}
		if pattern[i] == '[' && i+1 < len(pattern) && pattern[i+1] == ':' {
			if end := classEnd(pattern, i+2); end >= 0 {
				in, known := inClass(string(pattern[i+2:end]), c)
				member = member || in
				badClass = badClass || !known
				i = end + 2
				continue
			}
		}
		lo := pattern[i]
		if lo == '\\' && i+1 < len(pattern) {
			i++
			lo = pattern[i]
		}
		i++
		hi := lo
		if i+1 < len(pattern) && pattern[i] == '-' && pattern[i+1] != ']' {
			i++
			if pattern[i] == '\\' && i+1 < len(pattern) {
				i++
			}
			hi = pattern[i]
			i++
		}
		if lo <= c && c <= hi {
			member = true
		}
	}
	if c < 0 || badClass {
		return i, false, true // an unknown class name makes fnmatch fail
	}
	return i, member != negate, true
}

// classEnd returns the index of the ":]" closing a class name that starts
// at i, or -1.
func classEnd(pattern []rune, i int) int {
	for ; i+1 < len(pattern); i++ {
		if pattern[i] == ':' && pattern[i+1] == ']' {
			return i
		}
		if pattern[i] == ']' {
			return -1
		}
	}
	return -1
}

// inClass reports whether c belongs to the named character class.
func inClass(class string, c rune) (in, known bool) {
	var f func(rune) bool
	switch class {
	case "alpha":
		f = unicode.IsLetter
	case "digit":
		f = func(r rune) bool { return '0' <= r && r <= '9' }
	case "alnum":
		f = func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	case "upper":
		f = unicode.IsUpper
	case "lower":
		f = unicode.IsLower
	case "space":
		f = unicode.IsSpace
	case "blank":
		f = func(r rune) bool { return r == ' ' || r == '\t' }
	case "punct":
		f = unicode.IsPunct
	case "print":
		f = unicode.IsPrint
	case "graph":
		f = func(r rune) bool { return unicode.IsGraphic(r) && !unicode.IsSpace(r) }
	case "cntrl":
		f = unicode.IsControl
	case "xdigit":
		f = func(r rune) bool {
			return '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'
		}
	default:
		return false, false
	}
	return c >= 0 && f(c), true
}
