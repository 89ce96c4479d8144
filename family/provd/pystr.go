package provd

import (
	"math"
	"strconv"
	"strings"
)

// Str is Python's str() of a Dict value, what an f-string or str.format
// writes: None, True/False, integers in decimal, floats as repr does,
// strings as they are, dicts and lists as their repr.
func Str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return Repr(v)
}

// Repr is Python's repr() of a Dict value.
func Repr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case float64:
		return floatRepr(v)
	case string:
		return strRepr(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = Repr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *Dict:
		parts := make([]string, 0, v.Len())
		for _, k := range v.Keys() {
			val, _ := v.Get(k)
			parts = append(parts, Repr(k)+": "+Repr(val))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "<?>"
}

// floatRepr is Python's repr of a float: the shortest digits that read
// back, positional for exponents from -4 to 15, ".0" on integral values.
func floatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	if exp < -4 || exp >= 16 {
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return mant + "e" + sign + leftPad(strconv.Itoa(exp), 2)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// strRepr is Python's repr of a str: single quotes unless the string has
// a single quote and no double quote, escapes for the quote, backslash
// and control characters.
func strRepr(s string) string {
	q := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x` + leftPad(strconv.FormatInt(int64(r), 16), 2))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
