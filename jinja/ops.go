package jinja

import (
	"math"
	"math/big"
	"strings"
	"unicode/utf8"
)

// truth is Python's bool().
func truth(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case *big.Int:
		return x.Sign() != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case markup:
		return x != ""
	case []any:
		return len(x) > 0
	case tuple:
		return len(x) > 0
	case *Dict:
		return x.Len() > 0
	case *undefined:
		return false
	case *rangeVal:
		return x.len() > 0
	case *dictView:
		return x.d.Len() > 0
	case *loopCtx:
		return x.length() > 0
	}
	return true
}

// equal is Python's ==.
func equal(a, b any) bool { return equalDepth(a, b, 0) }

func equalDepth(a, b any, depth int) bool {
	if depth > maxReprDepth {
		raise(&rtError{kind: "RecursionError", msg: "maximum recursion depth exceeded in comparison"})
	}
	if isNumber(a) && isNumber(b) {
		c, ok := cmpNum(a, b)
		return ok && c == 0
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		switch y := b.(type) {
		case string:
			return x == y
		case markup:
			return x == string(y)
		}
		return false
	case markup:
		switch y := b.(type) {
		case string:
			return string(x) == y
		case markup:
			return x == y
		}
		return false
	case []any:
		y, ok := b.([]any)
		return ok && seqEqual(x, y, depth)
	case tuple:
		y, ok := b.(tuple)
		return ok && seqEqual(x, y, depth)
	case *Dict:
		y, ok := b.(*Dict)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i, k := range x.keys {
			v, found, err := y.getKey(k)
			if err != nil || !found || !equalDepth(x.vals[i], v, depth+1) {
				return false
			}
		}
		return true
	case *undefined:
		_, ok := b.(*undefined)
		return ok
	case *rangeVal:
		y, ok := b.(*rangeVal)
		if !ok {
			return false
		}
		n := x.len()
		if n != y.len() {
			return false
		}
		return n == 0 || (x.start == y.start && (n == 1 || x.step == y.step))
	case *dictView:
		y, ok := b.(*dictView)
		if !ok || x.kind == "values" || y.kind == "values" {
			return a == b
		}
		return x.kind == y.kind && equalDepth(x.set(), y.set(), depth+1)
	}
	return a == b
}

func seqEqual(x, y []any, depth int) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !equalDepth(x[i], y[i], depth+1) {
			return false
		}
	}
	return true
}

var opSymbols = map[string]string{"lt": "<", "lteq": "<=", "gt": ">", "gteq": ">="}

// compare is Python's < <= > >=.
func compare(op string, a, b any) bool { return compareDepth(op, a, b, 0) }

func compareDepth(op string, a, b any, depth int) bool {
	if depth > maxReprDepth {
		raise(&rtError{kind: "RecursionError", msg: "maximum recursion depth exceeded in comparison"})
	}
	if u, ok := a.(*undefined); ok {
		u.fail()
	}
	if u, ok := b.(*undefined); ok {
		u.fail()
	}
	if isNumber(a) && isNumber(b) {
		c, ok := cmpNum(a, b)
		return ok && cmpResult(op, c)
	}
	sa, aStr := strOf(a)
	sb, bStr := strOf(b)
	if aStr && bStr {
		return cmpResult(op, strings.Compare(sa, sb))
	}
	if la, lb, ok := sameSeq(a, b); ok {
		for i := 0; i < len(la) && i < len(lb); i++ {
			if !equal(la[i], lb[i]) {
				return compareDepth(op, la[i], lb[i], depth+1)
			}
		}
		return cmpResult(op, cmpI(int64(len(la)), int64(len(lb))))
	}
	raiseType("'%s' not supported between instances of '%s' and '%s'", opSymbols[op], typeName(a), typeName(b))
	return false
}

func cmpResult(op string, c int) bool {
	switch op {
	case "lt":
		return c < 0
	case "lteq":
		return c <= 0
	case "gt":
		return c > 0
	}
	return c >= 0
}

func strOf(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case markup:
		return string(x), true
	}
	return "", false
}

func sameSeq(a, b any) ([]any, []any, bool) {
	switch x := a.(type) {
	case []any:
		if y, ok := b.([]any); ok {
			return x, y, true
		}
	case tuple:
		if y, ok := b.(tuple); ok {
			return x, y, true
		}
	}
	return nil, nil, false
}

// lessThan is the ordering sorted() uses.
func lessThan(a, b any) bool { return compare("lt", a, b) }

// contains is Python's "item in container".
func contains(container, item any) bool {
	switch c := container.(type) {
	case string, markup:
		s, _ := strOf(c)
		sub, ok := strOf(item)
		if !ok {
			raiseType("'in <string>' requires string as left operand, not %s", typeName(item))
		}
		return strings.Contains(s, sub)
	case []any:
		return seqContains(c, item)
	case tuple:
		return seqContains(c, item)
	case *Dict:
		_, ok, err := c.getKey(item)
		if err != nil {
			panic(err)
		}
		return ok
	case *undefined:
		return false
	case *rangeVal:
		if !isInt(item) {
			if f, ok := item.(float64); ok && f == math.Trunc(f) {
				return c.containsInt(int64(f)) && math.Abs(f) < 1<<62
			}
			for i := int64(0); i < c.len(); i++ {
				if equal(c.at(i), item) {
					return true
				}
			}
			return false
		}
		x, ok := intOf(item)
		return ok && c.containsInt(x)
	case *dictView:
		switch c.kind {
		case "keys":
			return contains(c.d, item)
		case "items":
			t, ok := item.(tuple)
			if !ok || len(t) != 2 {
				return false
			}
			v, found, err := c.d.getKey(t[0])
			return err == nil && found && equal(v, t[1])
		}
		return seqContains(c.d.vals, item)
	case *namespace:
		raiseType("argument of type 'Namespace' is not iterable")
	}
	raiseType("argument of type '%s' is not iterable", typeName(container))
	return false
}

func seqContains(s []any, item any) bool {
	for _, e := range s {
		if equal(e, item) {
			return true
		}
	}
	return false
}

// length is Python's len().
func length(v any) int64 {
	switch x := v.(type) {
	case string:
		return int64(utf8.RuneCountInString(x))
	case markup:
		return int64(utf8.RuneCountInString(string(x)))
	case []any:
		return int64(len(x))
	case tuple:
		return int64(len(x))
	case *Dict:
		return int64(x.Len())
	case *undefined:
		return 0
	case *rangeVal:
		return x.len()
	case *dictView:
		return int64(x.d.Len())
	case *loopCtx:
		return int64(x.length())
	}
	raiseType("object of type '%s' has no len()", typeName(v))
	return 0
}

// ---- arithmetic

func undefCheck(a, b any) {
	if u, ok := a.(*undefined); ok {
		u.fail()
	}
	if u, ok := b.(*undefined); ok {
		u.fail()
	}
}

func unsupported(op string, a, b any) {
	raiseType("unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b))
}

// binary evaluates a + - * / // % ** b with Python's semantics.
func (r *renderer) binary(op string, a, b any) any {
	// str % x is str.__mod__, which formats any right operand (an
	// Undefined prints as ""); other operators reach Undefined's methods.
	if op == "%" {
		switch s := a.(type) {
		case string:
			return r.printf(s, b)
		case markup:
			return markup(r.printf(string(s), escapeArgs(b)))
		}
	}
	undefCheck(a, b)
	if isNumber(a) && isNumber(b) {
		return arith(op, a, b)
	}
	switch op {
	case "+":
		return r.add(a, b)
	case "*":
		return r.mul(a, b)
	case "%":
		if s, ok := a.(string); ok {
			return r.printf(s, b)
		}
		if m, ok := a.(markup); ok {
			return markup(r.printf(string(m), escapeArgs(b)))
		}
	}
	unsupported(op, a, b)
	return nil
}

// escapeArgs escapes the right operand of Markup % args.
func escapeArgs(v any) any {
	switch x := v.(type) {
	case tuple:
		out := make(tuple, len(x))
		for i, e := range x {
			out[i] = escapeArg(e)
		}
		return out
	case *Dict:
		d := NewDict()
		for i, k := range x.keys {
			h, _ := hashKey(k)
			d.set(h, k, escapeArg(x.vals[i]))
		}
		return d
	}
	return escapeArg(v)
}

func escapeArg(v any) any {
	switch v.(type) {
	case string, markup:
		return escapeValue(v)
	}
	return v
}

func arith(op string, a, b any) any {
	_, af := a.(float64)
	_, bf := b.(float64)
	if !af && !bf {
		switch op {
		case "+":
			return intAdd(a, b)
		case "-":
			return intSub(a, b)
		case "*":
			return intMul(a, b)
		case "/":
			return intTrueDiv(a, b)
		case "//":
			q, _ := intFloorDivMod(a, b)
			return q
		case "%":
			if toBig(b).Sign() == 0 {
				raise(&rtError{kind: "ZeroDivisionError", msg: "integer modulo by zero"})
			}
			_, m := intFloorDivMod(a, b)
			return m
		case "**":
			return intPow(a, b)
		}
	}
	x, y := toFloat(a), toFloat(b)
	switch op {
	case "+":
		return x + y
	case "-":
		return x - y
	case "*":
		return x * y
	case "/":
		if y == 0 {
			raise(&rtError{kind: "ZeroDivisionError", msg: "float division by zero"})
		}
		return x / y
	case "//":
		q, _ := floatDivMod(x, y, "//")
		return q
	case "%":
		_, m := floatDivMod(x, y, "%")
		return m
	case "**":
		return floatPow(x, y)
	}
	panic("unknown operator " + op)
}

func (r *renderer) add(a, b any) any {
	switch x := a.(type) {
	case string:
		switch y := b.(type) {
		case string:
			return r.str(x + y)
		case markup:
			return markup(r.str(escapeHTML(x) + string(y)))
		}
		raiseType(`can only concatenate str (not "%s") to str`, typeName(b))
	case markup:
		switch y := b.(type) {
		case string:
			return markup(r.str(string(x) + escapeHTML(y)))
		case markup:
			return markup(r.str(string(x) + string(y)))
		}
		unsupported("+", a, b)
	case []any:
		y, ok := b.([]any)
		if !ok {
			raiseType(`can only concatenate list (not "%s") to list`, typeName(b))
		}
		r.allocItems(len(x) + len(y))
		return append(append(make([]any, 0, len(x)+len(y)), x...), y...)
	case tuple:
		y, ok := b.(tuple)
		if !ok {
			raiseType(`can only concatenate tuple (not "%s") to tuple`, typeName(b))
		}
		r.allocItems(len(x) + len(y))
		return append(append(make(tuple, 0, len(x)+len(y)), x...), y...)
	}
	unsupported("+", a, b)
	return nil
}

func isSequence(v any) bool {
	switch v.(type) {
	case string, markup, []any, tuple:
		return true
	}
	return false
}

func (r *renderer) mul(a, b any) any {
	switch {
	case isSequence(a) && isInt(b):
	case isInt(a) && isSequence(b):
		a, b = b, a
	case isSequence(a) && !isSequence(b):
		raiseType("can't multiply sequence by non-int of type '%s'", typeName(b))
	case isSequence(b) && !isSequence(a):
		raiseType("can't multiply sequence by non-int of type '%s'", typeName(a))
	default:
		unsupported("*", a, b)
	}
	n, ok := intOf(b)
	if !ok {
		if toBig(b).Sign() < 0 {
			n = 0
		} else {
			raise(&rtError{kind: "OverflowError", msg: "cannot fit 'int' into an index-sized integer"})
		}
	}
	if n < 0 {
		n = 0
	}
	switch x := a.(type) {
	case string:
		r.allocBytes(int64(len(x)) * n)
		return strings.Repeat(x, int(n))
	case markup:
		r.allocBytes(int64(len(x)) * n)
		return markup(strings.Repeat(string(x), int(n)))
	case []any:
		r.allocItemsN(int64(len(x)) * n)
		out := make([]any, 0, int64(len(x))*n)
		for i := int64(0); i < n; i++ {
			out = append(out, x...)
		}
		return out
	case tuple:
		r.allocItemsN(int64(len(x)) * n)
		out := make(tuple, 0, int64(len(x))*n)
		for i := int64(0); i < n; i++ {
			out = append(out, x...)
		}
		return out
	}
	unsupported("*", a, b)
	return nil
}

// unary evaluates -x and +x.
func unary(op string, v any) any {
	switch x := v.(type) {
	case *undefined:
		x.fail()
	case bool, int64:
		n, _ := intOf(x)
		if op == "+" {
			return n
		}
		if n == math.MinInt64 {
			return new(big.Int).Neg(big.NewInt(n))
		}
		return -n
	case *big.Int:
		if op == "+" {
			return x
		}
		return normBig(new(big.Int).Neg(x))
	case float64:
		if op == "+" {
			return x
		}
		return -x
	}
	raiseType("bad operand type for unary %s: '%s'", op, typeName(v))
	return nil
}
