package jinja

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// printf is Python's str % args.
func (r *renderer) printf(format string, args any) string {
	var list []any
	arglen, argidx := -1, -2
	if t, ok := args.(tuple); ok {
		list, arglen, argidx = t, len(t), 0
	}
	// Like Python, any right operand with __getitem__ but str and tuple
	// is a mapping for %(name)s and is not "unconverted".
	var dict any
	switch args.(type) {
	case *Dict, []any, *rangeVal, *undefined, *templateRef:
		dict = args
	}
	next := func() any {
		if argidx < arglen {
			argidx++
			if arglen < 0 {
				return args
			}
			return list[argidx-1]
		}
		raiseType("not enough arguments for format string")
		return nil
	}
	var b strings.Builder
	i := 0
	for i < len(format) {
		j := strings.IndexByte(format[i:], '%')
		if j < 0 {
			b.WriteString(format[i:])
			break
		}
		b.WriteString(format[i : i+j])
		i += j + 1
		if i >= len(format) {
			raise(valueErr("incomplete format"))
		}
		if format[i] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		var arg any
		haveArg := false
		if format[i] == '(' {
			if dict == nil {
				raiseType("format requires a mapping")
			}
			depth := 1
			k := i + 1
			for ; k < len(format) && depth > 0; k++ {
				switch format[k] {
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if depth > 0 {
				raise(valueErr("incomplete format key"))
			}
			key := format[i+1 : k-1]
			if u, ok := dict.(*undefined); ok {
				u.fail()
			}
			d, ok := dict.(*Dict)
			if !ok {
				raiseType("%s indices must be integers or slices, not str", typeName(dict))
			}
			v, found, _ := d.getKey(key)
			if !found {
				raise(&rtError{kind: "KeyError", msg: pyReprString(key)})
			}
			arg, haveArg = v, true
			i = k
			// Jinja and Python treat the mapping as consumed.
			arglen, argidx = -1, -1
		}
		var flags struct{ minus, plus, space, alt, zero bool }
	flagLoop:
		for i < len(format) {
			switch format[i] {
			case '-':
				flags.minus = true
			case '+':
				flags.plus = true
			case ' ':
				flags.space = true
			case '#':
				flags.alt = true
			case '0':
				flags.zero = true
			default:
				break flagLoop
			}
			i++
		}
		width, prec := -1, -1
		if i < len(format) && format[i] == '*' {
			w, ok := intOf(next())
			if !ok {
				raiseType("* wants int")
			}
			if w < 0 {
				flags.minus = true
				w = -w
			}
			if w > 1<<24 {
				raise(&rtError{kind: "LimitError", msg: "format width too large"})
			}
			width = int(w)
			i++
		} else {
			for i < len(format) && isDigit(format[i]) {
				width = max(width, 0)*10 + int(format[i]-'0')
				if width > 1<<24 {
					raise(&rtError{kind: "LimitError", msg: "format width too large"})
				}
				i++
			}
		}
		if i < len(format) && format[i] == '.' {
			i++
			prec = 0
			if i < len(format) && format[i] == '*' {
				p, ok := intOf(next())
				if !ok {
					raiseType("* wants int")
				}
				if p > 1<<24 {
					raise(&rtError{kind: "LimitError", msg: "format precision too large"})
				}
				prec = int(max(p, 0))
				i++
			} else {
				for i < len(format) && isDigit(format[i]) {
					prec = prec*10 + int(format[i]-'0')
					if prec > 1<<24 {
						raise(&rtError{kind: "LimitError", msg: "format precision too large"})
					}
					i++
				}
			}
		}
		for i < len(format) && (format[i] == 'h' || format[i] == 'l' || format[i] == 'L') {
			i++
		}
		if i >= len(format) {
			raise(valueErr("incomplete format"))
		}
		c, size := utf8.DecodeRuneInString(format[i:])
		i += size
		if !haveArg {
			arg = next()
		}
		var body, sign, prefix string
		numeric := false
		switch c {
		case 's', 'r', 'a':
			switch c {
			case 's':
				body = toStr(arg)
			case 'r':
				body = pyRepr(arg)
			default:
				body = pyASCII(arg)
			}
			if prec >= 0 {
				body = truncRunes(body, prec)
			}
		case 'c':
			switch x := arg.(type) {
			case string:
				if utf8.RuneCountInString(x) != 1 {
					raiseType("%%c requires an int or a unicode character, not a string of length %d", utf8.RuneCountInString(x))
				}
				body = x
			default:
				n, ok := intOf(arg)
				if !ok {
					if u, isU := arg.(*undefined); isU {
						u.fail()
					}
					raiseType("%%c requires an int or a unicode character, not %s", typeName(arg))
				}
				if n < 0 || n > 0x10ffff {
					raise(&rtError{kind: "OverflowError", msg: "%c arg not in range(0x110000)"})
				}
				body = string(rune(n))
			}
		case 'd', 'i', 'u', 'o', 'x', 'X':
			numeric = true
			v := printfInt(arg, c)
			neg := v.Sign() < 0
			base := 10
			switch c {
			case 'o':
				base = 8
			case 'x', 'X':
				base = 16
			}
			body = new(big.Int).Abs(v).Text(base)
			if c == 'X' {
				body = strings.ToUpper(body)
			}
			if prec > len(body) {
				body = strings.Repeat("0", prec-len(body)) + body
			}
			sign = signOf(neg, flags.plus, flags.space)
			if flags.alt {
				switch c {
				case 'o':
					prefix = "0o"
				case 'x':
					prefix = "0x"
				case 'X':
					prefix = "0X"
				}
			}
		case 'e', 'E', 'f', 'F', 'g', 'G':
			numeric = true
			if u, ok := arg.(*undefined); ok {
				u.fail()
			}
			if !isNumber(arg) {
				raiseType("must be real number, not %s", typeName(arg))
			}
			x := toFloat(arg)
			if prec < 0 {
				prec = 6
			}
			neg := math.Signbit(x) && !math.IsNaN(x)
			body = formatFloatC(math.Abs(x), byte(c), prec, flags.alt)
			sign = signOf(neg, flags.plus, flags.space)
			if math.IsInf(x, 0) || math.IsNaN(x) {
				flags.zero = false
			}
		default:
			raise(valueErr("unsupported format character '%c' (0x%x) at index %d", c, c, utf8.RuneCountInString(format[:i-size])))
		}
		n := utf8.RuneCountInString(sign) + utf8.RuneCountInString(prefix) + utf8.RuneCountInString(body)
		pad := 0
		if width > n {
			pad = width - n
		}
		r.allocBytes(int64(b.Len() + pad + len(body)))
		switch {
		case flags.minus:
			b.WriteString(sign + prefix + body + strings.Repeat(" ", pad))
		case flags.zero && numeric:
			b.WriteString(sign + prefix + strings.Repeat("0", pad) + body)
		default:
			b.WriteString(strings.Repeat(" ", pad) + sign + prefix + body)
		}
	}
	if argidx < arglen && dict == nil {
		raiseType("not all arguments converted during string formatting")
	}
	return r.str(b.String())
}

func signOf(neg, plus, space bool) string {
	switch {
	case neg:
		return "-"
	case plus:
		return "+"
	case space:
		return " "
	}
	return ""
}

func truncRunes(s string, n int) string {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// printfInt converts the argument of %d, %x and %o.
func printfInt(v any, c rune) *big.Int {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x)
	case bool:
		return toBig(x)
	case *big.Int:
		return x
	case float64:
		if c == 'd' || c == 'i' || c == 'u' {
			return floatToBig(x)
		}
		raiseType("%%%c format: an integer is required, not float", c)
	case *undefined:
		x.fail()
	}
	if c == 'd' || c == 'i' || c == 'u' {
		raiseType("%%%c format: a real number is required, not %s", c, typeName(v))
	}
	raiseType("%%%c format: an integer is required, not %s", c, typeName(v))
	return nil
}

// floatToBig is Python's int(float).
func floatToBig(x float64) *big.Int {
	if math.IsInf(x, 0) {
		raise(&rtError{kind: "OverflowError", msg: "cannot convert float infinity to integer"})
	}
	if math.IsNaN(x) {
		raise(valueErr("cannot convert float NaN to integer"))
	}
	b, _ := new(big.Float).SetFloat64(math.Trunc(x)).Int(nil)
	return b
}

// formatFloatC formats a non-negative float like C's printf with the
// conversions e, E, f, F, g, G (Python's %-formatting and format()).
func formatFloatC(x float64, c byte, prec int, alt bool) string {
	upper := c == 'E' || c == 'F' || c == 'G'
	if math.IsInf(x, 0) || math.IsNaN(x) {
		s := "inf"
		if math.IsNaN(x) {
			s = "nan"
		}
		if upper {
			s = strings.ToUpper(s)
		}
		return s
	}
	var s string
	switch c {
	case 'e', 'E':
		s = strconv.FormatFloat(x, 'e', prec, 64)
		if alt && prec == 0 {
			k := strings.IndexByte(s, 'e')
			s = s[:k] + "." + s[k:]
		}
	case 'f', 'F':
		s = strconv.FormatFloat(x, 'f', prec, 64)
		if alt && prec == 0 {
			s += "."
		}
	case 'g', 'G':
		if prec == 0 {
			prec = 1
		}
		e := strconv.FormatFloat(x, 'e', prec-1, 64)
		k := strings.IndexByte(e, 'e')
		exp, _ := strconv.Atoi(e[k+1:])
		if exp < -4 || exp >= prec {
			mant := e[:k]
			if !alt {
				mant = trimZeros(mant)
			} else if !strings.Contains(mant, ".") {
				mant += "."
			}
			s = mant + e[k:]
		} else {
			s = strconv.FormatFloat(x, 'f', prec-1-exp, 64)
			if !alt {
				s = trimZeros(s)
			} else if !strings.Contains(s, ".") {
				s += "."
			}
		}
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return s
}

// trimZeros removes trailing zeros after a decimal point, and the point.
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
