package funcs

import (
	"math"
	"strconv"
	"strings"
)

// printfSpec is one parsed printf conversion specification: the subset of
// glibc's grammar that SPRINTF lets through (flags, a decimal width, a
// decimal precision, a length modifier, the conversion).
type printfSpec struct {
	minus, plus, space, zero, hash bool
	width                          int // -1: none
	prec                           int // -1: none
	length                         string
	verb                           byte
}

// maxField bounds widths and precisions: every caller keeps at most a
// 4096-byte buffer, so anything wider only changes bytes that are cut.
const maxField = 8192

// parsePrintfSpec parses "%[flags][width][.prec][length]verb". The text
// must be a complete specification.
func parsePrintfSpec(s string) printfSpec {
	sp := printfSpec{width: -1, prec: -1}
	i := 1 // skip '%'
flags:
	for ; i < len(s); i++ {
		switch s[i] {
		case '-':
			sp.minus = true
		case '+':
			sp.plus = true
		case ' ':
			sp.space = true
		case '0':
			sp.zero = true
		case '#':
			sp.hash = true
		case '\'', 'I': // grouping and locale digits: no effect in the C locale
		default:
			break flags
		}
	}
	if i < len(s) && isDigit(s[i]) {
		sp.width, i = readField(s, i)
	}
	if i < len(s) && s[i] == '.' {
		sp.prec, i = readField(s, i+1)
	}
	sp.verb = s[len(s)-1]
	sp.length = s[i : len(s)-1]
	return sp
}

// readField reads decimal digits at s[i:], saturating at maxField.
func readField(s string, i int) (int, int) {
	v := 0
	for i < len(s) && isDigit(s[i]) {
		v = min(v*10+int(s[i]-'0'), maxField)
		i++
	}
	return v, i
}

// pad applies the field width: spaces on the left, or on the right with
// '-', or zeros between prefix and digits when zeroOK and '0' is set.
func (sp printfSpec) pad(prefix, body string, zeroOK bool) string {
	n := len(prefix) + len(body)
	if sp.width <= n {
		return prefix + body
	}
	fill := sp.width - n
	switch {
	case sp.minus:
		return prefix + body + strings.Repeat(" ", fill)
	case sp.zero && zeroOK:
		return prefix + strings.Repeat("0", fill) + body
	default:
		return strings.Repeat(" ", fill) + prefix + body
	}
}

// formatInt formats the C int v, passed as a variadic argument, for an
// integer or character conversion (d i o u x X c). The length modifier
// selects how glibc reads it back: hh and h narrow it; l, ll, L, q, j, z
// and t read a 64-bit register in which the 32-bit int was zero-extended.
func formatInt(sp printfSpec, v int32) string {
	if sp.verb == 'c' {
		if sp.length != "" && sp.length != "h" && sp.length != "hh" {
			// A wide character (every 64-bit modifier sets glibc's
			// is_long): the C locale converts only ASCII, and glibc
			// abandons the output on anything else.
			if v < 0 || v > 127 {
				return ""
			}
		}
		return sp.pad("", string([]byte{byte(v)}), false)
	}
	signed := sp.verb == 'd' || sp.verb == 'i'
	var neg bool
	var mag uint64
	switch sp.length {
	case "hh":
		if signed {
			neg, mag = splitSigned(int64(int8(v)))
		} else {
			mag = uint64(uint8(v))
		}
	case "h":
		if signed {
			neg, mag = splitSigned(int64(int16(v)))
		} else {
			mag = uint64(uint16(v))
		}
	case "":
		if signed {
			neg, mag = splitSigned(int64(v))
		} else {
			mag = uint64(uint32(v))
		}
	default:
		mag = uint64(uint32(v))
	}
	base := 10
	switch sp.verb {
	case 'o':
		base = 8
	case 'x', 'X':
		base = 16
	}
	digits := strconv.FormatUint(mag, base)
	if sp.verb == 'X' {
		digits = strings.ToUpper(digits)
	}
	if sp.prec == 0 && mag == 0 {
		digits = ""
	}
	if len(digits) < sp.prec {
		digits = strings.Repeat("0", sp.prec-len(digits)) + digits
	}
	prefix := ""
	switch {
	case neg:
		prefix = "-"
	case signed && sp.plus:
		prefix = "+"
	case signed && sp.space:
		prefix = " "
	}
	if sp.hash {
		switch {
		case sp.verb == 'o' && !strings.HasPrefix(digits, "0"):
			digits = "0" + digits
		case sp.verb == 'x' && mag != 0:
			prefix = "0x"
		case sp.verb == 'X' && mag != 0:
			prefix = "0X"
		}
	}
	return sp.pad(prefix, digits, sp.prec < 0)
}

func splitSigned(v int64) (bool, uint64) {
	if v < 0 {
		return true, uint64(-v)
	}
	return false, uint64(v)
}

// formatString formats a %s conversion. A missing argument (C's NULL)
// prints glibc's "(null)", or nothing when the precision is below 6.
func formatString(sp printfSpec, s string, missing bool) string {
	if missing {
		if sp.prec >= 0 && sp.prec < 6 {
			s = ""
		} else {
			s = "(null)"
		}
	}
	if sp.prec >= 0 && len(s) > sp.prec {
		s = s[:sp.prec]
	}
	return sp.pad("", s, false)
}

// formatFloat formats a double for e E f F g G a A the way glibc's printf
// does in the C locale.
func formatFloat(sp printfSpec, v float64) string {
	upper := sp.verb == 'E' || sp.verb == 'F' || sp.verb == 'G' || sp.verb == 'A'
	prefix := ""
	switch {
	case math.Signbit(v):
		prefix = "-"
	case sp.plus:
		prefix = "+"
	case sp.space:
		prefix = " "
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		body := "inf"
		if math.IsNaN(v) {
			body = "nan"
		}
		if upper {
			body = strings.ToUpper(body)
		}
		return sp.pad(prefix, body, false)
	}
	v = math.Abs(v)
	var body string
	switch toLower(sp.verb) {
	case 'f':
		body = formatFixed(v, precOr(sp.prec, 6), sp.hash)
	case 'e':
		body = formatExp(v, precOr(sp.prec, 6), sp.hash)
	case 'g':
		body = formatGeneral(v, sp.prec, sp.hash)
	case 'a':
		var hexPrefix string
		hexPrefix, body = formatHexFloat(v, sp.prec, sp.hash)
		prefix += hexPrefix
	}
	if upper {
		prefix, body = strings.ToUpper(prefix), strings.ToUpper(body)
	}
	return sp.pad(prefix, body, true)
}

func precOr(prec, def int) int {
	if prec < 0 {
		return def
	}
	return prec
}

// formatFixed is %f of a non-negative finite v.
func formatFixed(v float64, prec int, hash bool) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if hash && prec == 0 {
		s += "."
	}
	return s
}

// formatExp is %e of a non-negative finite v; the exponent has at least
// two digits, as Go's and C's both do.
func formatExp(v float64, prec int, hash bool) string {
	s := strconv.FormatFloat(v, 'e', prec, 64)
	if hash && prec == 0 {
		i := strings.IndexByte(s, 'e')
		s = s[:i] + "." + s[i:]
	}
	return s
}

// formatGeneral is %g of a non-negative finite v: %e or %f depending on
// the decimal exponent, then trailing zeros removed unless '#'.
func formatGeneral(v float64, prec int, hash bool) string {
	p := precOr(prec, 6)
	if p == 0 {
		p = 1
	}
	e := strconv.FormatFloat(v, 'e', p-1, 64)
	x, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	var s string
	if x < p && x >= -4 {
		s = formatFixed(v, p-1-x, hash)
	} else {
		s = formatExp(v, p-1, hash)
	}
	if hash {
		return s
	}
	mant, exp := s, ""
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		mant, exp = s[:i], s[i:]
	}
	if strings.IndexByte(mant, '.') >= 0 {
		mant = strings.TrimRight(mant, "0")
		mant = strings.TrimSuffix(mant, ".")
	}
	return mant + exp
}

// formatHexFloat is %a of a non-negative finite v, as glibc prints it:
// "0x1.<hex>p<exp>" for normal numbers, "0x0.<hex>p-1022" for subnormal
// ones, "0x0p+0" for zero; without a precision the digits are exact with
// trailing zeros dropped, with one they are rounded to nearest, ties to
// even. It returns the "0x" prefix and the rest separately, for padding.
func formatHexFloat(v float64, prec int, hash bool) (string, string) {
	bits := math.Float64bits(v)
	frac := bits & (1<<52 - 1)
	biased := int(bits >> 52 & 0x7ff)
	lead := uint64(1)
	exp := biased - 1023
	switch {
	case biased == 0 && frac == 0:
		lead, exp = 0, 0
	case biased == 0:
		lead, exp = 0, -1022
	}
	digits := 13
	if prec >= 0 && prec < 13 {
		shift := uint(4 * (13 - prec))
		rest := frac & (1<<shift - 1)
		frac >>= shift
		half := uint64(1) << (shift - 1)
		odd := frac&1 == 1
		if prec == 0 {
			odd = lead&1 == 1
		}
		if rest > half || (rest == half && odd) {
			frac++
			if frac>>(4*prec) != 0 { // carried into the leading digit
				frac &= 1<<(4*prec) - 1
				lead++
			}
		}
		digits = prec
	}
	hexDigits := ""
	if digits > 0 {
		hexDigits = strconv.FormatUint(frac, 16)
		hexDigits = strings.Repeat("0", digits-len(hexDigits)) + hexDigits
	}
	if prec < 0 {
		hexDigits = strings.TrimRight(hexDigits, "0")
	} else if prec > 13 {
		hexDigits += strings.Repeat("0", prec-13)
	}
	body := strconv.FormatUint(lead, 16)
	if hexDigits != "" || hash {
		body += "." + hexDigits
	}
	sign := "+"
	if exp < 0 {
		sign, exp = "-", -exp
	}
	return "0x", body + "p" + sign + strconv.Itoa(exp)
}
