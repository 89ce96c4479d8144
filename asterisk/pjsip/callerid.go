package pjsip

import (
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
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
	in := cstring.Strip(s)
	instr := cstring.StripQuoted(in)
	quoted := len(instr) != len(in)
	if i := strings.LastIndexByte(instr, '<'); i >= 0 {
		loc := instr[i+1:]
		if j := strings.LastIndexByte(loc, '>'); j >= 0 {
			loc = loc[:j]
		}
		number = shrinkPhoneNumber(loc)
		name = subst.Unescape(cstring.StripQuoted(instr[:i]))
	} else {
		tmp := shrinkPhoneNumber(cut(instr, 255))
		if !quoted && isPhoneNumber(tmp) {
			number = shrinkPhoneNumber(tmp)
		} else {
			name = subst.Unescape(cstring.StripQuoted(instr))
		}
	}
	return cut(name, 79), cut(number, 79)
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

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
