package funcs

import "strings"

// The helpers in this file reproduce the C library and Asterisk string
// primitives the dialplan functions are written with, in the C locale:
// what counts as white space, how ast_strip trims, how strcasecmp folds.

// cString returns s up to its first NUL byte: the C string a function
// written in C would see.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// isSpace is isspace in the C locale.
func isSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// isDigit is isdigit.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isHexDigit is isxdigit.
func isHexDigit(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// hexValue is the value of the hexadecimal digit c.
func hexValue(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

// toLower and toUpper are tolower and toupper in the C locale: only ASCII
// letters change.
func toLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func toUpper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// equalFold is strcasecmp(a, b) == 0 in the C locale.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if toLower(a[i]) != toLower(b[i]) {
			return false
		}
	}
	return true
}

// hasPrefixFold is strncasecmp(prefix, s, len(prefix)) == 0.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFold(s[:len(prefix)], prefix)
}

// sepCursor walks a string the way repeated strsep(3) calls do.
type sepCursor struct {
	rest string
	done bool
}

// next returns the text up to the first byte that is in delims and moves
// past that byte. The last token is the rest of the string; after it, next
// reports false (strsep's NULL). An empty delims never splits.
func (p *sepCursor) next(delims string) (string, bool) {
	if p.done {
		return "", false
	}
	if i := indexAnyByte(p.rest, delims); i >= 0 {
		tok := p.rest[:i]
		p.rest = p.rest[i+1:]
		return tok, true
	}
	p.done = true
	return p.rest, true
}

// indexAnyByte is the index of the first byte of s that is in set, or -1:
// strcspn over bytes (strings.IndexAny works on UTF-8 characters instead).
func indexAnyByte(s, set string) int {
	if len(set) == 1 {
		return strings.IndexByte(s, set[0])
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) >= 0 {
			return i
		}
	}
	return -1
}
