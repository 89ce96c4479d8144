package funcs

import (
	"errors"
	"math"
	"strconv"
)

// The scanners in this file reproduce single glibc sscanf conversions, as
// the C functions use them: "%30d", "%2d", "%2x", "%30lf", "%30Lf". Each
// returns sscanf's status for that conversion: 1 when it converted, 0 on a
// matching failure, and -1 (EOF) when the input ended before anything but
// white space.

// Conversion statuses.
const (
	scanEOF   = -1
	scanFail  = 0
	scanMatch = 1
)

// skipSpace drops leading C white space.
func skipSpace(s string) string {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return s[i:]
}

// scanInt is one "%<width>d" conversion: white space is skipped (it does
// not count towards width), then at most width characters of an optionally
// signed decimal number are read. As in glibc the value saturates at the
// limits of a C long and is then truncated to a C int.
func scanInt(s string, width int) (v int32, rest string, status int) {
	s = skipSpace(s)
	if s == "" {
		return 0, s, scanEOF
	}
	limit := min(width, len(s))
	i := 0
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		i++
	}
	start := i
	var mag uint64
	overflow := false
	for i < limit && isDigit(s[i]) {
		d := uint64(s[i] - '0')
		if !overflow {
			if mag > (math.MaxInt64-d)/10 {
				overflow = true
			} else {
				mag = mag*10 + d
			}
		}
		i++
	}
	if i == start {
		return 0, s, scanFail
	}
	return cLongToInt(mag, neg, overflow), s[i:], scanMatch
}

// cLongToInt saturates a magnitude to a C long and truncates it to an int,
// as strtol followed by an int assignment does.
func cLongToInt(mag uint64, neg, overflow bool) int32 {
	var l int64
	switch {
	case overflow && neg:
		l = math.MinInt64
	case overflow:
		l = math.MaxInt64
	case neg:
		l = -int64(mag)
	default:
		l = int64(mag)
	}
	return int32(l)
}

// atoi is glibc's atoi: strtol(s, NULL, 10) truncated to an int, 0 when s
// holds no number.
func atoi(s string) int32 {
	v, _, st := scanInt(s, math.MaxInt)
	if st != scanMatch {
		return 0
	}
	return v
}

// scanHex2 is one "%2x" conversion (used by ast_uri_decode): white space is
// skipped, then at most two characters are read: an optional sign, an
// optional "0x" prefix and hexadecimal digits. A prefix "0x" with no digit
// after it still reads as 0.
func scanHex2(s string) (v uint32, rest string, status int) {
	s = skipSpace(s)
	if s == "" {
		return 0, s, scanEOF
	}
	limit := min(2, len(s))
	i := 0
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		i++
	}
	digits := 0
	if i < limit && s[i] == '0' {
		i++
		digits++
		if i < limit && (s[i] == 'x' || s[i] == 'X') {
			i++
		}
	}
	for i < limit && isHexDigit(s[i]) {
		v = v<<4 | uint32(hexValue(s[i]))
		i++
		digits++
	}
	if digits == 0 {
		return 0, s, scanFail
	}
	if neg {
		v = -v
	}
	return v, s[i:], scanMatch
}

// scanFloat is the scanning half of one "%<width>lf" (or "%<width>Lf")
// conversion: white space is skipped, then at most width characters that
// can form a number are collected following glibc's rules (a sign, "nan",
// "inf" or "infinity", a decimal or "0x" hexadecimal mantissa with one
// point, an exponent marker only after a digit, a sign only right after the
// exponent marker). It returns the collected text, which the caller
// converts with cFloat or cLongDouble (strtod on that text), and the
// status; a collection strtod cannot convert is a matching failure.
func scanFloat(s string, width int) (num, rest string, status int) {
	s = skipSpace(s)
	if s == "" {
		return "", s, scanEOF
	}
	limit := min(width, len(s))
	i := 0
	signLen := 0
	if s[0] == '+' || s[0] == '-' {
		i, signLen = 1, 1
		if i >= limit {
			return "", s, scanFail
		}
	}
	// "nan", "inf" and "infinity", case-insensitively.
	if toLower(s[i]) == 'n' {
		if i+3 <= limit && hasPrefixFold(s[i:], "nan") {
			return s[:i+3], s[i+3:], scanMatch
		}
		return "", s, scanFail
	}
	if toLower(s[i]) == 'i' {
		if !(i+3 <= limit && hasPrefixFold(s[i:], "inf")) {
			return "", s, scanFail
		}
		j := i + 3
		if j < limit && toLower(s[j]) == 'i' {
			if !(i+8 <= limit && hasPrefixFold(s[i:], "infinity")) {
				return "", s, scanFail
			}
			j = i + 8
		}
		return s[:j], s[j:], scanMatch
	}
	hex := false
	gotDigit, gotDot, gotExp := false, false, false
	expChar := byte('e')
	if s[i] == '0' {
		i++
		if i < limit && toLower(s[i]) == 'x' {
			hex, expChar = true, 'p'
			i++
		} else {
			gotDigit = true
		}
	}
	for i < limit {
		c := s[i]
		switch {
		case isDigit(c), !gotExp && hex && isHexDigit(c):
			gotDigit = true
		case gotExp && toLower(s[i-1]) == expChar && (c == '+' || c == '-'):
		case gotDigit && !gotExp && toLower(c) == expChar:
			gotExp, gotDot = true, true
		case !gotDot && c == '.':
			gotDot = true
		default:
			goto done
		}
		i++
	}
done:
	if i == signLen || (hex && i == signLen+2) {
		return "", s, scanFail
	}
	if _, ok := floatPrefix(s[:i]); !ok {
		return "", s, scanFail
	}
	return s[:i], s[i:], scanMatch
}

// floatNumber is the longest prefix of a collected number that strtod
// accepts, taken apart.
type floatNumber struct {
	neg      bool
	inf, nan bool
	hex      bool
	mant     string // digits with at most one '.', at least one digit
	exp      string // the exponent's optional sign and digits, or ""
}

// floatPrefix finds the longest prefix of s strtod converts.
func floatPrefix(s string) (floatNumber, bool) {
	var f floatNumber
	if s != "" && (s[0] == '+' || s[0] == '-') {
		f.neg = s[0] == '-'
		s = s[1:]
	}
	switch {
	case hasPrefixFold(s, "nan"):
		f.nan = true
		return f, true
	case hasPrefixFold(s, "inf"):
		f.inf = true
		return f, true
	}
	if len(s) > 2 && s[0] == '0' && toLower(s[1]) == 'x' {
		if m := mantissaLen(s[2:], true); m > 0 {
			f.hex = true
			f.mant = s[2 : 2+m]
			f.exp = exponent(s[2+m:], 'p')
			return f, true
		}
		// "0x" without digits: strtod reads the "0".
		f.mant = "0"
		return f, true
	}
	m := mantissaLen(s, false)
	if m == 0 {
		return f, false
	}
	f.mant = s[:m]
	f.exp = exponent(s[m:], 'e')
	return f, true
}

// mantissaLen is the length of the digits-and-point prefix of s, or 0 when
// that prefix holds no digit.
func mantissaLen(s string, hex bool) int {
	i, digits := 0, 0
	dot := false
	for i < len(s) {
		c := s[i]
		switch {
		case isDigit(c) || (hex && isHexDigit(c)):
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return mantLenResult(i, digits)
		}
		i++
	}
	return mantLenResult(i, digits)
}

func mantLenResult(n, digits int) int {
	if digits == 0 {
		return 0
	}
	return n
}

// exponent returns the signed digits of an exponent introduced by marker
// at the start of s, or "" when s does not start with a complete one.
func exponent(s string, marker byte) string {
	if s == "" || toLower(s[0]) != marker {
		return ""
	}
	j := 1
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	k := j
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	if k == j {
		return ""
	}
	return s[1:k]
}

// cFloat converts text collected by scanFloat as strtod does, to a double.
func cFloat(num string) float64 {
	f, ok := floatPrefix(num)
	if !ok {
		return 0
	}
	var v float64
	switch {
	case f.nan:
		v = math.Float64frombits(0x7ff8000000000000) // glibc's quiet NaN
	case f.inf:
		v = math.Inf(1)
	default:
		v = parseMantissa(f)
	}
	if f.neg {
		v = math.Copysign(v, -1)
	}
	return v
}

// parseMantissa converts a finite floatNumber's magnitude, correctly
// rounded as glibc's strtod does.
func parseMantissa(f floatNumber) float64 {
	text := f.mant
	if f.hex {
		exp := f.exp
		if exp == "" {
			exp = "0"
		}
		text = "0x" + text + "p" + exp
	} else if f.exp != "" {
		text += "e" + f.exp
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0
	}
	return v
}
