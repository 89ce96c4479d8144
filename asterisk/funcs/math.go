package funcs

import (
	"math"
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// This file holds func_math.c.

// readMath is MATH(<number1><op><number2>[,<type>]) (func_math.c math).
//
// A leading '-' negates the first number. The operator is the first of
// * / % ^ AND XOR OR > (>=, >>) < (<=, <<) == + - found anywhere in the
// rest (a lone '=' is an error). Both numbers are read with "%30lf".
// Division by anything not above zero gives 0; % and the bitwise and shift
// operators work on the numbers truncated to C ints (shift counts taken
// modulo 32, as x86 does). Comparisons give "TRUE" or "FALSE" whatever the
// type; other results are formatted as type float ("%f", the default), int
// ("%i"), hex ("%x") or char ("%c"), each also accepted by its initial,
// case-insensitively.
func readMath(_ *subst.Call, data string) (string, error) {
	s := cString(data)
	if s == "" {
		return "", usage("MATH(<number1><op><number 2>[,<type_of_result>])")
	}
	args := subst.SplitArgs(s, ',', 2, true)
	expr := args[0]
	neg := strings.HasPrefix(expr, "-")
	if neg {
		expr = expr[1:]
	}
	left, right, op, found := splitMathOp(expr)
	kind := byte('f')
	if len(args) > 1 {
		switch t := args[1]; {
		case equalFold(t, "float"), equalFold(t, "f"):
		case equalFold(t, "int"), equalFold(t, "i"):
			kind = 'i'
		case equalFold(t, "hex"), equalFold(t, "h"):
			kind = 'h'
		case equalFold(t, "char"), equalFold(t, "c"):
			kind = 'c'
		default:
			return "", usage("unknown type of result %q", t)
		}
	}
	if !found {
		return "", usage("MATH needs two numbers and an operator")
	}
	num1, _, st := scanFloat(left, 30)
	if st != scanMatch {
		return "", usage("%q is not a valid number", left)
	}
	num2, _, st := scanFloat(right, 30)
	if st != scanMatch {
		return "", usage("%q is not a valid number", right)
	}
	a, b := cFloat(num1), cFloat(num2)
	if neg {
		a = 0 - a
	}
	ia, ib := cInt(a), cInt(b)
	var r float64
	switch op {
	case '+':
		r = a + b
	case '-':
		r = a - b
	case '*':
		r = a * b
	case '/':
		if !(b <= 0) {
			r = a / b
		}
	case '%':
		if ib != 0 {
			r = float64(ia % ib)
		}
	case '^':
		r = cPow(a, b)
	case 'S':
		r = float64(ia << (uint32(ib) & 31))
	case 'R':
		r = float64(ia >> (uint32(ib) & 31))
	case '&':
		r = float64(ia & ib)
	case 'x':
		r = float64(ia ^ ib)
	case '|':
		r = float64(ia | ib)
	case '>':
		return truth(a > b), nil
	case '<':
		return truth(a < b), nil
	case 'G':
		return truth(a >= b), nil
	case 'L':
		return truth(a <= b), nil
	case '=':
		return truth(a == b), nil
	}
	switch kind {
	case 'i':
		return strconv.Itoa(int(cInt(r))), nil
	case 'h':
		return strconv.FormatUint(uint64(cUint(r)), 16), nil
	case 'c':
		return string([]byte{byte(cInt(r))}), nil
	}
	return formatFloat(printfSpec{width: -1, prec: -1, verb: 'f'}, r), nil
}

// splitMathOp finds MATH's operator in expr, trying each in turn over the
// whole string, and returns the text on either side and the operator:
// one of * / % ^ + - =, '&' (AND), 'x' (XOR), '|' (OR), > < and 'G' (>=),
// 'L' (<=), 'R' (>>), 'S' (<<).
func splitMathOp(expr string) (left, right string, op byte, found bool) {
	for _, c := range []byte{'*', '/', '%', '^'} {
		if i := strings.IndexByte(expr, c); i >= 0 {
			return expr[:i], expr[i+1:], c, true
		}
	}
	for _, w := range []struct {
		word string
		op   byte
	}{{"AND", '&'}, {"XOR", 'x'}, {"OR", '|'}} {
		if i := strings.Index(expr, w.word); i >= 0 {
			return expr[:i], expr[i+len(w.word):], w.op, true
		}
	}
	for _, c := range []struct{ op, orEqual, shift byte }{{'>', 'G', 'R'}, {'<', 'L', 'S'}} {
		i := strings.IndexByte(expr, c.op)
		if i < 0 {
			continue
		}
		left, rest := expr[:i], expr[i+1:]
		switch {
		case strings.HasPrefix(rest, "="):
			return left, rest[1:], c.orEqual, true
		case rest != "" && rest[0] == c.op:
			return left, rest[1:], c.shift, true
		}
		return left, rest, c.op, true
	}
	if i := strings.IndexByte(expr, '='); i >= 0 {
		if strings.HasPrefix(expr[i+1:], "=") {
			return expr[:i], expr[i+2:], '=', true
		}
		return "", "", 0, false
	}
	for _, c := range []byte{'+', '-'} {
		if i := strings.IndexByte(expr, c); i >= 0 {
			return expr[:i], expr[i+1:], c, true
		}
	}
	return "", "", 0, false
}

func truth(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

// cInt converts a double to a C int as x86-64 does: truncation, and
// INT_MIN for NaN and anything out of range.
func cInt(f float64) int32 {
	if f != f || f >= 1<<31 || f <= -1<<31-1 {
		return math.MinInt32
	}
	return int32(f)
}

// cUint converts a double to a C unsigned int as gcc does on x86-64:
// through a 64-bit conversion (INT64_MIN when out of range) whose low 32
// bits are kept.
func cUint(f float64) uint32 {
	if f != f || f >= 1<<63 || f < -1<<63 {
		return 0
	}
	return uint32(int64(f))
}

// cPow is glibc's pow, whose invalid results (a negative base to a
// non-integer power) are negative NaNs.
func cPow(x, y float64) float64 {
	r := math.Pow(x, y)
	if r != r && x == x && y == y {
		return math.Copysign(math.NaN(), -1)
	}
	return r
}

// readInc is INC(varname) (crement_function_read): the variable's value
// plus one, which is also stored back. The value must be a whole C int
// ("%30d%1c" with nothing after the number; white space alone counts as
// 0); a missing, empty or non-numeric variable is an error.
func readInc(c *subst.Call, data string) (string, error) {
	return crement(c, cString(data), 1)
}

// readDec is DEC(varname): INC's counterpart.
func readDec(c *subst.Call, data string) (string, error) {
	return crement(c, cString(data), -1)
}

func crement(c *subst.Call, name string, delta int32) (string, error) {
	if name == "" {
		return "", usage("%s(<varname>) - missing argument", c.Name)
	}
	value, ok := c.Var(name)
	if !ok || value == "" {
		return "", usage("variable %q does not exist", name)
	}
	v, rest, st := scanInt(value, 30)
	if st == scanFail || (st == scanMatch && rest != "") {
		return "", usage("the content of ${%s} is not a numeric value", name)
	}
	result := strconv.Itoa(int(v + delta))
	c.SetVar(name, result)
	return result, nil
}

// readMin is MIN(num1,num2) (acf_min_exec); see minMax.
func readMin(_ *subst.Call, data string) (string, error) {
	return minMax(data, func(a, b float64) float64 {
		if a > b {
			return b
		}
		return a
	})
}

// readMax is MAX(num1,num2) (acf_max_exec). It declares two arguments, so
// MAX(1,2,3) compares 1 with "2,3", read as 2.
func readMax(_ *subst.Call, data string) (string, error) {
	return minMax(data, func(a, b float64) float64 {
		if a < b {
			return b
		}
		return a
	})
}

// minMax reads both numbers with "%30lf"; a missing one takes the other's
// place, both missing is an error, an unreadable one is an error.
func minMax(data string, pick func(a, b float64) float64) (string, error) {
	args := subst.SplitArgs(cString(data), ',', 2, true)
	s1, s2 := subst.Arg(args, 0), subst.Arg(args, 1)
	if s1 == "" && s2 == "" {
		return "", usage("missing argument for number(s)")
	}
	var a, b float64
	if s1 != "" {
		num, _, st := scanFloat(s1, 30)
		if st != scanMatch {
			return "", usage("%q is not a valid number", s1)
		}
		a = cFloat(num)
	}
	if s2 == "" {
		b = a
	} else {
		num, _, st := scanFloat(s2, 30)
		if st != scanMatch {
			return "", usage("%q is not a valid number", s2)
		}
		b = cFloat(num)
	}
	if s1 == "" {
		return formatNumber(b), nil
	}
	return formatNumber(pick(a, b)), nil
}

// readAbs is ABS(num) (acf_abs_exec): the whole argument read with
// "%30lf", made positive.
func readAbs(_ *subst.Call, data string) (string, error) {
	s := cString(data)
	num, _, st := scanFloat(s, 30)
	if s == "" || st != scanMatch {
		return "", usage("bad or missing argument for number: %q", s)
	}
	return formatNumber(math.Abs(cFloat(num))), nil
}

// formatNumber prints a MIN/MAX/ABS result: "%d" when it survives the
// round trip through a C int unchanged, otherwise "%f".
func formatNumber(f float64) string {
	if i := cInt(f); float64(i) == f {
		return strconv.Itoa(int(i))
	}
	return formatFloat(printfSpec{width: -1, prec: -1, verb: 'f'}, f)
}
