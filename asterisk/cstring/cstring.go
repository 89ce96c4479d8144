// Package cstring holds the string primitives of Asterisk's C code that
// its behaviour depends on, implemented once: ast_true and ast_false
// (main/utils.c), ast_strip, ast_skip_blanks, ast_trim_blanks and
// ast_strip_quoted (include/asterisk/strings.h), and sscanf's "%d" as
// Asterisk's parsers use it.
package cstring

import (
	"strconv"
	"strings"
)

// True is ast_true: "yes", "true", "y", "t", "1" or "on", in any case.
// Nothing else is true; the string is not trimmed.
func True(s string) bool {
	switch strings.ToLower(s) {
	case "yes", "true", "y", "t", "1", "on":
		return true
	}
	return false
}

// False is ast_false: "no", "false", "n", "f", "0" or "off", in any case.
// A string may be neither True nor False.
func False(s string) bool {
	switch strings.ToLower(s) {
	case "no", "false", "n", "f", "0", "off":
		return true
	}
	return false
}

// IsBlank reports whether b is a byte ast_strip removes: every byte below
// 33 (space, tab, CR, LF and the other control characters).
func IsBlank(b byte) bool { return b < 33 }

// Strip is ast_strip: it removes every byte below 33 from both ends of s.
func Strip(s string) string { return TrimBlanks(SkipBlanks(s)) }

// SkipBlanks is ast_skip_blanks: it removes leading bytes below 33.
func SkipBlanks(s string) string {
	i := 0
	for i < len(s) && IsBlank(s[i]) {
		i++
	}
	return s[i:]
}

// TrimBlanks is ast_trim_blanks: it removes trailing bytes below 33.
func TrimBlanks(s string) string {
	i := len(s)
	for i > 0 && IsBlank(s[i-1]) {
		i--
	}
	return s[:i]
}

// StripQuoted is ast_strip_quoted(s, "\"", "\""): Strip, then one pair of
// surrounding double quotes removed. A lone quote strips to "".
func StripQuoted(s string) string {
	s = Strip(s)
	if s != "" && s[0] == '"' && s[len(s)-1] == '"' {
		if len(s) == 1 {
			return ""
		}
		return s[1 : len(s)-1]
	}
	return s
}

// Atoi is sscanf(s, "%d", &i) into a C int as Asterisk reads numbers:
// leading white space, an optional sign, then digits; 0 when there are
// none; a value past a C long saturates, and the result is truncated to
// 32 bits.
func Atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	end := 0
	if end < len(s) && (s[end] == '+' || s[end] == '-') {
		end++
	}
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, err := strconv.ParseInt(s[:end], 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			if s[0] == '-' {
				return int(int32(-1 << 31))
			}
			return int(int32(1<<31 - 1))
		}
		return 0
	}
	return int(int32(n))
}
