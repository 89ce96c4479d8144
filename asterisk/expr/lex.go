package expr

import "strings"

// tokKind is a token of the expression language (the TOK_* of
// ast_expr2.y plus TOKEN for operands).
type tokKind uint8

const (
	tokEOF        tokKind = iota
	tokWord               // TOKEN: an operand
	tokOr                 // | or ||
	tokAnd                // & or &&
	tokEq                 // = or ==
	tokNe                 // !=
	tokLt                 // <
	tokGt                 // >
	tokLe                 // <=
	tokGe                 // >=
	tokPlus               // +
	tokMinus              // -
	tokMult               // *
	tokDiv                // /
	tokMod                // %
	tokCompl              // !
	tokColon              // :
	tokEqTilde            // =~
	tokTildeTilde         // ~~
	tokCond               // ?
	tokColonColon         // ::
	tokComma              // ,
	tokLP                 // (
	tokRP                 // )
)

// String spells the token for error messages, as bison's verbose
// messages do.
func (k tokKind) String() string {
	switch k {
	case tokEOF:
		return "end of expression"
	case tokWord:
		return "operand"
	}
	for _, op := range []string{"|", "&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "!", ":", "=~", "~~", "?", "::", ",", "(", ")"} {
		if kind, n := operatorAt(op); n == len(op) && kind == k {
			return "'" + op + "'"
		}
	}
	return "token"
}

// token is one lexeme. For tokWord, text is the operand and numeric
// tells whether flex's number rule matched it (a numeric string).
type token struct {
	kind    tokKind
	text    string
	numeric bool
	offset  int
}

// lexer reproduces the flex scanner of main/ast_expr2.fl, longest match
// first and earlier rule on a tie, including its quirks:
//   - bytes that start no rule ([ ] { } ` a lone ~ or ", control
//     characters, a '$' at the end) are echoed by flex's default rule
//     and otherwise ignored;
//   - "${…}" left in the text is gathered into one operand together with
//     what follows it up to an operator character; an unterminated "${"
//     ends the input;
//   - when an operator character directly follows the closing '}', the
//     rule calls unput(), which leaves yytext unterminated: the operand
//     then runs to the end of the input while scanning resumes at that
//     character.
type lexer struct {
	src string
	pos int
	eof bool
}

// isWordByte reports whether c may appear in an unquoted operand:
// [a-zA-Z0-9.';\\_^#@] and every byte from 0x80 up.
func isWordByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c >= 0x80:
		return true
	}
	return strings.IndexByte(".';\\_^#@", c) >= 0
}

// isTrailStop reports whether c ends the text that follows "${…}" (the
// character class of the <trail> rules).
func isTrailStop(c byte) bool {
	return strings.IndexByte("-\t\r \n$():?%/+=*<>!|&", c) >= 0
}

// next returns the next token, tokEOF at the end.
func (l *lexer) next() token {
	for !l.eof && l.pos < len(l.src) {
		start := l.pos
		c := l.src[start]
		if k, n := operatorAt(l.src[start:]); n > 0 {
			l.pos += n
			return token{kind: k, offset: start}
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			l.pos++
		case c == '"':
			if j := strings.IndexByte(l.src[start+1:], '"'); j >= 0 {
				l.pos = start + j + 2
				return token{kind: tokWord, text: l.src[start:l.pos], offset: start}
			}
			l.pos++ // an unmatched quote is echoed and skipped
		case c == '$' && l.at(start+1) == '{':
			l.pos = start + 2
			return l.variable(start)
		case isWordByte(c) || c == '$' && start+1 < len(l.src):
			return l.word(start)
		default:
			l.pos++ // no rule matches: echoed and skipped
		}
	}
	l.eof = true
	return token{kind: tokEOF, offset: len(l.src)}
}

// at returns the byte at i, or 0 past the end.
func (l *lexer) at(i int) byte {
	if i < len(l.src) {
		return l.src[i]
	}
	return 0
}

// operatorAt matches the operator rules at the start of s, longest first.
func operatorAt(s string) (tokKind, int) {
	var next byte
	if len(s) > 1 {
		next = s[1]
	}
	switch s[0] {
	case '|':
		if next == '|' {
			return tokOr, 2
		}
		return tokOr, 1
	case '&':
		if next == '&' {
			return tokAnd, 2
		}
		return tokAnd, 1
	case '=':
		switch next {
		case '=':
			return tokEq, 2
		case '~':
			return tokEqTilde, 2
		}
		return tokEq, 1
	case '~':
		if next == '~' {
			return tokTildeTilde, 2
		}
	case '>':
		if next == '=' {
			return tokGe, 2
		}
		return tokGt, 1
	case '<':
		if next == '=' {
			return tokLe, 2
		}
		return tokLt, 1
	case '!':
		if next == '=' {
			return tokNe, 2
		}
		return tokCompl, 1
	case ':':
		if next == ':' {
			return tokColonColon, 2
		}
		return tokColon, 1
	case '+':
		return tokPlus, 1
	case ',':
		return tokComma, 1
	case '-':
		return tokMinus, 1
	case '*':
		return tokMult, 1
	case '/':
		return tokDiv, 1
	case '%':
		return tokMod, 1
	case '?':
		return tokCond, 1
	case '(':
		return tokLP, 1
	case ')':
		return tokRP, 1
	}
	return tokEOF, 0
}

// word scans an unquoted operand starting at start: a run of word bytes
// and "$x" pairs (x not '{'). A run directly followed by "${" continues as
// a variable reference; a run that is exactly [0-9]+(\.[0-9]+)? is a
// numeric string, since the number rule comes first in the flex file.
func (l *lexer) word(start int) token {
	i := start
	for i < len(l.src) {
		c := l.src[i]
		if isWordByte(c) {
			i++
			continue
		}
		if c == '$' && i+1 < len(l.src) && l.src[i+1] != '{' {
			i += 2
			continue
		}
		break
	}
	if l.at(i) == '$' && l.at(i+1) == '{' {
		l.pos = i + 2
		return l.variable(start)
	}
	l.pos = i
	text := l.src[start:i]
	return token{kind: tokWord, text: text, numeric: isNumberToken(text), offset: start}
}

// isNumberToken reports whether s matches [0-9]+(\.[0-9]+)? entirely.
func isNumberToken(s string) bool {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' || i+1 == len(s) {
		return false
	}
	for i++; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// variable continues an operand whose "${" ends just before l.pos: the
// <var> state counts braces to the matching '}', then the <trail> state
// takes what follows up to an operator character.
func (l *lexer) variable(start int) token {
	depth := 0
	for {
		j := strings.IndexAny(l.src[l.pos:], "{}")
		if j < 0 {
			// No closing brace: flex echoes the rest and stops at the
			// end of the input without returning the operand.
			l.pos, l.eof = len(l.src), true
			return token{kind: tokEOF, offset: len(l.src)}
		}
		l.pos += j + 1
		if l.src[l.pos-1] == '{' {
			depth++
			continue
		}
		if depth--; depth >= 0 {
			continue
		}
		k := l.pos
		for k < len(l.src) && !isTrailStop(l.src[k]) {
			k++
		}
		switch {
		case k == len(l.src):
			l.pos = k
			return token{kind: tokWord, text: l.src[start:], offset: start}
		case l.src[k] == '$' && l.at(k+1) == '{':
			l.pos, depth = k+2, 0
			continue
		case k > l.pos:
			l.pos = k
			return token{kind: tokWord, text: l.src[start:k], offset: start}
		}
		// An operator character right after '}': unput() leaves the
		// token text running to the end of the input; scanning resumes
		// at that character.
		return token{kind: tokWord, text: l.src[start:], offset: start}
	}
}
