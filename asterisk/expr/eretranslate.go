package expr

import (
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// ereTokKind classifies ERE tokens as glibc's peek_token does.
type ereTokKind uint8

const (
	ereEnd         ereTokKind = iota
	ereChar                   // a literal character (the whole UTF-8 sequence)
	ereAlt                    // |
	ereStar                   // *
	erePlus                   // +
	ereQuestion               // ?
	ereOpenBrace              // {
	ereCloseBrace             // }
	ereOpenParen              // (
	ereCloseParen             // )
	ereBracket                // [
	erePeriod                 // .
	ereAnchor                 // ^ $ \b \B \` \' (goText holds the Go form)
	ereWordAnchor             // \< \>
	ereBackRef                // \1 … \9
	ereClassEscape            // \w \W \s \S
	ereTrailingBackslash
)

type ereToken struct {
	kind ereTokKind
	r    rune   // the character for ereChar; the letter for escapes
	c    byte   // the byte glibc compares against ',' in intervals
	text string // Go syntax for anchors
}

// ereTranslator parses an ERE and writes it in Go syntax.
type ereTranslator struct {
	src string
	pos int
	tok ereToken
	// bytesMode keeps invalid UTF-8 bytes apart (see byteRuneBase):
	// '.' and negated classes must not match them.
	bytesMode bool
	// classes caches the [:name:] sets and the \w \W \s \S classes
	// of this pattern, which are large.
	classes map[string]runeSet
	escapes map[rune]string
	// groups counts the groups opened so far (re_nsub).
	groups int
}

// Invalid UTF-8 bytes are not characters for glibc: '.' and classes do
// not match them, but a literal byte in the pattern matches the same byte.
// In bytes mode each such byte b, in pattern and subject alike, stands in
// as the private-use code point byteRuneBase+b.
const (
	byteRuneBase = 0x10ff00
	byteRuneLo   = byteRuneBase + 0x80
	byteRuneHi   = byteRuneBase + 0xff
)

// decodeERE decodes the character at the start of s; an invalid byte
// becomes its stand-in code point and reports invalid.
func decodeERE(s string) (r rune, n int, invalid bool) {
	r, n = utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && n == 1 {
		return byteRuneBase + rune(s[0]), 1, true
	}
	return r, n, false
}

// mapInvalidBytes returns s with each invalid UTF-8 byte replaced by its
// stand-in code point, and the offset in s of every byte offset of the
// result (plus one past the end).
func mapInvalidBytes(s string) (string, []int) {
	var b []byte
	offsets := make([]int, 0, len(s)+1)
	for i := 0; i < len(s); {
		r, n, invalid := decodeERE(s[i:])
		if !invalid {
			b = append(b, s[i:i+n]...)
			for k := 0; k < n; k++ {
				offsets = append(offsets, i)
			}
			i += n
			continue
		}
		start := len(b)
		b = utf8.AppendRune(b, r)
		for k := start; k < len(b); k++ {
			offsets = append(offsets, i)
		}
		i++
	}
	offsets = append(offsets, len(s))
	return string(b), offsets
}

// next reads the token at pos into t.tok and advances past it.
func (t *ereTranslator) next() {
	if t.pos >= len(t.src) {
		t.tok = ereToken{kind: ereEnd}
		return
	}
	c := t.src[t.pos]
	if c == '\\' {
		if t.pos+1 >= len(t.src) {
			t.pos++
			t.tok = ereToken{kind: ereTrailingBackslash}
			return
		}
		r, n, _ := decodeERE(t.src[t.pos+1:])
		t.pos += 1 + n
		t.tok = ereToken{kind: ereChar, r: r, c: t.src[t.pos-n]}
		switch r {
		case '1', '2', '3', '4', '5', '6', '7', '8', '9':
			t.tok.kind = ereBackRef
		case '<', '>':
			t.tok.kind = ereWordAnchor
		case 'b':
			t.tok.kind, t.tok.text = ereAnchor, `\b`
		case 'B':
			t.tok.kind, t.tok.text = ereAnchor, `\B`
		case '`':
			t.tok.kind, t.tok.text = ereAnchor, `\A`
		case '\'':
			t.tok.kind, t.tok.text = ereAnchor, `\z`
		case 'w', 'W', 's', 'S':
			t.tok.kind = ereClassEscape
		}
		return
	}
	r, n, _ := decodeERE(t.src[t.pos:])
	t.pos += n
	t.tok = ereToken{kind: ereChar, r: r, c: c}
	switch c {
	case '|':
		t.tok.kind = ereAlt
	case '*':
		t.tok.kind = ereStar
	case '+':
		t.tok.kind = erePlus
	case '?':
		t.tok.kind = ereQuestion
	case '{':
		t.tok.kind = ereOpenBrace
	case '}':
		t.tok.kind = ereCloseBrace
	case '(':
		t.tok.kind = ereOpenParen
	case ')':
		t.tok.kind = ereCloseParen
	case '[':
		t.tok.kind = ereBracket
	case '.':
		t.tok.kind = erePeriod
	case '^':
		t.tok.kind, t.tok.text = ereAnchor, `^`
	case '$':
		t.tok.kind, t.tok.text = ereAnchor, `$`
	}
}

// regExp parses branches separated by '|' (parse_reg_exp).
func (t *ereTranslator) regExp(nest int) (string, error) {
	out, err := t.branch(nest)
	if err != nil {
		return "", err
	}
	for t.tok.kind == ereAlt {
		t.next()
		var alt string
		if t.tok.kind != ereAlt && t.tok.kind != ereEnd && (nest == 0 || t.tok.kind != ereCloseParen) {
			if alt, err = t.branch(nest); err != nil {
				return "", err
			}
		}
		out += "|" + alt
	}
	return out, nil
}

// branch parses a concatenation (parse_branch).
func (t *ereTranslator) branch(nest int) (string, error) {
	out := ""
	for {
		e, err := t.expression(nest)
		if err != nil {
			return "", err
		}
		out += e
		if len(out) > maxTranslated {
			return "", errUnsupportedRegex("pattern too large once translated")
		}
		if t.tok.kind == ereAlt || t.tok.kind == ereEnd || nest > 0 && t.tok.kind == ereCloseParen {
			return out, nil
		}
	}
}

// expression parses one atom and its repetitions (parse_expression).
func (t *ereTranslator) expression(nest int) (string, error) {
	var atom string
	switch t.tok.kind {
	case ereChar, ereCloseBrace, ereCloseParen:
		// A ')' gets here only outside any group: it is literal.
		atom = regexp.QuoteMeta(string(t.tok.r))
	case ereOpenParen:
		if nest+1 > maxNesting {
			return "", errUnsupportedRegex("nesting deeper than 1000")
		}
		t.next()
		open := "(?:"
		if t.groups == 0 {
			open = "("
		}
		t.groups++
		inner := ""
		if t.tok.kind != ereCloseParen {
			var err error
			if inner, err = t.regExp(nest + 1); err != nil {
				return "", err
			}
			if t.tok.kind != ereCloseParen {
				return "", errParen
			}
		}
		atom = open + inner + ")"
	case ereBracket:
		var err error
		if atom, err = t.bracket(); err != nil {
			return "", err
		}
	case ereBackRef:
		return "", errUnsupportedRegex("back-reference \\" + string(t.tok.r))
	case ereOpenBrace, ereStar, erePlus, ereQuestion:
		return "", errBadRepeat
	case ereAnchor:
		// An anchor is never repeated: what follows starts afresh.
		atom := t.tok.text
		t.next()
		return atom, nil
	case ereWordAnchor:
		return "", errUnsupportedRegex("word anchor \\" + string(t.tok.r))
	case erePeriod:
		atom = `(?s:.)`
		if t.bytesMode {
			atom = fmt.Sprintf(`[^\x{%x}-\x{%x}]`, byteRuneLo, byteRuneHi)
		}
	case ereClassEscape:
		atom = t.classEscape(t.tok.r)
	case ereAlt, ereEnd:
		return "", nil
	case ereTrailingBackslash:
		return "", errEscape
	}
	t.next()
	for {
		var quant string
		switch t.tok.kind {
		case ereStar:
			quant = "*"
		case erePlus:
			quant = "+"
		case ereQuestion:
			quant = "?"
		case ereOpenBrace:
			var err error
			if quant, err = t.interval(); err != nil {
				return "", err
			}
		default:
			return atom, nil
		}
		t.next()
		atom = "(?:" + atom + ")" + quant
	}
}

// interval parses "{m}", "{m,}", "{,n}" or "{m,n}" after the '{' and
// returns the Go quantifier; t.tok is left on the closing '}'
// (parse_dup_op and fetch_number).
func (t *ereTranslator) interval() (string, error) {
	lo := t.number()
	if lo == -1 {
		if t.tok.kind == ereChar && t.tok.c == ',' {
			lo = 0
		} else {
			return "", errBadBrace
		}
	}
	hi := -2
	if lo != -2 {
		switch {
		case t.tok.kind == ereCloseBrace:
			hi = lo
		case t.tok.kind == ereChar && t.tok.c == ',':
			hi = t.number()
		}
	}
	if lo == -2 || hi == -2 {
		if t.tok.kind == ereEnd {
			return "", errBraceEnd
		}
		return "", errBadBrace
	}
	if hi != -1 && lo > hi || t.tok.kind != ereCloseBrace {
		return "", errBadBrace
	}
	if max(lo, hi) > reDupMax {
		return "", errSize
	}
	if max(lo, hi) > goRepeatMax {
		return "", errUnsupportedRegex("repetition count above 1000")
	}
	switch {
	case hi == -1:
		return "{" + strconv.Itoa(lo) + ",}", nil
	case lo == hi:
		return "{" + strconv.Itoa(lo) + "}", nil
	}
	return "{" + strconv.Itoa(lo) + "," + strconv.Itoa(hi) + "}", nil
}

// number reads the digits of an interval up to ',' or '}': -1 when there
// are none, -2 when something else is there or the pattern ends, and at
// most reDupMax+1 (fetch_number).
func (t *ereTranslator) number() int {
	n := -1
	for {
		t.next()
		switch {
		case t.tok.kind == ereEnd:
			return -2
		case t.tok.kind == ereCloseBrace || t.tok.c == ',':
			return n
		case t.tok.kind != ereChar || t.tok.c < '0' || t.tok.c > '9' || n == -2:
			n = -2
		case n == -1:
			n = int(t.tok.c - '0')
		default:
			n = min(reDupMax+1, n*10+int(t.tok.c-'0'))
		}
	}
}

// classEscape returns the class for \w \W \s \S: word characters are
// alnum plus '_', space is [:space:].
func (t *ereTranslator) classEscape(letter rune) string {
	if c, ok := t.escapes[letter]; ok {
		return c
	}
	var s runeSet
	switch letter {
	case 'w', 'W':
		alnum, _ := t.posixClass("alnum")
		s.addSet(alnum)
		s.add('_', '_')
	default:
		space, _ := t.posixClass("space")
		s.addSet(space)
	}
	c := s.goClass(letter == 'W' || letter == 'S', t.bytesMode)
	if t.escapes == nil {
		t.escapes = make(map[rune]string)
	}
	t.escapes[letter] = c
	return c
}

// posixClass is posixClass with a per-pattern cache. The returned set is
// shared and must not be modified.
func (t *ereTranslator) posixClass(name string) (runeSet, bool) {
	if s, ok := t.classes[name]; ok {
		return s, true
	}
	s, ok := posixClass(name)
	if ok {
		if t.classes == nil {
			t.classes = make(map[string]runeSet)
		}
		t.classes[name] = s
	}
	return s, ok
}
