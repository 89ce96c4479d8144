package funcs

import (
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// maxSprintfArgs is how many values SPRINTF declares after its format.
const maxSprintfArgs = 100

// readSprintf is SPRINTF(format,arg1,arg2,…) (func_sprintf.c acf_sprintf).
// Every argument has quotes and backslashes removed (the hundredth value
// is the raw remainder). The format is scanned with SPRINTF's own state machine:
// flags #0- +'I, a width, a precision, a length modifier (h hh l ll L q j
// z t) and a conversion. d i o u x X c read their argument with "%30d", e E
// f F g G a A with "%30lf", s takes it as it is (a missing one prints
// "(null)"), %% is a literal '%'; any other conversion, an argument that
// does not read as a number, or a missing numeric argument is an error. An
// unfinished specification at the end is dropped. A conversion that
// prints a NUL cuts its own output there.
//
// Where glibc's behaviour is undefined (a long double or wide string
// conversion fed a double or a narrow string), the value is formatted as
// a double or a narrow string.
func readSprintf(_ *subst.Call, data string) (string, error) {
	args := subst.SplitArgs(cString(data), ',', maxSprintfArgs+1, true)
	if len(args) == 0 {
		// Asterisk dereferences a NULL format here.
		return "", usage("SPRINTF(<format>,<arg1>[,…])")
	}
	format, values := args[0], args[1:]
	argc := 0
	nextArg := func() (string, bool) {
		argc++
		if argc > len(values) {
			return "", false
		}
		return values[argc-1], true
	}
	var out strings.Builder
	for i := 0; i < len(format) && out.Len() < legacyBuffer; i++ {
		if format[i] != '%' {
			out.WriteByte(format[i])
			continue
		}
		end, ok := sprintfSpecEnd(format, i)
		if !ok {
			break // an unfinished specification at the end
		}
		spec := format[i : end+1]
		i = end
		conv := format[end]
		var piece string
		switch {
		case conv == '%':
			out.WriteByte('%')
			continue
		case strings.IndexByte("diouxXc", conv) >= 0:
			arg, ok := nextArg()
			if !ok {
				return "", usage("SPRINTF() has more format specifiers than arguments")
			}
			v, _, st := scanInt(arg, 30)
			if st != scanMatch {
				return "", usage("argument %q is not an integer number for format %q", arg, spec)
			}
			piece = formatInt(parsePrintfSpec(spec), v)
		case strings.IndexByte("eEfFgGaA", conv) >= 0:
			arg, ok := nextArg()
			if !ok {
				return "", usage("SPRINTF() has more format specifiers than arguments")
			}
			num, _, st := scanFloat(arg, 30)
			if st != scanMatch {
				return "", usage("argument %q is not a floating point number for format %q", arg, spec)
			}
			piece = formatFloat(parsePrintfSpec(spec), cFloat(num))
		case conv == 's':
			arg, ok := nextArg()
			piece = formatString(parsePrintfSpec(spec), arg, !ok)
		default:
			return "", usage("format type not supported: %q", spec)
		}
		out.WriteString(cString(piece))
	}
	return out.String(), nil
}

// sprintfSpecEnd runs acf_sprintf's state machine from the '%' at
// format[start] and returns the index of the conversion character, or
// false when the format ends first.
func sprintfSpecEnd(format string, start int) (int, bool) {
	i := start + 1
	for i < len(format) && strings.IndexByte("#0- +'I", format[i]) >= 0 {
		i++
	}
	for i < len(format) && isDigit(format[i]) {
		i++
	}
	if i < len(format) && format[i] == '.' {
		i++
		for i < len(format) && isDigit(format[i]) {
			i++
		}
	}
	if i < len(format) {
		switch c := format[i]; {
		case c == 'h' || c == 'l':
			if i+1 < len(format) && format[i+1] == c {
				i++
			}
			i++
		case strings.IndexByte("Lqjzt", c) >= 0:
			i++
		}
	}
	if i >= len(format) {
		return 0, false
	}
	return i, true
}
