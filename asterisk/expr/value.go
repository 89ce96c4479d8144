package expr

import "math"

// kind mirrors ast_expr2.y's enum valtype: what an operand currently is.
type kind uint8

const (
	// kindNumber is a long double (AST_EXPR_number).
	kindNumber kind = iota
	// kindNumeric is text that looks like a number and becomes one on
	// first arithmetic use (AST_EXPR_numeric_string).
	kindNumeric
	// kindString is text that never converts (AST_EXPR_string).
	kindString
)

// value is one operand. Like struct val in ast_expr2.y it is converted in
// place: asking whether a numeric string is zero turns it into a number,
// which is why "$[ 007 | 1 ]" prints 7 but "$[ 0 | 007 ]" prints 007.
type value struct {
	kind kind
	num  float80
	str  string
	// null marks a numeric string whose strtold conversion overflowed or
	// underflowed: to_number() freed its text and left a NULL pointer.
	// It reads as the empty string and as +0 (the zeroed union).
	null bool
}

// numberValue returns a number (make_number).
func numberValue(f float80) *value { return &value{kind: kindNumber, num: f} }

// intValue returns a small integer number, as make_number((FP___TYPE)i).
func intValue(i int64) *value { return numberValue(fromInt80(i)) }

// boolValue returns 1 or 0.
func boolValue(b bool) *value {
	if b {
		return intValue(1)
	}
	return intValue(0)
}

// stringValue returns text classified as make_str() does: numeric when
// it is non-empty and made only of digits and dots. (make_str lets a
// leading '-' through its first test but rejects it in the loop.)
func stringValue(s string) *value {
	v := &value{kind: kindString, str: s}
	if s == "" {
		return v
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != '.' {
			return v
		}
	}
	v.kind = kindNumeric
	return v
}

// isString reports whether v can never be a number (isstring()).
func (v *value) isString() bool { return v.kind == kindString }

// toNumber converts a numeric string in place and reports whether v is
// now a number (to_number()). A conversion that strtold flags with ERANGE
// fails and leaves v null.
func (v *value) toNumber() bool {
	switch v.kind {
	case kindNumber:
		return true
	case kindString:
		return false
	}
	if v.null {
		return false
	}
	f, rangeErr := parseDecimal80(v.str)
	if rangeErr {
		v.str, v.null, v.num = "", true, float80{}
		return false
	}
	v.kind, v.num, v.str = kindNumber, f, ""
	return true
}

// toText converts a number to its %.18Lg text in place (to_string()).
func (v *value) toText() {
	if v.kind != kindNumber {
		return
	}
	v.kind, v.str = kindString, format80(v.num)
}

// isZeroOrNull is is_zero_or_null(): a number equal to zero, empty text,
// or a numeric string that converts to zero (converting it in place).
func (v *value) isZeroOrNull() bool {
	if v.kind == kindNumber {
		return v.num.isZero()
	}
	return v.str == "" || v.toNumber() && v.num.isZero()
}

// stripQuotes removes every double quote from text that both starts and
// ends with one (strip_quotes()).
func (v *value) stripQuotes() {
	if v.kind == kindNumber {
		return
	}
	s := v.str
	if s == "" || s[0] != '"' || s[len(s)-1] != '"' {
		return
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			b = append(b, s[i])
		}
	}
	v.str = string(b)
}

// text returns what ast_str_expr() prints for a final result.
func (v *value) text() string {
	if v.kind == kindNumber {
		return format80(v.num)
	}
	return v.str
}

// argNumber returns the long double a math function reads from its
// argument after to_number(), whether or not the conversion worked.
// For text Asterisk reads the union holding the string pointer as a long
// double. For an operand the scanner made (calloc'd) that is a positive
// subnormal whose digits depend on the heap address; the smallest
// positive subnormal stands in for it, which reproduces every outcome
// that does not depend on the address (COS gives 1, CEIL gives 1, FLOOR
// gives 0, ACOS gives pi/2 …). For text an operator made (make_str()
// mallocs) the exponent bits are heap leftovers too, and Asterisk's
// result is unpredictable; the same stand-in is used.
func (v *value) argNumber() float80 {
	v.toNumber()
	switch {
	case v.kind == kindNumber:
		return v.num
	case v.null:
		return float80{}
	}
	return float80{class: finite80, mant: 1, exp: minExp80}
}

// cAtoi is glibc's atoi(): (int)strtol(s, NULL, 10), so leading C-locale
// white space and a sign are accepted, the long saturates, and the cast
// keeps the low 32 bits.
func cAtoi(s string) int32 {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var n uint64
	overflow := false
	for ; i < len(s) && isDigit(s[i]); i++ {
		d := uint64(s[i] - '0')
		if n > (math.MaxUint64-d)/10 {
			overflow = true
			continue
		}
		n = n*10 + d
	}
	var l int64
	switch {
	case !neg && (overflow || n > math.MaxInt64):
		l = math.MaxInt64
	case neg && (overflow || n > 1<<63):
		l = math.MinInt64
	case neg:
		l = -int64(n)
	default:
		l = int64(n)
	}
	return int32(l)
}

// isCSpace is isspace() for a byte in the C.UTF-8 locale.
func isCSpace(c byte) bool {
	return c == ' ' || '\t' <= c && c <= '\r'
}
