package jinja

import (
	"fmt"
	"math/big"
)

// knownTest reports whether Jinja2's default environment has the test.
func knownTest(name string) bool {
	switch name {
	case "odd", "even", "divisibleby", "defined", "undefined", "filter", "test", "none",
		"boolean", "false", "true", "integer", "float", "lower", "upper", "string",
		"mapping", "number", "sequence", "iterable", "callable", "sameas", "escaped",
		"in", "==", "eq", "equalto", "!=", "ne", ">", "gt", "greaterthan", "ge", ">=",
		"<", "lt", "lessthan", "<=", "le":
		return true
	}
	return false
}

// runTest evaluates "v is name(args)".
func (r *renderer) runTest(name string, v any, args []any, kw *kwargs) any {
	one := func(param string) any {
		return r.bind(name, []string{param}, 1, nil, args, kw)[0]
	}
	none := func() { r.bind(name, nil, 0, nil, args, kw) }
	switch name {
	case "odd", "even":
		none()
		m := r.binary("%", v, int64(2))
		if name == "odd" {
			return equal(m, int64(1))
		}
		return equal(m, int64(0))
	case "divisibleby":
		n := one("num")
		return equal(r.binary("%", v, n), int64(0))
	case "defined":
		none()
		_, ok := v.(*undefined)
		return !ok
	case "undefined":
		none()
		_, ok := v.(*undefined)
		return ok
	case "filter":
		none()
		s, ok := strOf(v)
		return ok && knownFilter(s)
	case "test":
		none()
		s, ok := strOf(v)
		return ok && knownTest(s)
	case "none":
		none()
		return v == nil
	case "boolean":
		none()
		_, ok := v.(bool)
		return ok
	case "false":
		none()
		b, ok := v.(bool)
		return ok && !b
	case "true":
		none()
		b, ok := v.(bool)
		return ok && b
	case "integer":
		none()
		switch v.(type) {
		case int64, *big.Int:
			return true
		}
		return false
	case "float":
		none()
		_, ok := v.(float64)
		return ok
	case "lower":
		none()
		return strPredicate("islower", toStr(v))
	case "upper":
		none()
		return strPredicate("isupper", toStr(v))
	case "string":
		none()
		_, ok := strOf(v)
		return ok
	case "mapping":
		none()
		_, ok := v.(*Dict)
		return ok
	case "number":
		none()
		return isNumber(v)
	case "sequence":
		none()
		switch v.(type) {
		case string, markup, []any, tuple, *Dict, *rangeVal, *undefined:
			return true
		}
		return false
	case "iterable":
		none()
		switch v.(type) {
		case string, markup, []any, tuple, *Dict, *rangeVal, *undefined, *dictView, *loopCtx:
			return true
		}
		return false
	case "callable":
		none()
		switch v.(type) {
		case *macro, *builtinFunc, *boundMethod, *blockRef, *loopCtx, *joiner, *undefined:
			return true
		}
		return false
	case "sameas":
		o := one("other")
		return sameAs(v, o)
	case "escaped":
		none()
		_, ok := v.(markup)
		return ok
	case "in":
		return contains(one("seq"), v)
	case "==", "eq", "equalto":
		return equal(v, one("b"))
	case "!=", "ne":
		return !equal(v, one("b"))
	case ">", "gt", "greaterthan":
		return compare("gt", v, one("b"))
	case ">=", "ge":
		return compare("gteq", v, one("b"))
	case "<", "lt", "lessthan":
		return compare("lt", v, one("b"))
	case "<=", "le":
		return compare("lteq", v, one("b"))
	}
	raise(&rtError{kind: "TemplateRuntimeError", msg: fmt.Sprintf("No test named '%s' found.", name)})
	return nil
}

// sameAs approximates Python's "is" for the values where identity is
// predictable: None, booleans and small integers (which CPython caches).
func sameAs(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y && x >= -5 && x <= 256
	case *Dict, *namespace, *macro, *loopCtx:
		return a == b
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	}
	return false
}
