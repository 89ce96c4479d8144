package jinja

import (
	"math"
	"math/big"
	"math/bits"
)

// Python ints are int64 while they fit and *big.Int beyond; normBig keeps
// that invariant.
func normBig(b *big.Int) any {
	if b.IsInt64() {
		return b.Int64()
	}
	return b
}

func toBig(v any) *big.Int {
	switch x := v.(type) {
	case int64:
		return big.NewInt(x)
	case *big.Int:
		return x
	case bool:
		if x {
			return big.NewInt(1)
		}
		return big.NewInt(0)
	}
	return nil
}

// isInt reports whether v is a Python int (bool included).
func isInt(v any) bool {
	switch v.(type) {
	case int64, *big.Int, bool:
		return true
	}
	return false
}

func isNumber(v any) bool {
	switch v.(type) {
	case int64, *big.Int, bool, float64:
		return true
	}
	return false
}

// intOf converts a bool or int64 to int64; ok is false for other values.
func intOf(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// maxIntBits bounds the size of integers templates may compute.
const maxIntBits = 1 << 16

func checkBig(b *big.Int) any {
	if b.BitLen() > maxIntBits {
		raise(&rtError{kind: "OverflowError", msg: "integer result too large for this engine"})
	}
	return normBig(b)
}

// toFloat converts a number to float64 as Python's float() does for ints.
func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	case bool:
		if x {
			return 1
		}
		return 0
	case *big.Int:
		f, acc := new(big.Float).SetInt(x).Float64()
		if math.IsInf(f, 0) || (acc != big.Exact && math.IsInf(f, 0)) {
			raise(&rtError{kind: "OverflowError", msg: "int too large to convert to float"})
		}
		return f
	}
	raiseType("must be real number, not %s", typeName(v))
	return 0
}

func intAdd(a, b any) any {
	x, ok1 := intOf(a)
	y, ok2 := intOf(b)
	if ok1 && ok2 {
		s := x + y
		if (s > x) == (y > 0) {
			return s
		}
	}
	return checkBig(new(big.Int).Add(toBig(a), toBig(b)))
}

func intSub(a, b any) any {
	x, ok1 := intOf(a)
	y, ok2 := intOf(b)
	if ok1 && ok2 {
		s := x - y
		if (s < x) == (y > 0) {
			return s
		}
	}
	return checkBig(new(big.Int).Sub(toBig(a), toBig(b)))
}

func intMul(a, b any) any {
	x, ok1 := intOf(a)
	y, ok2 := intOf(b)
	if ok1 && ok2 {
		hi, lo := bits.Mul64(uint64(absI(x)), uint64(absI(y)))
		if hi == 0 && lo <= math.MaxInt64 && x != math.MinInt64 && y != math.MinInt64 {
			p := int64(lo)
			if (x < 0) != (y < 0) {
				p = -p
			}
			return p
		}
	}
	return checkBig(new(big.Int).Mul(toBig(a), toBig(b)))
}

func absI(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// intFloorDivMod is Python's divmod for ints.
func intFloorDivMod(a, b any) (any, any) {
	x, ok1 := intOf(a)
	y, ok2 := intOf(b)
	if ok1 && ok2 && !(x == math.MinInt64 && y == -1) {
		if y == 0 {
			raise(&rtError{kind: "ZeroDivisionError", msg: "integer division or modulo by zero"})
		}
		q, r := x/y, x%y
		if r != 0 && (r < 0) != (y < 0) {
			q--
			r += y
		}
		return q, r
	}
	bb := toBig(b)
	if bb.Sign() == 0 {
		raise(&rtError{kind: "ZeroDivisionError", msg: "integer division or modulo by zero"})
	}
	q, m := new(big.Int).DivMod(toBig(a), bb, new(big.Int))
	// big.DivMod is Euclidean (m >= 0); Python's modulo has the divisor's sign.
	if m.Sign() != 0 && bb.Sign() < 0 {
		m.Add(m, bb)
		q.Add(q, big.NewInt(1))
	}
	return normBig(q), normBig(m)
}

// intTrueDiv is Python's int / int, correctly rounded.
func intTrueDiv(a, b any) float64 {
	x, ok1 := intOf(a)
	y, ok2 := intOf(b)
	if ok1 && ok2 && absI(x) < 1<<53 && absI(y) < 1<<53 {
		if y == 0 {
			raise(&rtError{kind: "ZeroDivisionError", msg: "division by zero"})
		}
		return float64(x) / float64(y)
	}
	bb := toBig(b)
	if bb.Sign() == 0 {
		raise(&rtError{kind: "ZeroDivisionError", msg: "division by zero"})
	}
	f, _ := new(big.Rat).SetFrac(toBig(a), bb).Float64()
	if math.IsInf(f, 0) {
		raise(&rtError{kind: "OverflowError", msg: "integer division result too large for a float"})
	}
	return f
}

// floatDivMod is CPython's float_divmod.
func floatDivMod(vx, wx float64, op string) (float64, float64) {
	if wx == 0 {
		msg := "float modulo"
		if op == "//" {
			msg = "float floor division by zero"
		}
		raise(&rtError{kind: "ZeroDivisionError", msg: msg})
	}
	mod := math.Mod(vx, wx)
	div := (vx - mod) / wx
	if mod != 0 {
		if (wx < 0) != (mod < 0) {
			mod += wx
			div -= 1.0
		}
	} else {
		mod = math.Copysign(0, wx)
	}
	var floordiv float64
	if div != 0 {
		floordiv = math.Floor(div)
		if div-floordiv > 0.5 {
			floordiv += 1.0
		}
	} else {
		floordiv = math.Copysign(0, vx/wx)
	}
	return floordiv, mod
}

// intPow is Python's int ** int.
func intPow(a, b any) any {
	eb := toBig(b)
	base := toBig(a)
	if eb.Sign() < 0 {
		bf := toFloat(a)
		if bf == 0 {
			raise(&rtError{kind: "ZeroDivisionError", msg: "0.0 cannot be raised to a negative power"})
		}
		return floatPow(bf, toFloat(b))
	}
	if !eb.IsInt64() || (base.BitLen() > 1 && int64(base.BitLen()-1)*eb.Int64() > maxIntBits) {
		switch {
		case base.Sign() == 0 || base.CmpAbs(big.NewInt(1)) == 0:
		default:
			raise(&rtError{kind: "OverflowError", msg: "integer result too large for this engine"})
		}
	}
	return checkBig(new(big.Int).Exp(base, eb, nil))
}

// floatPow is Python's float ** float.
func floatPow(x, y float64) any {
	if x == 0 && y < 0 {
		raise(&rtError{kind: "ZeroDivisionError", msg: "0.0 cannot be raised to a negative power"})
	}
	if x < 0 && y != math.Trunc(y) && !math.IsInf(y, 0) {
		raise(&rtError{kind: "NotSupported", msg: "a negative number to a fractional power is complex; complex numbers are not supported by this template engine"})
	}
	r := math.Pow(x, y)
	if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		raise(&rtError{kind: "OverflowError", msg: "(34, 'Numerical result out of range')"})
	}
	return r
}

// cmpNum compares two numbers exactly, as Python does across int and
// float. NaN makes every comparison false: ok is false then.
func cmpNum(a, b any) (c int, ok bool) {
	fa, aFloat := a.(float64)
	fb, bFloat := b.(float64)
	switch {
	case aFloat && bFloat:
		if math.IsNaN(fa) || math.IsNaN(fb) {
			return 0, false
		}
		return cmpF(fa, fb), true
	case !aFloat && !bFloat:
		x, ok1 := intOf(a)
		y, ok2 := intOf(b)
		if ok1 && ok2 {
			return cmpI(x, y), true
		}
		return toBig(a).Cmp(toBig(b)), true
	case aFloat:
		c, ok := cmpIntFloat(b, fa)
		return -c, ok
	default:
		return cmpIntFloat(a, fb)
	}
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpI(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpIntFloat compares int i with float f exactly.
func cmpIntFloat(i any, f float64) (int, bool) {
	if math.IsNaN(f) {
		return 0, false
	}
	if math.IsInf(f, 1) {
		return -1, true
	}
	if math.IsInf(f, -1) {
		return 1, true
	}
	if x, ok := intOf(i); ok && absI(x) < 1<<53 {
		return cmpF(float64(x), f), true
	}
	bf := new(big.Float).SetPrec(0).SetFloat64(f)
	bi := new(big.Float).SetPrec(uint(max(64, toBig(i).BitLen()))).SetInt(toBig(i))
	return bi.Cmp(bf), true
}
