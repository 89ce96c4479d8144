package jinja

import (
	"strings"
	"unicode"
)

// Python's str.upper(), lower(), capitalize() and title() use the full
// Unicode case mappings; Go's simple mappings agree with Python 3.11 for
// every character that maps to one character, and casing_table.go holds
// the others.

func pyUpper(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if m, ok := specialUpper[r]; ok {
			b.WriteString(m)
		} else {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

func pyLower(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range rs {
		lowerAt(&b, rs, i, r)
	}
	return b.String()
}

func lowerAt(b *strings.Builder, rs []rune, i int, r rune) {
	switch {
	case r == 0x3a3:
		b.WriteRune(finalSigma(rs, i))
	default:
		if m, ok := specialLower[r]; ok {
			b.WriteString(m)
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
	}
}

func titleRune(b *strings.Builder, r rune) {
	if m, ok := specialTitle[r]; ok {
		b.WriteString(m)
	} else {
		b.WriteRune(unicode.ToTitle(r))
	}
}

func pyCapitalize(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if i == 0 {
			titleRune(&b, r)
		} else {
			lowerAt(&b, rs, i, r)
		}
	}
	return b.String()
}

func pyTitle(s string) string {
	rs := []rune(s)
	var b strings.Builder
	prevCased := false
	for i, r := range rs {
		if prevCased {
			lowerAt(&b, rs, i, r)
		} else {
			titleRune(&b, r)
		}
		prevCased = isCased(r)
	}
	return b.String()
}

func isCased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) ||
		unicode.In(r, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

func isCaseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0xb7, 0x387, 0x55f, 0x5f4, 0x2018, 0x2019, 0x2024, 0x2027, 0xfe13, 0xfe52, 0xfe55, 0xff07, 0xff0e, 0xff1a:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// finalSigma picks σ or ς for a capital sigma at rs[i].
func finalSigma(rs []rune, i int) rune {
	j := i - 1
	for j >= 0 && isCaseIgnorable(rs[j]) {
		j--
	}
	final := j >= 0 && isCased(rs[j])
	if final && i+1 < len(rs) {
		j = i + 1
		for j < len(rs) && isCaseIgnorable(rs[j]) {
			j++
		}
		final = j == len(rs) || !isCased(rs[j])
	}
	if final {
		return 0x3c2
	}
	return 0x3c3
}
