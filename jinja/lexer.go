package jinja

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind classifies a token the lexer produced.
type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokData
	tokVarBegin
	tokVarEnd
	tokBlockBegin
	tokBlockEnd
	tokName
	tokString
	tokInt
	tokFloat
	tokOp
	tokError // a lexing error, raised when the parser reaches it
)

// token is one lexical unit; num holds the value of an int (int64 or
// *big.Int) or float (float64) literal.
type token struct {
	kind tokenKind
	line int
	val  string
	num  any
}

// describe names a token the way error messages refer to it.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of template"
	case tokData:
		return "template data / text"
	case tokVarBegin:
		return "begin of print statement"
	case tokVarEnd:
		return "end of print statement"
	case tokBlockBegin:
		return "begin of statement block"
	case tokBlockEnd:
		return "end of statement block"
	case tokString:
		return "string"
	case tokInt:
		return "integer"
	case tokFloat:
		return "float"
	}
	return t.val
}

// syntaxError is a lexing or parsing error at a line of the source.
type syntaxError struct {
	line   int
	msg    string
	assert bool // Jinja2 raises TemplateAssertionError for this one
}

func (e *syntaxError) Error() string { return e.msg }

// normalizeSource does what Jinja2's lexer does first: every \r\n, \r and
// \n becomes \n and one trailing newline is dropped (keep_trailing_newline
// off).
func normalizeSource(src string) string {
	if strings.IndexByte(src, '\r') >= 0 {
		src = strings.ReplaceAll(src, "\r\n", "\n")
		src = strings.ReplaceAll(src, "\r", "\n")
	}
	return strings.TrimSuffix(src, "\n")
}

// pyIsSpace reports whether r is whitespace for Python's str.isspace and
// the re module's \s.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// skipSpace returns the index after the run of whitespace at i.
func skipSpace(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !pyIsSpace(r) {
			break
		}
		i += n
	}
	return i
}

// rstripSpace strips trailing Python whitespace.
func rstripSpace(s string) string {
	return strings.TrimRightFunc(s, pyIsSpace)
}

type lexer struct {
	src    string
	pos    int
	line   int
	toks   []token
	braces []byte
}

// tokenize splits a normalized template source into tokens. Jinja2 lexes
// lazily, so a lexing error becomes an error token that fails only when
// the parser reaches it: an earlier syntax error is reported first.
func tokenize(src string) ([]token, error) {
	lx := &lexer{src: src, line: 1}
	if err := lx.run(); err != nil {
		se, ok := err.(*syntaxError)
		if !ok {
			return nil, err
		}
		lx.toks = append(lx.toks, token{kind: tokError, line: se.line, val: se.msg})
	}
	// Like Jinja2's token stream, the end carries the last token's line.
	eofLine := 1
	if n := len(lx.toks); n > 0 {
		eofLine = lx.toks[n-1].line
	}
	lx.toks = append(lx.toks, token{kind: tokEOF, line: eofLine})
	return lx.toks, nil
}

func (lx *lexer) emit(kind tokenKind, val string) {
	lx.toks = append(lx.toks, token{kind: kind, line: lx.line, val: val})
}

// findTag returns the position of the next "{{", "{%" or "{#" at or after
// i, or -1.
func findTag(s string, i int) int {
	for {
		j := strings.IndexByte(s[i:], '{')
		if j < 0 || i+j+1 >= len(s) {
			return -1
		}
		i += j
		switch s[i+1] {
		case '{', '%', '#':
			return i
		}
		i++
	}
}

// matchRawBegin matches {%[-+]?\s*raw\s*(-%}\s*|%}) at i and returns the
// end of the match and the strip sign.
func matchRawBegin(s string, i int) (end int, sign byte, ok bool) {
	j := i + 2
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		sign = s[j]
		j++
	}
	j = skipSpace(s, j)
	if !strings.HasPrefix(s[j:], "raw") {
		return 0, 0, false
	}
	j = skipSpace(s, j+3)
	switch {
	case strings.HasPrefix(s[j:], "-%}"):
		return skipSpace(s, j+3), sign, true
	case strings.HasPrefix(s[j:], "%}"):
		return j + 2, sign, true
	}
	return 0, 0, false
}

// emitData emits text that precedes a tag, stripping trailing whitespace
// when the tag starts with '-'.
func (lx *lexer) emitData(text string, sign byte) {
	stripped := 0
	if sign == '-' {
		t := rstripSpace(text)
		stripped = strings.Count(text[len(t):], "\n")
		text = t
	}
	if text != "" {
		lx.emit(tokData, text)
	}
	lx.line += strings.Count(text, "\n") + stripped
}

func (lx *lexer) run() error {
	s := lx.src
	for lx.pos < len(s) {
		at := findTag(s, lx.pos)
		if at < 0 {
			lx.emitData(s[lx.pos:], 0)
			lx.pos = len(s)
			return nil
		}
		text := s[lx.pos:at]
		if s[at+1] == '%' {
			if end, sign, ok := matchRawBegin(s, at); ok {
				lx.emitData(text, sign)
				lx.line += strings.Count(s[at:end], "\n")
				lx.pos = end
				if err := lx.raw(); err != nil {
					return err
				}
				continue
			}
		}
		var sign byte
		j := at + 2
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			sign = s[j]
			j++
		}
		lx.emitData(text, sign)
		lx.pos = j
		var err error
		switch s[at+1] {
		case '#':
			err = lx.comment()
		case '%':
			lx.emit(tokBlockBegin, "")
			err = lx.tag(false)
		case '{':
			lx.emit(tokVarBegin, "")
			err = lx.tag(true)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// comment skips a comment up to its "#}".
func (lx *lexer) comment() error {
	s := lx.src
	k := strings.Index(s[lx.pos:], "#}")
	if k < 0 {
		if lx.pos >= len(s) {
			// Jinja2's failure rule needs a character: "{#" at the very
			// end of the source is accepted.
			return nil
		}
		return &syntaxError{line: lx.line, msg: "missing end of comment tag"}
	}
	k += lx.pos
	end := k + 2
	// The end is the earliest of "+#}", "-#}\s*" and "#}".
	if k > lx.pos && s[k-1] == '-' {
		end = skipSpace(s, end)
	}
	lx.line += strings.Count(s[lx.pos:end], "\n")
	lx.pos = end
	return nil
}

// raw reads the body of a raw block up to its endraw tag.
func (lx *lexer) raw() error {
	s := lx.src
	i := lx.pos
	for {
		k := strings.Index(s[i:], "{%")
		if k < 0 {
			if lx.pos >= len(s) {
				return nil // as for comments, the very end is accepted
			}
			return &syntaxError{line: lx.line, msg: "missing end of raw directive"}
		}
		k += i
		j := k + 2
		var sign byte
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			sign = s[j]
			j++
		}
		j = skipSpace(s, j)
		if strings.HasPrefix(s[j:], "endraw") {
			j = skipSpace(s, j+6)
			end := -1
			switch {
			case strings.HasPrefix(s[j:], "+%}"):
				end = j + 3
			case strings.HasPrefix(s[j:], "-%}"):
				end = skipSpace(s, j+3)
			case strings.HasPrefix(s[j:], "%}"):
				end = j + 2
			}
			if end >= 0 {
				lx.emitData(s[lx.pos:k], sign)
				lx.line += strings.Count(s[k:end], "\n")
				lx.pos = end
				return nil
			}
		}
		i = k + 1
	}
}

// tag lexes the inside of a {{ }} or {% %} tag.
func (lx *lexer) tag(variable bool) error {
	s := lx.src
	lx.braces = lx.braces[:0]
	for lx.pos < len(s) {
		p := lx.pos
		rest := s[p:]
		if len(lx.braces) == 0 {
			if variable {
				if strings.HasPrefix(rest, "-}}") {
					end := skipSpace(s, p+3)
					lx.emit(tokVarEnd, "")
					lx.line += strings.Count(s[p:end], "\n")
					lx.pos = end
					return nil
				}
				if strings.HasPrefix(rest, "}}") {
					lx.emit(tokVarEnd, "")
					lx.pos = p + 2
					return nil
				}
			} else {
				if strings.HasPrefix(rest, "+%}") {
					lx.emit(tokBlockEnd, "")
					lx.pos = p + 3
					return nil
				}
				if strings.HasPrefix(rest, "-%}") {
					end := skipSpace(s, p+3)
					lx.emit(tokBlockEnd, "")
					lx.line += strings.Count(s[p:end], "\n")
					lx.pos = end
					return nil
				}
				if strings.HasPrefix(rest, "%}") {
					lx.emit(tokBlockEnd, "")
					lx.pos = p + 2
					return nil
				}
			}
		}
		if end := skipSpace(s, p); end > p {
			lx.line += strings.Count(s[p:end], "\n")
			lx.pos = end
			continue
		}
		if n := matchFloat(rest); n > 0 && (p == 0 || s[p-1] != '.') {
			text := strings.ReplaceAll(rest[:n], "_", "")
			f, err := strconv.ParseFloat(text, 64)
			if err != nil && !isRangeErr(err) {
				return &syntaxError{line: lx.line, msg: fmt.Sprintf("invalid float literal %q", rest[:n])}
			}
			lx.toks = append(lx.toks, token{kind: tokFloat, line: lx.line, val: rest[:n], num: f})
			lx.pos += n
			continue
		}
		if n := matchInt(rest); n > 0 {
			v, err := parseIntLiteral(rest[:n])
			if err != nil {
				return &syntaxError{line: lx.line, msg: err.Error()}
			}
			lx.toks = append(lx.toks, token{kind: tokInt, line: lx.line, val: rest[:n], num: v})
			lx.pos += n
			continue
		}
		if n := matchName(rest); n > 0 {
			name := rest[:n]
			if !isIdentifier(name) {
				return &syntaxError{line: lx.line, msg: "invalid character in identifier"}
			}
			lx.emit(tokName, name)
			lx.pos += n
			continue
		}
		if rest[0] == '\'' || rest[0] == '"' {
			n := matchString(rest)
			if n > 0 {
				v, err := unescapeString(rest[1 : n-1])
				if err != nil {
					return &syntaxError{line: lx.line, msg: err.Error()}
				}
				lx.emit(tokString, v)
				lx.line += strings.Count(rest[:n], "\n")
				lx.pos += n
				continue
			}
		}
		if op := matchOperator(rest); op != "" {
			switch op {
			case "{":
				lx.braces = append(lx.braces, '}')
			case "(":
				lx.braces = append(lx.braces, ')')
			case "[":
				lx.braces = append(lx.braces, ']')
			case "}", ")", "]":
				if len(lx.braces) == 0 {
					return &syntaxError{line: lx.line, msg: fmt.Sprintf("unexpected '%s'", op)}
				}
				want := lx.braces[len(lx.braces)-1]
				lx.braces = lx.braces[:len(lx.braces)-1]
				if want != op[0] {
					return &syntaxError{line: lx.line, msg: fmt.Sprintf("unexpected '%s', expected '%c'", op, want)}
				}
			}
			lx.emit(tokOp, op)
			lx.pos += len(op)
			continue
		}
		r, _ := utf8.DecodeRuneInString(rest)
		return &syntaxError{line: lx.line, msg: fmt.Sprintf("unexpected char %s at %d", pyReprString(string(r)), utf8.RuneCountInString(s[:p]))}
	}
	return nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// matchDigits matches (\d+_)*\d+ and returns its length.
func matchDigits(s string) int {
	i := 0
	for {
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return start - boolInt(start > 0) // back off a dangling '_'
		}
		if i < len(s) && s[i] == '_' && i+1 < len(s) && isDigit(s[i+1]) {
			i++
			continue
		}
		return i
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// matchFloat matches Jinja2's float literal:
// (\d+_)*\d+((\.(\d+_)*\d+)?e[+-]?(\d+_)*\d+|\.(\d+_)*\d+)
func matchFloat(s string) int {
	n := matchDigits(s)
	if n == 0 {
		return 0
	}
	exp := func(i int) int {
		if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
			j := i + 1
			if j < len(s) && (s[j] == '+' || s[j] == '-') {
				j++
			}
			if m := matchDigits(s[j:]); m > 0 {
				return j + m
			}
		}
		return 0
	}
	if n < len(s) && s[n] == '.' {
		if m := matchDigits(s[n+1:]); m > 0 {
			i := n + 1 + m
			if e := exp(i); e > 0 {
				return e
			}
			return i
		}
	}
	return exp(n)
}

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// matchInt matches Jinja2's integer literal (binary, octal, hex, decimal
// with '_' separators, or zeros).
func matchInt(s string) int {
	if len(s) >= 2 && s[0] == '0' {
		var ok func(byte) bool
		switch s[1] {
		case 'b', 'B':
			ok = func(c byte) bool { return c == '0' || c == '1' }
		case 'o', 'O':
			ok = func(c byte) bool { return c >= '0' && c <= '7' }
		case 'x', 'X':
			ok = isHex
		}
		if ok != nil {
			i := 2
			for {
				j := i
				if j < len(s) && s[j] == '_' {
					j++
				}
				if j < len(s) && ok(s[j]) {
					i = j + 1
					continue
				}
				break
			}
			if i > 2 {
				return i
			}
		}
	}
	if len(s) == 0 || !isDigit(s[0]) {
		return 0
	}
	digit := isDigit
	if s[0] == '0' {
		digit = func(c byte) bool { return c == '0' }
	}
	i := 1
	for {
		j := i
		if j < len(s) && s[j] == '_' {
			j++
		}
		if j < len(s) && digit(s[j]) {
			i = j + 1
			continue
		}
		return i
	}
}

// parseIntLiteral converts an integer literal as Python's int(s, 0).
func parseIntLiteral(lit string) (any, error) {
	s := strings.ReplaceAll(lit, "_", "")
	base := 10
	if len(s) > 1 && s[0] == '0' {
		switch s[1] {
		case 'b', 'B':
			base, s = 2, s[2:]
		case 'o', 'O':
			base, s = 8, s[2:]
		case 'x', 'X':
			base, s = 16, s[2:]
		}
	}
	if v, err := strconv.ParseInt(s, base, 64); err == nil {
		return v, nil
	}
	b, ok := new(big.Int).SetString(s, base)
	if !ok {
		return nil, fmt.Errorf("invalid integer literal %q", lit)
	}
	return normBig(b), nil
}

func isNameRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) ||
		unicode.In(r, unicode.Mn, unicode.Mc, unicode.Pc) || r == 0xb7
}

func matchName(s string) int {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isNameRune(r) {
			break
		}
		i += n
	}
	return i
}

func isIdentifier(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r)
}

// matchString matches a quoted string with backslash escapes and returns
// its length including the quotes, or 0 if it is not terminated.
func matchString(s string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i + 1
		}
	}
	return 0
}

var operators3 = []string{"//", "**", "==", "!=", ">=", "<="}

func matchOperator(s string) string {
	for _, op := range operators3 {
		if strings.HasPrefix(s, op) {
			return op
		}
	}
	switch s[0] {
	case '+', '-', '/', '*', '%', '~', '[', ']', '(', ')', '{', '}', '>', '<', '=', '.', ':', '|', ',', ';':
		return s[:1]
	}
	return ""
}

// unescapeString decodes a string literal's body the way Jinja2 does:
// non-ASCII characters are turned into backslash escapes, then Python's
// unicode-escape codec decodes the result.
func unescapeString(s string) (string, error) {
	if strings.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	// Non-ASCII characters become \x, \u or \U escapes first; a backslash
	// before one of them therefore escapes the escape's backslash.
	var ascii strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			ascii.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&ascii, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&ascii, `\u%04x`, r)
		default:
			fmt.Fprintf(&ascii, `\U%08x`, r)
		}
	}
	a := ascii.String()
	var b strings.Builder
	for i := 0; i < len(a); i++ {
		c := a[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(a) {
			return "", fmt.Errorf(`\ at end of string`)
		}
		switch c = a[i]; c {
		case '\n':
		case '\\', '\'', '"':
			b.WriteByte(c)
		case 'a':
			b.WriteByte(7)
		case 'b':
			b.WriteByte(8)
		case 'f':
			b.WriteByte(12)
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte(11)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := 0
			j := i
			for ; j < len(a) && j < i+3 && a[j] >= '0' && a[j] <= '7'; j++ {
				v = v*8 + int(a[j]-'0')
			}
			b.WriteRune(rune(v))
			i = j - 1
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
			h := a[i+1 : min(i+1+n, len(a))]
			if len(h) < n || strings.IndexFunc(h, func(r rune) bool { return !isHex(byte(r)) }) >= 0 {
				return "", fmt.Errorf(`truncated \%c%s escape`, c, strings.Repeat("X", n))
			}
			v, _ := strconv.ParseUint(h, 16, 32)
			if v > unicode.MaxRune {
				return "", fmt.Errorf("illegal Unicode character")
			}
			b.WriteRune(rune(v))
			i += n
		case 'N':
			return "", fmt.Errorf(`\N{...} escapes are not supported`)
		default:
			b.WriteByte('\\')
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
