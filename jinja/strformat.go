package jinja

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// strFormat is Python's str.format().
func (r *renderer) strFormat(f string, args []any, kw *kwargs) string {
	auto := 0
	mode := 0 // 0 unknown, 1 automatic, 2 manual
	return r.strFormatDepth(f, args, kw, &auto, &mode, 2)
}

func (r *renderer) strFormatDepth(f string, args []any, kw *kwargs, auto, mode *int, depth int) string {
	if depth < 0 {
		raise(valueErr("Max string recursion exceeded"))
	}
	var b strings.Builder
	for i := 0; i < len(f); {
		c := f[i]
		switch c {
		case '{':
			if i+1 < len(f) && f[i+1] == '{' {
				b.WriteByte('{')
				i += 2
				continue
			}
			// find the matching close brace
			level := 1
			j := i + 1
			for ; j < len(f); j++ {
				if f[j] == '{' {
					level++
				} else if f[j] == '}' {
					level--
					if level == 0 {
						break
					}
				}
			}
			if j >= len(f) {
				raise(valueErr("expected '}' before end of string"))
			}
			b.WriteString(r.formatField(f[i+1:j], args, kw, auto, mode, depth))
			r.allocBytes(int64(b.Len()))
			i = j + 1
		case '}':
			if i+1 < len(f) && f[i+1] == '}' {
				b.WriteByte('}')
				i += 2
				continue
			}
			raise(valueErr("Single '}' encountered in format string"))
		default:
			j := strings.IndexAny(f[i:], "{}")
			if j < 0 {
				j = len(f) - i
			}
			b.WriteString(f[i : i+j])
			i += j
		}
	}
	return r.str(b.String())
}

func (r *renderer) formatField(field string, args []any, kw *kwargs, auto, mode *int, depth int) string {
	// split off the conversion and the format spec
	name, conv, spec := field, "", ""
	bracket := false
	for k := 0; k < len(field); k++ {
		ch := field[k]
		if ch == '[' {
			bracket = true
		} else if ch == ']' {
			bracket = false
		} else if !bracket && (ch == '!' || ch == ':') {
			name = field[:k]
			rest := field[k:]
			if ch == '!' {
				if len(rest) < 2 {
					raise(valueErr("end of string while looking for conversion specifier"))
				}
				conv = rest[1:2]
				rest = rest[2:]
				if rest != "" && rest[0] != ':' {
					raise(valueErr("expected ':' after conversion specifier"))
				}
			}
			if rest != "" {
				spec = rest[1:]
			}
			break
		}
	}
	// the first part of the name: index or keyword
	end := strings.IndexAny(name, ".[")
	if end < 0 {
		end = len(name)
	}
	first := name[:end]
	var v any
	if first == "" {
		if *mode == 2 {
			raise(valueErr("cannot switch from manual field specification to automatic field numbering"))
		}
		*mode = 1
		if *auto >= len(args) {
			raise(&rtError{kind: "IndexError", msg: "Replacement index " + strconv.Itoa(*auto) + " out of range for positional args tuple"})
		}
		v = args[*auto]
		*auto++
	} else if n, err := strconv.Atoi(first); err == nil && isAllDigits(first) {
		if *mode == 1 {
			raise(valueErr("cannot switch from automatic field numbering to manual field specification"))
		}
		*mode = 2
		if n >= len(args) {
			raise(&rtError{kind: "IndexError", msg: "Replacement index " + strconv.Itoa(n) + " out of range for positional args tuple"})
		}
		v = args[n]
	} else {
		found := false
		if kw != nil {
			for i, k := range kw.keys {
				if k == first {
					v, found = kw.vals[i], true
				}
			}
		}
		if !found {
			raise(&rtError{kind: "KeyError", msg: pyReprString(first)})
		}
	}
	// attribute and index accessors
	rest := name[end:]
	for rest != "" {
		switch rest[0] {
		case '.':
			k := strings.IndexAny(rest[1:], ".[")
			if k < 0 {
				k = len(rest) - 1
			}
			attr := rest[1 : 1+k]
			if attr == "" {
				raise(valueErr("Empty attribute in format string"))
			}
			if u, ok := v.(*undefined); ok {
				u.fail()
			}
			a, ok := r.attribute(v, attr)
			if !ok {
				raise(&rtError{kind: "AttributeError", msg: "'" + typeName(v) + "' object has no attribute " + pyReprString(attr)})
			}
			v = a
			rest = rest[1+k:]
		case '[':
			k := strings.IndexByte(rest, ']')
			if k < 0 {
				raise(valueErr("Missing ']' in format string"))
			}
			key := rest[1:k]
			var kv any = key
			if isAllDigits(key) && key != "" {
				n, _ := strconv.ParseInt(key, 10, 64)
				kv = n
			}
			if u, ok := v.(*undefined); ok {
				u.fail()
			}
			x, ok := r.item(v, kv)
			if !ok {
				raise(&rtError{kind: "KeyError", msg: pyRepr(kv)})
			}
			v = x
			rest = rest[k+1:]
		default:
			raise(valueErr("Only '.' or '[' may follow ']' in format field specifier"))
		}
	}
	switch conv {
	case "":
	case "r":
		v = pyRepr(v)
	case "s":
		v = toStr(v)
	case "a":
		v = pyASCII(v)
	default:
		raise(valueErr("Unknown conversion specifier %s", conv))
	}
	if strings.ContainsAny(spec, "{}") {
		spec = r.strFormatDepth(spec, args, kw, auto, mode, depth-1)
	}
	return r.formatValue(v, spec)
}

func isAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// fmtSpec is a parsed format specification.
type fmtSpec struct {
	fill      rune
	align     byte
	sign      byte
	z         bool
	alt       bool
	zero      bool
	width     int
	grouping  byte
	prec      int
	typ       byte
	fillGiven bool
}

func parseSpec(spec string) fmtSpec {
	s := fmtSpec{fill: ' ', width: -1, prec: -1}
	i := 0
	if r0, n := utf8.DecodeRuneInString(spec); n > 0 && n < len(spec) && strings.IndexByte("<>=^", spec[n]) >= 0 {
		s.fill, s.fillGiven, s.align = r0, true, spec[n]
		i = n + 1
	} else if len(spec) > 0 && strings.IndexByte("<>=^", spec[0]) >= 0 {
		s.align = spec[0]
		i = 1
	}
	if i < len(spec) && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ') {
		s.sign = spec[i]
		i++
	}
	if i < len(spec) && spec[i] == 'z' {
		s.z = true
		i++
	}
	if i < len(spec) && spec[i] == '#' {
		s.alt = true
		i++
	}
	if i < len(spec) && spec[i] == '0' {
		s.zero = true
		i++
	}
	start := i
	for i < len(spec) && isDigit(spec[i]) {
		i++
	}
	if i > start {
		w, err := strconv.Atoi(spec[start:i])
		if err != nil || w > 1<<24 {
			raise(&rtError{kind: "LimitError", msg: "format width too large"})
		}
		s.width = w
	}
	if i < len(spec) && (spec[i] == ',' || spec[i] == '_') {
		s.grouping = spec[i]
		i++
		if i < len(spec) && (spec[i] == ',' || spec[i] == '_') {
			raise(valueErr("Cannot specify both ',' and '_'."))
		}
	}
	if i < len(spec) && spec[i] == '.' {
		i++
		start = i
		for i < len(spec) && isDigit(spec[i]) {
			i++
		}
		if i == start {
			raise(valueErr("Format specifier missing precision"))
		}
		p, err := strconv.Atoi(spec[start:i])
		if err != nil || p > 1<<24 {
			raise(&rtError{kind: "LimitError", msg: "format precision too large"})
		}
		s.prec = p
	}
	if len(spec)-i > 1 {
		raise(valueErr("Invalid format specifier '%s' for object of type", spec))
	}
	if i < len(spec) {
		s.typ = spec[i]
	}
	if s.zero && !s.fillGiven {
		s.fill = '0'
		if s.align == 0 {
			s.align = '='
		}
	}
	return s
}

// formatValue is Python's format(value, spec).
func (r *renderer) formatValue(v any, spec string) string {
	if spec == "" {
		switch v.(type) {
		case string, markup, nil, bool, int64, *big.Int, float64:
		default:
			if u, ok := v.(*undefined); ok {
				_ = u
				return ""
			}
		}
		return r.str(toStr(v))
	}
	s := parseSpec(spec)
	switch x := v.(type) {
	case string:
		return r.formatStr(x, s, spec)
	case markup:
		return r.formatStr(string(x), s, spec)
	case bool, int64, *big.Int:
		return r.formatInt(v, s, spec)
	case float64:
		return r.formatFloat(x, s, spec)
	}
	raiseType("unsupported format string passed to %s.__format__", typeName(v))
	return ""
}

func (r *renderer) align(body string, s fmtSpec, def byte, signPrefix string) string {
	n := utf8.RuneCountInString(body) + utf8.RuneCountInString(signPrefix)
	if s.width <= n {
		return signPrefix + body
	}
	pad := s.width - n
	r.allocBytes(int64(pad*utf8.RuneLen(s.fill) + len(body)))
	fill := string(s.fill)
	align := s.align
	if align == 0 {
		align = def
	}
	switch align {
	case '<':
		return signPrefix + body + strings.Repeat(fill, pad)
	case '^':
		left := pad / 2
		return strings.Repeat(fill, left) + signPrefix + body + strings.Repeat(fill, pad-left)
	case '=':
		return signPrefix + strings.Repeat(fill, pad) + body
	}
	return strings.Repeat(fill, pad) + signPrefix + body
}

func (r *renderer) formatStr(x string, s fmtSpec, spec string) string {
	if s.typ != 0 && s.typ != 's' {
		raise(valueErr("Unknown format code '%c' for object of type 'str'", s.typ))
	}
	if s.sign != 0 {
		raise(valueErr("Sign not allowed in string format specifier"))
	}
	if s.alt {
		raise(valueErr("Alternate form (#) not allowed in string format specifier"))
	}
	if s.z {
		raise(valueErr("Negative zero coercion (z) not allowed in format specifier"))
	}
	if s.grouping != 0 {
		raise(valueErr("Cannot specify '%c' with 's'.", s.grouping))
	}
	if s.align == '=' {
		if s.zero && !s.fillGiven {
			s.align = 0
		} else {
			raise(valueErr("'=' alignment not allowed in string format specifier"))
		}
	}
	if s.prec >= 0 {
		x = truncRunes(x, s.prec)
	}
	return r.align(x, s, '<', "")
}

func signStr(neg bool, sign byte) string {
	switch {
	case neg:
		return "-"
	case sign == '+':
		return "+"
	case sign == ' ':
		return " "
	}
	return ""
}

// group inserts sep every n digits from the right.
func group(digits string, sep byte, n int) string {
	if len(digits) <= n {
		return digits
	}
	var b strings.Builder
	first := len(digits) % n
	if first == 0 {
		first = n
	}
	b.WriteString(digits[:first])
	for i := first; i < len(digits); i += n {
		b.WriteByte(sep)
		b.WriteString(digits[i : i+n])
	}
	return b.String()
}

// zeroGroup pads digits with zeros, keeping the grouping, to at least
// width characters (format's "0" flag with a thousands separator).
func zeroGroup(digits string, sep byte, n, width int) string {
	g := group(digits, sep, n)
	for len(g) < width {
		digits = "0" + digits
		g = group(digits, sep, n)
	}
	return g
}

func (r *renderer) formatInt(v any, s fmtSpec, spec string) string {
	switch s.typ {
	case 'e', 'E', 'f', 'F', 'g', 'G', '%':
		return r.formatFloat(toFloat(v), s, spec)
	case 0, 'd', 'n', 'b', 'o', 'x', 'X', 'c':
	default:
		raise(valueErr("Unknown format code '%c' for object of type '%s'", s.typ, typeName(v)))
	}
	if s.prec >= 0 {
		raise(valueErr("Precision not allowed in integer format specifier"))
	}
	if s.z {
		raise(valueErr("Negative zero coercion (z) not allowed in integer format specifier"))
	}
	b := toBig(v)
	if s.typ == 'c' {
		if s.sign != 0 {
			raise(valueErr("Sign not allowed with integer format specifier 'c'"))
		}
		if s.alt {
			raise(valueErr("Alternate form (#) not allowed with integer format specifier 'c'"))
		}
		if !b.IsInt64() || b.Int64() < 0 || b.Int64() > 0x10ffff {
			raise(&rtError{kind: "OverflowError", msg: "%c arg not in range(0x110000)"})
		}
		return r.align(string(rune(b.Int64())), s, '>', "")
	}
	base, prefix, every := 10, "", 3
	switch s.typ {
	case 'b':
		base, prefix, every = 2, "0b", 4
	case 'o':
		base, prefix, every = 8, "0o", 4
	case 'x':
		base, prefix, every = 16, "0x", 4
	case 'X':
		base, prefix, every = 16, "0X", 4
	case 'n':
		if s.grouping != 0 {
			raise(valueErr("Cannot specify '%c' with 'n'.", s.grouping))
		}
	}
	if s.grouping == ',' && base != 10 {
		raise(valueErr("Cannot specify ',' with '%c'.", s.typ))
	}
	if !s.alt {
		prefix = ""
	}
	digits := new(big.Int).Abs(b).Text(base)
	if s.typ == 'X' {
		digits = strings.ToUpper(digits)
	}
	sp := signStr(b.Sign() < 0, s.sign) + prefix
	if s.grouping != 0 {
		if s.fill == '0' && s.align == '=' {
			digits = zeroGroup(digits, s.grouping, every, s.width-len(sp))
		} else {
			digits = group(digits, s.grouping, every)
		}
	}
	return r.align(digits, s, '>', sp)
}

func (r *renderer) formatFloat(x float64, s fmtSpec, spec string) string {
	typ := s.typ
	switch typ {
	case 0, 'e', 'E', 'f', 'F', 'g', 'G', '%', 'n':
	default:
		raise(valueErr("Unknown format code '%c' for object of type 'float'", typ))
	}
	if typ == 'n' && s.grouping != 0 {
		raise(valueErr("Cannot specify '%c' with 'n'.", s.grouping))
	}
	prec := s.prec
	addDot0 := false
	reprMode := false
	if typ == 0 {
		addDot0 = true
		if prec < 0 {
			reprMode = true
		} else {
			typ = 'g'
		}
	}
	if typ == 'n' {
		typ = 'g'
	}
	pct := false
	if typ == '%' {
		typ = 'f'
		x *= 100
		pct = true
	}
	if prec < 0 {
		prec = 6
	}
	neg := math.Signbit(x) && !math.IsNaN(x)
	var body string
	if reprMode {
		body = floatRepr(math.Abs(x))
	} else if addDot0 {
		body = formatFloatNoType(math.Abs(x), prec, s.alt)
	} else {
		body = formatFloatC(math.Abs(x), typ, prec, s.alt)
		if addDot0 && !strings.ContainsAny(body, ".eEn") && !strings.Contains(body, "inf") && !strings.Contains(body, "INF") {
			body += ".0"
		}
	}
	if s.z && neg && strings.Trim(body, "0.") == "" {
		neg = false
	}
	if pct {
		body += "%"
	}
	if s.grouping != 0 && !math.IsInf(x, 0) && !math.IsNaN(x) {
		intPart := body
		rest := ""
		if k := strings.IndexAny(body, ".eE%"); k >= 0 {
			intPart, rest = body[:k], body[k:]
		}
		sp := signStr(neg, s.sign)
		if s.fill == '0' && s.align == '=' {
			intPart = zeroGroup(intPart, s.grouping, 3, s.width-len(sp)-len(rest))
		} else {
			intPart = group(intPart, s.grouping, 3)
		}
		body = intPart + rest
	}
	return r.align(body, s, '>', signStr(neg, s.sign))
}

// formatFloatNoType formats a float for a format spec with a precision but
// no type: like 'g', but scientific from exponent precision-1 on and with
// at least one digit after the decimal point.
func formatFloatNoType(x float64, prec int, alt bool) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return formatFloatC(x, 'g', prec, alt)
	}
	if prec == 0 {
		prec = 1
	}
	e := strconv.FormatFloat(x, 'e', prec-1, 64)
	k := strings.IndexByte(e, 'e')
	exp, _ := strconv.Atoi(e[k+1:])
	if exp < -4 || exp >= prec-1 {
		mant := e[:k]
		if !alt {
			mant = trimZeros(mant)
		}
		return mant + e[k:]
	}
	s := strconv.FormatFloat(x, 'f', prec-1-exp, 64)
	if !alt {
		s = trimZeros(s)
	}
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
