package expr

import (
	"math/big"
	"strings"
)

// The transcendental functions are computed with math/big at workPrec
// bits and then rounded once to 64 bits, which gives the correctly
// rounded long double. glibc's x87 implementations (expl, logl, powl …)
// are accurate to within about one unit in the last place but not always
// correctly rounded, so in rare cases the 18th significant digit printed
// by %.18Lg differs from Asterisk's. Special values (zeros, infinities,
// NaN and their signs) follow glibc on x86_64.

// workPrec is the working precision of the transcendental functions.
const workPrec = 192

const (
	// ln2Hex and ln10Hex are ln 2 and ln 10 scaled by 2^256.
	ln2Hex  = "b17217f7d1cf79abc9e3b39803f2f6af40f343267298b62d8a0d175b8baafa2b"
	ln10Hex = "24d763776aaa2b05ba95b58ae0b4c28a38a3fb3e76977e43a0f187a0807c0b5ca"
)

// hexConstant returns the integer hex × 2^-scale at precision prec.
func hexConstant(hex string, scale int, prec uint) *big.Float {
	i, _ := new(big.Int).SetString(hex, 16)
	f := new(big.Float).SetPrec(prec).SetInt(i)
	return f.SetMantExp(f, -scale)
}

func ln2Big(prec uint) *big.Float  { return hexConstant(ln2Hex, 256, prec) }
func ln10Big(prec uint) *big.Float { return hexConstant(ln10Hex, 256, prec) }

// piBig returns pi to prec bits (prec <= 16896).
func piBig(prec uint) *big.Float {
	digits := int(prec+3) / 4
	if digits > len(piFractionHex) {
		digits = len(piFractionHex)
	}
	var b strings.Builder
	b.WriteByte('3')
	b.WriteString(piFractionHex[:digits])
	return hexConstant(b.String(), 4*digits, prec)
}

// newBig returns a zero big.Float at precision prec.
func newBig(prec uint) *big.Float { return new(big.Float).SetPrec(prec) }

// toBig converts a finite or infinite x exactly.
func toBig(x float80, prec uint) *big.Float {
	z := newBig(prec)
	switch x.class {
	case inf80:
		return z.SetInf(x.neg)
	case finite80:
		// SetMantExp copies the 64-bit precision of its mantissa.
		z.SetMantExp(new(big.Float).SetUint64(x.mant), int(x.exp)).SetPrec(prec)
	}
	if x.neg {
		z.Neg(z)
	}
	return z
}

// fromBig rounds an approximation to a float80. The approximation is
// treated as inexact, which settles ties the right way as long as its
// error is far below the rounding unit.
func fromBig(z *big.Float) float80 {
	switch {
	case z.IsInf():
		return inf80Of(z.Signbit())
	case z.Sign() == 0:
		return zero80Of(z.Signbit())
	}
	neg := z.Signbit()
	a := new(big.Float).Abs(z)
	exp := a.MantExp(nil)
	a.SetMantExp(a, 128-exp)
	i, _ := a.Int(nil)
	f, _, _ := roundBig80(neg, i, exp-128, true)
	return f
}

// expBig returns e^x for a finite x whose magnitude is below 2^15.
func expBig(x *big.Float, prec uint) *big.Float {
	p := prec + 64
	ln2 := ln2Big(p)
	k := newBig(p).Quo(x, ln2)
	ki := roundHalf(k).Int64()
	r := newBig(p).Sub(x, newBig(p).Mul(newBig(p).SetInt64(ki), ln2))
	// e^r with |r| <= ln2/2: shrink by 2^-16, sum the series, square back.
	const halvings = 16
	r.SetMantExp(r, -halvings)
	sum := newBig(p).SetInt64(1)
	term := newBig(p).SetInt64(1)
	for n := int64(1); n < 200; n++ {
		term.Mul(term, r)
		term.Quo(term, newBig(p).SetInt64(n))
		if term.Sign() == 0 || term.MantExp(nil) < -int(p)-4 {
			break
		}
		sum.Add(sum, term)
	}
	for i := 0; i < halvings; i++ {
		sum.Mul(sum, sum)
	}
	return sum.SetMantExp(sum, int(ki))
}

// roundHalf rounds z to the nearest integer, halves away from zero.
func roundHalf(z *big.Float) *big.Int {
	h := new(big.Float).SetPrec(z.Prec()).SetFloat64(0.5)
	if z.Sign() < 0 {
		h.Neg(h)
	}
	i, _ := new(big.Float).SetPrec(z.Prec()+2).Add(z, h).Int(nil)
	return i
}

// logBig returns ln x for a finite x > 0.
func logBig(x *big.Float, prec uint) *big.Float {
	p := prec + 64
	m := newBig(p)
	e := x.MantExp(m) // x = m × 2^e, 0.5 <= m < 1
	if m.Cmp(big.NewFloat(0.70710678118654752)) < 0 {
		m.SetMantExp(m, 1)
		e--
	}
	// ln m = 2 atanh t with t = (m-1)/(m+1), |t| < 0.172.
	one := newBig(p).SetInt64(1)
	t := newBig(p).Quo(newBig(p).Sub(m, one), newBig(p).Add(m, one))
	t2 := newBig(p).Mul(t, t)
	sum := newBig(p).Set(t)
	pow := newBig(p).Set(t)
	for k := int64(1); k < 400 && pow.Sign() != 0; k++ {
		pow.Mul(pow, t2)
		term := newBig(p).Quo(pow, newBig(p).SetInt64(2*k+1))
		if term.Sign() == 0 || term.MantExp(nil) < -int(p)-4 {
			break
		}
		sum.Add(sum, term)
	}
	sum.SetMantExp(sum, 1)
	return sum.Add(sum, newBig(p).Mul(newBig(p).SetInt64(int64(e)), ln2Big(p)))
}

// expl is e^x.
func expl(x float80) float80 { return expFamily(x, nil, false) }

// exp2l is 2^x.
func exp2l(x float80) float80 { return expFamily(x, ln2Big, true) }

// exp10l is 10^x.
func exp10l(x float80) float80 { return expFamily(x, ln10Big, false) }

// expFamily returns e^(x·ln b), where lnBase gives ln b (nil for e) and
// base2 says b is 2.
func expFamily(x float80, lnBase func(uint) *big.Float, base2 bool) float80 {
	switch {
	case x.isNaN():
		return quiet(x)
	case x.isZero():
		return fromInt80(1)
	case x.class == inf80:
		if x.neg {
			return float80{}
		}
		return x
	}
	if x.exp > 0 || x.exp > -64 && x.mant>>uint(-x.exp) >= 1<<16 {
		// |x| >= 2^16: far beyond the overflow and underflow limits.
		if x.neg {
			return float80{}
		}
		return inf80Of(false)
	}
	if base2 && isInteger(x) {
		// 2^n is exact, including the ties of the subnormal range.
		n := int(x.mant >> uint(-x.exp))
		if x.neg {
			n = -n
		}
		return fromUint80(false, 1, n)
	}
	p := uint(workPrec + 64)
	arg := toBig(x, p)
	if lnBase != nil {
		arg.Mul(arg, lnBase(p))
	}
	return fromBig(expBig(arg, workPrec))
}

// logl is the natural logarithm.
func logl(x float80) float80 { return logFamily(x, nil) }

// log2l is the base-2 logarithm.
func log2l(x float80) float80 { return logFamily(x, ln2Big) }

// log10l is the base-10 logarithm.
func log10l(x float80) float80 { return logFamily(x, ln10Big) }

// logFamily returns ln x / ln b, where lnBase gives ln b (nil for e).
// Zero gives -inf and negative numbers "nan" (positive), as glibc does.
func logFamily(x float80, lnBase func(uint) *big.Float) float80 {
	switch {
	case x.isNaN():
		return quiet(x)
	case x.isZero():
		return inf80Of(true)
	case x.neg:
		return nan80Of(false)
	case x.class == inf80:
		return x
	}
	if x.mant == 1<<63 && x.exp == -63 {
		return float80{} // ln 1 is exactly +0
	}
	r := logBig(toBig(x, workPrec+64), workPrec)
	if lnBase != nil {
		r.Quo(r, lnBase(workPrec+64))
	}
	return fromBig(r)
}
