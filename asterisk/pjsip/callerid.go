package pjsip

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// SplitCallerID splits a caller ID such as `"Joe" <6000>` into its name and
// number as Asterisk's ast_callerid_split does (main/callerid.c,
// ast_callerid_parse): blanks are trimmed and one pair of surrounding
// quotes removed; with a '<' the number is what follows the last '<' (up to
// the last '>'), the name what precedes it, unquoted; without one, an
// unquoted text made only of phone-number characters is the number and
// anything else the name. The number is shrunk (ast_shrink_phone_number).
// Both are cut to 79 bytes, the size of the endpoint's buffers.
func SplitCallerID(s string) (name, number string) {
	in := trimBlanks(s)
	instr := stripQuoted(in)
	quoted := len(instr) != len(in)
	if i := strings.LastIndexByte(instr, '<'); i >= 0 {
		loc := instr[i+1:]
		if j := strings.LastIndexByte(loc, '>'); j >= 0 {
			loc = loc[:j]
		}
		number = shrinkPhoneNumber(loc)
		name = subst.Unescape(stripQuoted(instr[:i]))
	} else {
		tmp := shrinkPhoneNumber(cut(instr, 255))
		if !quoted && isPhoneNumber(tmp) {
			number = shrinkPhoneNumber(tmp)
		} else {
			name = subst.Unescape(stripQuoted(instr))
		}
	}
	return cut(name, 79), cut(number, 79)
}

// stripQuoted is ast_strip_quoted(s, "\"", "\""): blanks are trimmed, and
// a leading and a trailing double quote are removed together.
func stripQuoted(s string) string {
	s = trimBlanks(s)
	if len(s) > 0 && s[0] == '"' && s[len(s)-1] == '"' {
		if len(s) == 1 {
			return ""
		}
		return s[1 : len(s)-1]
	}
	return s
}

// shrinkPhoneNumber is ast_shrink_phone_number: parentheses and spaces go,
// '-' stays only inside [ ], '.' only as the last character.
func shrinkPhoneNumber(s string) string {
	var b strings.Builder
	bracketed := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '[':
			bracketed++
			b.WriteByte(c)
		case ']':
			bracketed--
			b.WriteByte(c)
		case '-':
			if bracketed != 0 {
				b.WriteByte(c)
			}
		case '.':
			if i == len(s)-1 {
				b.WriteByte(c)
			}
		case '(', ' ', ')':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isPhoneNumber is ast_isphonenumber: non-empty, only 0-9 * # +.
func isPhoneNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte("0123456789*#+", s[i]) < 0 {
			return false
		}
	}
	return true
}

func trimBlanks(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] < 33 {
		i++
	}
	for j > i && s[j-1] < 33 {
		j--
	}
	return s[i:j]
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
