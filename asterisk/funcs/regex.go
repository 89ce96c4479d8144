package funcs

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// readRegex is REGEX("regex" string) (func_strings.c regex): "1" when the
// POSIX extended regular expression matches anywhere in string, else "0".
// The arguments are split at '"' with backslashes removed from the
// expression (so a template writes "\\." for a literal dot); one space or
// tab after the closing quote is skipped. Anything but exactly three
// pieces, or an expression glibc's regcomp rejects, is an error.
func readRegex(_ *subst.Call, data string) (string, error) {
	args := subst.SplitArgs(cString(data), '"', 3, true)
	if len(args) != 3 {
		return "", usage(`REGEX("<regex>" <string>)`)
	}
	str := args[2]
	if str != "" && (str[0] == ' ' || str[0] == '\t') {
		str = str[1:]
	}
	re, err := compileERE(args[1])
	if err != nil {
		return "", fmt.Errorf("REGEX: malformed expression %q: %w", args[1], err)
	}
	if re.MatchString(latin1(str)) {
		return "1", nil
	}
	return "0", nil
}

// latin1 maps every byte of s to the rune of the same value, so that a Go
// regular expression built by compileERE sees one character per byte, as
// glibc does in the C locale.
func latin1(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// Errors compileERE reports, worded after glibc's regerror.
var (
	errBadRepeat      = errors.New("invalid preceding regular expression")
	errUnmatchedBrace = errors.New(`unmatched \{`)
	errBadBrace       = errors.New(`invalid content of \{\}`)
	errTooBig         = errors.New("regular expression too big")
	errUnmatchedParen = errors.New("unmatched ( or \\(")
	errBracket        = errors.New("unmatched [, [^, [:, [., or [=")
	errRange          = errors.New("invalid range end")
	errClass          = errors.New("invalid character class name")
	errCollate        = errors.New("invalid collation character")
	errBackslash      = errors.New("trailing backslash")
	errBackref        = errors.New("back references are not supported")
	errWordEdge       = errors.New(`\< and \> are not supported`)
)

// reDupMax is glibc's RE_DUP_MAX: the largest repetition count.
const reDupMax = 0x7fff

// compileERE compiles a POSIX extended regular expression with glibc's
// syntax (REG_EXTENDED, C locale) into an equivalent Go expression over
// latin1 text:
//
//   - a repetition operator at the start of the expression, of a group or
//     of an alternative, or after an anchor, is an error, but operators may
//     follow one another ("a**", "a+?");
//   - "{" must start a valid interval "{m}", "{m,}", "{,n}" or "{m,n}";
//   - an unmatched ")" is literal, an unmatched "(" an error;
//   - "^" and "$" are anchors anywhere;
//   - in a bracket expression a backslash is literal, "]" first is literal,
//     classes [:name:], equivalence classes [=c=] and collating symbols
//     [.c.] of one character are allowed, and a range must not run
//     backwards;
//   - outside brackets "\w", "\W", "\s", "\S", "\b", "\B", "\`" and "\'"
//     are GNU operators and any other escaped character is literal.
//
// Back references and the word-edge anchors "\<" and "\>" have no
// equivalent in Go's regular expressions; they are reported as errors, as
// are repetition counts over 1000 that Go cannot compile.
func compileERE(pattern string) (*regexp.Regexp, error) {
	p := ereParser{src: pattern}
	expr, err := p.alternation(0)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(`(?s)` + expr)
	if err != nil {
		return nil, errTooBig
	}
	return re, nil
}

// ereParser translates a glibc ERE to Go syntax by recursive descent.
type ereParser struct {
	src string
	pos int
}

// maxEREDepth bounds group nesting.
const maxEREDepth = 200

// alternation parses branches separated by '|' up to a ')' that closes a
// group (depth > 0) or the end.
func (p *ereParser) alternation(depth int) (string, error) {
	if depth > maxEREDepth {
		return "", errTooBig
	}
	var branches []string
	for {
		b, err := p.branch(depth)
		if err != nil {
			return "", err
		}
		branches = append(branches, b)
		if p.pos < len(p.src) && p.src[p.pos] == '|' {
			p.pos++
			continue
		}
		return strings.Join(branches, "|"), nil
	}
}

// branch parses a sequence of repeated atoms.
func (p *ereParser) branch(depth int) (string, error) {
	var out strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '|' || (c == ')' && depth > 0) {
			break
		}
		if c == '*' || c == '+' || c == '?' || c == '{' {
			return "", errBadRepeat
		}
		atom, err := p.atom(depth)
		if err != nil {
			return "", err
		}
		if isAnchor(atom) && p.pos < len(p.src) && strings.IndexByte("*+?{", p.src[p.pos]) >= 0 {
			return "", errBadRepeat
		}
		atom, err = p.repeats(atom)
		if err != nil {
			return "", err
		}
		out.WriteString(atom)
	}
	return out.String(), nil
}

// isAnchor reports whether a translated atom matches a position, not a
// character: glibc refuses to repeat one.
func isAnchor(atom string) bool {
	switch atom {
	case `\A`, `\z`, `\b`, `\B`:
		return true
	}
	return false
}

// repeats applies the repetition operators that follow an atom; each one
// after the first wraps what came before in a group, as Go refuses to
// repeat a repetition directly.
func (p *ereParser) repeats(atom string) (string, error) {
	repeated := false
	for p.pos < len(p.src) {
		var op string
		switch c := p.src[p.pos]; c {
		case '*', '+', '?':
			op = string(c)
			p.pos++
		case '{':
			var err error
			if op, err = p.interval(); err != nil {
				return "", err
			}
		default:
			return atom, nil
		}
		if repeated {
			atom = "(?:" + atom + ")"
		}
		atom += op
		repeated = true
	}
	return atom, nil
}

// interval parses "{m}", "{m,}", "{,n}" or "{m,n}" at p.pos.
func (p *ereParser) interval() (string, error) {
	end := strings.IndexByte(p.src[p.pos:], '}')
	if end < 0 {
		return "", errUnmatchedBrace
	}
	body := p.src[p.pos+1 : p.pos+end]
	lo, hi, comma := body, "", false
	if i := strings.IndexByte(body, ','); i >= 0 {
		lo, hi, comma = body[:i], body[i+1:], true
	}
	if body == "" || !allDigits(lo) || !allDigits(hi) {
		return "", errBadBrace
	}
	m, n := 0, -1
	if lo != "" {
		m = boundedAtoi(lo)
	}
	switch {
	case hi != "":
		n = boundedAtoi(hi)
	case !comma:
		n = m
	}
	if m > reDupMax || n > reDupMax {
		return "", errTooBig
	}
	if n >= 0 && n < m {
		return "", errBadBrace
	}
	p.pos += end + 1
	switch {
	case n < 0:
		return "{" + strconv.Itoa(m) + ",}", nil
	case n == m:
		return "{" + strconv.Itoa(m) + "}", nil
	default:
		return "{" + strconv.Itoa(m) + "," + strconv.Itoa(n) + "}", nil
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// boundedAtoi reads decimal digits, saturating above reDupMax.
func boundedAtoi(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = min(v*10+int(s[i]-'0'), reDupMax+1)
	}
	return v
}

// atom parses one atom at p.pos.
func (p *ereParser) atom(depth int) (string, error) {
	c := p.src[p.pos]
	p.pos++
	switch c {
	case '(':
		inner, err := p.alternation(depth + 1)
		if err != nil {
			return "", err
		}
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			return "", errUnmatchedParen
		}
		p.pos++
		return "(?:" + inner + ")", nil
	case ')':
		return `\)`, nil
	case '.':
		return ".", nil
	case '^':
		return `\A`, nil
	case '$':
		return `\z`, nil
	case '[':
		return p.bracket()
	case '\\':
		if p.pos >= len(p.src) {
			return "", errBackslash
		}
		e := p.src[p.pos]
		p.pos++
		switch e {
		case 'w':
			return `[0-9A-Z_a-z]`, nil
		case 'W':
			return `[^0-9A-Z_a-z]`, nil
		case 's':
			return `[\t-\r ]`, nil
		case 'S':
			return `[^\t-\r ]`, nil
		case 'b':
			return `\b`, nil
		case 'B':
			return `\B`, nil
		case '`':
			return `\A`, nil
		case '\'':
			return `\z`, nil
		case '<', '>':
			return "", errWordEdge
		}
		if e >= '1' && e <= '9' {
			return "", errBackref
		}
		return literal(e), nil
	}
	return literal(c), nil
}

// literal is the Go syntax for the byte c as a latin1 character.
func literal(c byte) string {
	return `\x{` + strconv.FormatUint(uint64(c), 16) + `}`
}

// posixClass is the C locale's character class name as byte ranges.
func posixClass(name string) (string, bool) {
	switch name {
	case "alpha":
		return `A-Za-z`, true
	case "upper":
		return `A-Z`, true
	case "lower":
		return `a-z`, true
	case "digit":
		return `0-9`, true
	case "xdigit":
		return `0-9A-Fa-f`, true
	case "space":
		return `\t-\r `, true
	case "blank":
		return `\t `, true
	case "alnum":
		return `0-9A-Za-z`, true
	case "punct":
		return `!-/:-@\[-` + "`" + `{-~`, true
	case "print":
		return ` -~`, true
	case "graph":
		return `!-~`, true
	case "cntrl":
		return `\x00-\x1f\x7f`, true
	}
	return "", false
}

// bracket parses a bracket expression after its '['.
func (p *ereParser) bracket() (string, error) {
	var out strings.Builder
	out.WriteByte('[')
	if p.pos < len(p.src) && p.src[p.pos] == '^' {
		out.WriteByte('^')
		p.pos++
	}
	first := true
	for {
		if p.pos >= len(p.src) {
			return "", errBracket
		}
		if p.src[p.pos] == ']' && !first {
			p.pos++
			out.WriteByte(']')
			return out.String(), nil
		}
		first = false
		if strings.HasPrefix(p.src[p.pos:], "[:") {
			end := strings.Index(p.src[p.pos+2:], ":]")
			if end < 0 {
				return "", errBracket
			}
			class, ok := posixClass(p.src[p.pos+2 : p.pos+2+end])
			if !ok {
				return "", errClass
			}
			p.pos += end + 4
			if p.pos < len(p.src)-1 && p.src[p.pos] == '-' && p.src[p.pos+1] != ']' {
				return "", errRange
			}
			out.WriteString(class)
			continue
		}
		equiv := strings.HasPrefix(p.src[p.pos:], "[=")
		lo, err := p.bracketChar(false)
		if err != nil {
			return "", err
		}
		if p.pos < len(p.src)-1 && p.src[p.pos] == '-' && p.src[p.pos+1] != ']' {
			if equiv {
				return "", errRange
			}
			p.pos++
			hi, err := p.bracketChar(true)
			if err != nil {
				return "", err
			}
			if hi < lo {
				return "", errRange
			}
			// A range cannot be followed by another '-' that is not the
			// last character.
			if p.pos < len(p.src)-1 && p.src[p.pos] == '-' && p.src[p.pos+1] != ']' {
				return "", errRange
			}
			out.WriteString(literal(lo) + "-" + literal(hi))
			continue
		}
		out.WriteString(literal(lo))
	}
}

// bracketChar reads one character of a bracket expression: a plain byte,
// or [.c.] / [=c=] naming one character. A class cannot end a range.
func (p *ereParser) bracketChar(rangeEnd bool) (byte, error) {
	s := p.src[p.pos:]
	if len(s) >= 2 && s[0] == '[' && (s[1] == '.' || s[1] == '=') {
		kind := s[1]
		end := strings.Index(s[2:], string([]byte{kind, ']'}))
		if end < 0 {
			return 0, errBracket
		}
		if end != 1 || (kind == '=' && rangeEnd) {
			if kind == '=' {
				return 0, errRange
			}
			return 0, errCollate
		}
		p.pos += 5
		return s[2], nil
	}
	if rangeEnd && strings.HasPrefix(s, "[:") {
		return 0, errRange
	}
	p.pos++
	return s[0], nil
}
