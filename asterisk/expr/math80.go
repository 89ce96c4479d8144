package expr

import "math/big"

// The functions in this file are exact (or correctly rounded, like the
// x87 fsqrt/fprem/frndint instructions glibc uses for them), so they
// match glibc bit for bit.

// sqrtl is the correctly rounded square root; negative numbers give the
// x87 default NaN, printed "-nan".
func sqrtl(x float80) float80 {
	switch {
	case x.isNaN():
		return quiet(x)
	case x.isZero():
		return x
	case x.neg:
		return indefinite80()
	case x.class == inf80:
		return x
	}
	m, e := x.normalized()
	// Scale to an even exponent with enough bits for a 72-bit root.
	shift := 80 + e&1
	n := new(big.Int).Lsh(new(big.Int).SetUint64(m), uint(shift))
	root := new(big.Int).Sqrt(n)
	sticky := new(big.Int).Mul(root, root).Cmp(n) != 0
	f, _, _ := roundBig80(false, root, (e-shift)/2, sticky)
	return f
}

// quiet returns the NaN x with its quiet bit set.
func quiet(x float80) float80 {
	x.mant |= quietBit80
	return x
}

// roundingMode selects how roundToInteger treats the fraction.
type roundingMode uint8

const (
	towardZero   roundingMode = iota // truncl
	towardMinus                      // floorl
	towardPlus                       // ceill
	halfAwayZero                     // roundl
	halfEven                         // rintl in the default mode
)

// roundToInteger rounds x to an integral value; zeros keep x's sign.
func roundToInteger(x float80, mode roundingMode) float80 {
	if x.class != finite80 {
		if x.isNaN() {
			return quiet(x)
		}
		return x
	}
	if x.exp >= 0 {
		return x
	}
	s := uint(-x.exp)
	var whole uint64
	var fracAbove, fracHalf, fracNonzero bool
	switch {
	case s > 64:
		fracNonzero = true // 0 < |x| < 2^-1
	case s == 64:
		fracNonzero = true
		fracAbove = x.mant > 1<<63
		fracHalf = x.mant == 1<<63
	default:
		whole = x.mant >> s
		frac := x.mant & (1<<s - 1)
		half := uint64(1) << (s - 1)
		fracNonzero = frac != 0
		fracAbove = frac > half
		fracHalf = frac == half
	}
	up := false
	switch mode {
	case towardMinus:
		up = x.neg && fracNonzero
	case towardPlus:
		up = !x.neg && fracNonzero
	case halfAwayZero:
		up = fracAbove || fracHalf
	case halfEven:
		up = fracAbove || fracHalf && whole&1 == 1
	}
	if up {
		whole++
	}
	if whole == 0 {
		return zero80Of(x.neg)
	}
	return fromUint80(x.neg, whole, 0)
}

func floorl(x float80) float80 { return roundToInteger(x, towardMinus) }
func ceill(x float80) float80  { return roundToInteger(x, towardPlus) }
func truncl(x float80) float80 { return roundToInteger(x, towardZero) }
func roundl(x float80) float80 { return roundToInteger(x, halfAwayZero) }
func rintl(x float80) float80  { return roundToInteger(x, halfEven) }

// fmodl is the exact remainder of x/y truncated toward zero, with x's
// sign (fprem). An infinite x or zero y gives "-nan".
func fmodl(x, y float80) float80 { return exactRemainder(x, y, false) }

// remainderl is x - n·y with n = x/y rounded to even (fprem1).
func remainderl(x, y float80) float80 { return exactRemainder(x, y, true) }

// exactRemainder implements fmodl (nearest false) and remainderl.
func exactRemainder(x, y float80, nearest bool) float80 {
	switch {
	case x.isNaN() || y.isNaN():
		return propagateNaN(x, y)
	case x.class == inf80 || y.isZero():
		return indefinite80()
	case y.class == inf80 || x.isZero():
		return x
	}
	mx, ex := x.normalized()
	my, ey := y.normalized()
	e := min(ex, ey)
	a := new(big.Int).Lsh(new(big.Int).SetUint64(mx), uint(ex-e))
	b := new(big.Int).Lsh(new(big.Int).SetUint64(my), uint(ey-e))
	q, r := new(big.Int).QuoRem(a, b, new(big.Int))
	neg := x.neg
	if nearest {
		twice := new(big.Int).Lsh(r, 1)
		if c := twice.Cmp(b); c > 0 || c == 0 && q.Bit(0) == 1 {
			r.Sub(b, r)
			neg = !neg
		}
	}
	if r.Sign() == 0 {
		return zero80Of(x.neg)
	}
	f, _, _ := roundBig80(neg, r, e, false)
	return f
}
