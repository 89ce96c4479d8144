package expr

import "math"

// Each operator below mirrors the op_* function of ast_expr2.y with the
// same name, including the order in which operands are converted, since
// conversions happen in place and decide what gets printed.

// intMax returns INT_MAX, what division by zero or by text yields.
func intMax() *value { return intValue(math.MaxInt32) }

// opOr returns a unless it is zero or empty, else b (op_or).
func opOr(a, b *value) *value {
	if a.isZeroOrNull() {
		return b
	}
	return a
}

// opAnd returns a when neither side is zero or empty, else 0 (op_and).
func opAnd(a, b *value) *value {
	if a.isZeroOrNull() || b.isZeroOrNull() {
		return intValue(0)
	}
	return a
}

// compare implements op_eq … op_ne: text comparison when either side is
// plain text (strcoll, which is byte order in C.UTF-8), else numeric.
func compare(a, b *value, text func(int) bool, num func(x, y float80) bool) *value {
	if a.isString() || b.isString() {
		a.toText()
		b.toText()
		return boolValue(text(compareBytes(a.str, b.str)))
	}
	a.toNumber()
	b.toNumber()
	return boolValue(num(a.num, b.num))
}

// compareBytes is strcmp.
func compareBytes(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func opEq(a, b *value) *value {
	return compare(a, b, func(c int) bool { return c == 0 }, eq80)
}

func opNe(a, b *value) *value {
	return compare(a, b, func(c int) bool { return c != 0 }, ne80)
}

func opLt(a, b *value) *value {
	return compare(a, b, func(c int) bool { return c < 0 }, lt80)
}

func opGt(a, b *value) *value {
	return compare(a, b, func(c int) bool { return c > 0 }, gt80)
}

func opLe(a, b *value) *value {
	return compare(a, b, func(c int) bool { return c <= 0 }, le80)
}

func opGe(a, b *value) *value {
	return compare(a, b, func(c int) bool { return c >= 0 }, ge80)
}

// opCond is c ? a :: b (op_cond). Text is true unless empty, "" (two
// quote characters) or "0"; anything else is converted and tested
// against zero, NaN counting as true.
func opCond(c, a, b *value) *value {
	if c.isString() {
		if c.str != "" && c.str != `""` && c.str != "0" {
			return a
		}
		return b
	}
	c.toNumber()
	if c.num.isZero() {
		return b
	}
	return a
}

// opPlus adds; a non-numeric side is dropped, and two give 0 (op_plus).
func opPlus(a, b *value) *value {
	if !a.toNumber() {
		if !b.toNumber() {
			return intValue(0)
		}
		return b
	}
	if !b.toNumber() {
		return a
	}
	return numberValue(add80(a.num, b.num))
}

// opMinus subtracts; text on the left counts as 0, on the right it is
// dropped (op_minus).
func opMinus(a, b *value) *value {
	if !a.toNumber() {
		if !b.toNumber() {
			return intValue(0)
		}
		return numberValue(sub80(float80{}, b.num))
	}
	if !b.toNumber() {
		return a
	}
	return numberValue(sub80(a.num, b.num))
}

// opNegate is unary minus; text gives 0 (op_negate).
func opNegate(a *value) *value {
	if !a.toNumber() {
		return intValue(0)
	}
	return numberValue(neg80(a.num))
}

// opCompl is unary '!' (op_compl): 1 for zero, empty text or "0";
// other text is tested with atoi(), so "!abc" is 1 and "!0.5" is 1.
func opCompl(a *value) *value {
	truth := true
	switch {
	case a.kind == kindNumber:
		truth = !a.num.isZero()
	case a.str == "", a.str == "0":
		truth = false
	default:
		truth = cAtoi(a.str) != 0
	}
	return boolValue(!truth)
}

// opTimes multiplies; any text gives 0 (op_times).
func opTimes(a, b *value) *value {
	if !a.toNumber() || !b.toNumber() {
		return intValue(0)
	}
	return numberValue(mul80(a.num, b.num))
}

// opDiv divides in long double: text on the left gives 0, text on the
// right or a zero divisor gives INT_MAX (op_div).
func opDiv(a, b *value) *value {
	if !a.toNumber() {
		return intValue(0)
	}
	if !b.toNumber() || b.num.isZero() {
		return intMax()
	}
	return numberValue(div80(a.num, b.num))
}

// opRem is fmodl; text gives 0 and a zero divisor returns the divisor
// itself, so "5 % -0" is -0 (op_rem).
func opRem(a, b *value) *value {
	if !a.toNumber() || !b.toNumber() {
		return intValue(0)
	}
	if b.num.isZero() {
		return b
	}
	return numberValue(fmodl(a.num, b.num))
}

// opTildeTilde concatenates the two sides as text, quotes stripped
// (op_tildetilde).
func opTildeTilde(a, b *value) *value {
	a.toText()
	b.toText()
	a.stripQuotes()
	b.stripQuotes()
	return stringValue(a.str + b.str)
}

// opColon is "string : regex", anchored at the start (op_colon).
func opColon(a, b *value) *value { return regexOperator(a, b, true) }

// opEqTilde is "string =~ regex", unanchored (op_eqtilde).
func opEqTilde(a, b *value) *value { return regexOperator(a, b, false) }

// regexOperator implements op_colon and op_eqtilde: with a capture group
// the first group's text (empty when nothing matched), without one the
// length of the match (0 when nothing matched). A pattern regcomp()
// rejects gives the empty string.
func regexOperator(a, b *value, anchored bool) *value {
	a.toText()
	b.toText()
	a.stripQuotes()
	b.stripQuotes()
	m, err := ereMatch(b.str, a.str)
	if err != nil {
		return stringValue("")
	}
	if m.ok && (!anchored || m.start == 0) {
		if m.groupStart >= 0 {
			return stringValue(a.str[m.groupStart:m.groupEnd])
		}
		return intValue(int64(m.end - m.start))
	}
	if m.groups == 0 {
		return intValue(0)
	}
	return stringValue("")
}
