package jinja

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// typeName returns the Python type name of v.
func typeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64, *big.Int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case markup:
		return "Markup"
	case []any:
		return "list"
	case tuple:
		return "tuple"
	case *Dict:
		return "dict"
	case *undefined:
		return "Undefined"
	case *macro:
		return "Macro"
	case *rangeVal:
		return "range"
	case *dictView:
		return "dict_" + x.kind
	case *loopCtx:
		return "LoopContext"
	case *namespace:
		return "Namespace"
	case *builtinFunc, *boundMethod:
		return "builtin_function_or_method"
	case *blockRef:
		return "BlockReference"
	case *templateRef:
		return "TemplateReference"
	case *module:
		return "TemplateModule"
	case *cycler:
		return "Cycler"
	case *joiner:
		return "Joiner"
	}
	return fmt.Sprintf("%T", v)
}

// qualifiedTypeName is the type name with its module for non-builtins.
func qualifiedTypeName(v any) string {
	switch v.(type) {
	case markup:
		return "markupsafe.Markup"
	case *undefined, *macro, *loopCtx, *blockRef, *templateRef:
		return "jinja2.runtime." + typeName(v)
	case *namespace, *cycler, *joiner:
		return "jinja2.utils." + typeName(v)
	case *module:
		return "jinja2.environment.TemplateModule"
	}
	return typeName(v)
}

// toStr is Python's str().
func toStr(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case markup:
		return string(x)
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(x, 10)
	case *big.Int:
		return x.String()
	case float64:
		return floatRepr(x)
	case *undefined:
		return ""
	case *module:
		return x.body
	}
	var b strings.Builder
	writeRepr(&b, v, 0)
	return b.String()
}

// pyRepr is Python's repr().
func pyRepr(v any) string {
	var b strings.Builder
	writeRepr(&b, v, 0)
	return b.String()
}

const maxReprDepth = 500

// maxReprBytes bounds the text of one printed value; the output limit
// applies to what is printed.
const maxReprBytes = 64 << 20

func writeRepr(b *strings.Builder, v any, depth int) {
	if depth > maxReprDepth {
		panic(&rtError{kind: "RecursionError", msg: "maximum recursion depth exceeded while getting the repr of an object"})
	}
	if b.Len() > maxReprBytes {
		panic(&rtError{kind: "LimitError", msg: fmt.Sprintf("printed value larger than %d bytes", maxReprBytes)})
	}
	switch x := v.(type) {
	case string:
		b.WriteString(pyReprString(x))
	case markup:
		b.WriteString("Markup(" + pyReprString(string(x)) + ")")
	case nil, bool, int64, *big.Int, float64:
		b.WriteString(toStr(v))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e, depth+1)
		}
		b.WriteByte(']')
	case tuple:
		b.WriteByte('(')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e, depth+1)
		}
		if len(x) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case *Dict:
		writeDictRepr(b, x, depth)
	case *undefined:
		b.WriteString("Undefined")
	case *macro:
		fmt.Fprintf(b, "<Macro %s>", pyReprString(x.name))
	case *rangeVal:
		if x.step == 1 {
			fmt.Fprintf(b, "range(%d, %d)", x.start, x.stop)
		} else {
			fmt.Fprintf(b, "range(%d, %d, %d)", x.start, x.stop, x.step)
		}
	case *dictView:
		b.WriteString("dict_" + x.kind + "([")
		for i := range x.d.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, x.item(i), depth+1)
		}
		b.WriteString("])")
	case *loopCtx:
		fmt.Fprintf(b, "<LoopContext %d/%d>", x.index0+1, x.length())
	case *namespace:
		b.WriteString("<Namespace ")
		writeDictRepr(b, x.attrs, depth)
		b.WriteString(">")
	case *builtinFunc:
		fmt.Fprintf(b, "<built-in function %s>", x.name)
	case *boundMethod:
		fmt.Fprintf(b, "<built-in method %s of %s object>", x.name, typeName(x.recv))
	case *unsupportedAttr:
		x.fail()
	case *templateRef:
		fmt.Fprintf(b, "<TemplateReference %s>", pyReprString(x.x.tpl.name))
	case *module:
		fmt.Fprintf(b, "<Template %s>", pyReprString(x.name))
	default:
		fmt.Fprintf(b, "<%s object>", qualifiedTypeName(v))
	}
}

func writeDictRepr(b *strings.Builder, d *Dict, depth int) {
	b.WriteByte('{')
	for i, k := range d.keys {
		if i > 0 {
			b.WriteString(", ")
		}
		writeRepr(b, k, depth+1)
		b.WriteString(": ")
		writeRepr(b, d.vals[i], depth+1)
	}
	b.WriteByte('}')
}

// pyReprString is Python's repr() of a str.
func pyReprString(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(quote)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
			i++
			continue
		}
		i += n
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < ' ' || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x7f:
			b.WriteRune(r)
		case unicode.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// pyASCII is Python's ascii(): repr with non-ASCII characters escaped.
func pyASCII(v any) string {
	s := pyRepr(v)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}

// floatRepr is Python's repr() of a float: the shortest string that
// round-trips, in positional notation for exponents -4 to 15.
func floatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	digits, decpt, neg := shortestDigits(f)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if decpt > -4 && decpt <= 16 {
		writeFixed(&b, digits, decpt, true)
	} else {
		writeExp(&b, digits, decpt, false)
	}
	return b.String()
}

// shortestDigits returns the shortest round-tripping decimal digits of f
// and the position of the decimal point relative to them.
func shortestDigits(f float64) (digits string, decpt int, neg bool) {
	s := strconv.FormatFloat(f, 'e', -1, 64)
	if s[0] == '-' {
		neg = true
		s = s[1:]
	}
	e := strings.IndexByte(s, 'e')
	exp, _ := strconv.Atoi(s[e+1:])
	digits = strings.Replace(s[:e], ".", "", 1)
	if digits == "0" {
		return "0", 1, neg
	}
	return digits, exp + 1, neg
}

// writeFixed writes digits with the decimal point at decpt; dot0 adds ".0"
// to integral results.
func writeFixed(b *strings.Builder, digits string, decpt int, dot0 bool) {
	switch {
	case decpt <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -decpt))
		b.WriteString(digits)
	case decpt >= len(digits):
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", decpt-len(digits)))
		if dot0 {
			b.WriteString(".0")
		}
	default:
		b.WriteString(digits[:decpt])
		b.WriteByte('.')
		b.WriteString(digits[decpt:])
	}
}

// writeExp writes d[.ddd]e+XX.
func writeExp(b *strings.Builder, digits string, decpt int, upper bool) {
	b.WriteByte(digits[0])
	if len(digits) > 1 {
		b.WriteByte('.')
		b.WriteString(digits[1:])
	}
	if upper {
		b.WriteByte('E')
	} else {
		b.WriteByte('e')
	}
	exp := decpt - 1
	if exp < 0 {
		b.WriteByte('-')
		exp = -exp
	} else {
		b.WriteByte('+')
	}
	if exp < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.Itoa(exp))
}

// escapeHTML is markupsafe's escape of a str.
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, `&<>'"`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\'':
			b.WriteString("&#39;")
		case '"':
			b.WriteString("&#34;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// escapeValue is markupsafe.escape: markup passes through, anything else
// is converted with str() and escaped.
func escapeValue(v any) markup {
	if m, ok := v.(markup); ok {
		return m
	}
	return markup(escapeHTML(toStr(v)))
}
