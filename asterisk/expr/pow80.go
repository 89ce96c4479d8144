package expr

import (
	"math/big"
	"math/bits"
)

// powl is x^y as glibc's x87 __ieee754_powl computes it: special cases
// first, repeated x87 multiplication for the integers 1 <= |y| < 4, and an
// accurate exp(y·ln|x|) otherwise.
func powl(x, y float80) float80 {
	switch {
	case y.isZero():
		return fromInt80(1)
	case y.isNaN():
		if eq80(x, fromInt80(1)) {
			return x
		}
		return propagateNaN(x, y)
	case y.class == inf80:
		if x.isNaN() {
			return quiet(x)
		}
		switch c := magnitudeVersusOne(x); {
		case c == 0:
			return fromInt80(1)
		case (c > 0) != y.neg:
			return inf80Of(false)
		}
		return float80{}
	case x.isNaN():
		return propagateNaN(x, y)
	case x.isZero():
		odd := x.neg && isOddInteger(y)
		if y.neg {
			return inf80Of(odd)
		}
		return zero80Of(odd)
	case x.class == inf80:
		odd := x.neg && isOddInteger(y)
		if y.neg {
			return zero80Of(odd)
		}
		return inf80Of(odd)
	}
	if n, ok := smallInteger(y); ok {
		return powSmallInteger(x, n)
	}
	integer := isInteger(y)
	if integer {
		if n, ok := integerValue(y, maxExactPower); ok {
			return exactIntegerPow(x, n)
		}
		if x.mant&(x.mant-1) == 0 {
			return exactPowerOfTwoPow(x, y)
		}
	}
	if x.neg && !integer {
		return indefinite80()
	}
	neg := x.neg && isOddInteger(y)
	// Beyond 2^80 the result is 0, 1 or infinity whatever the size.
	if y.class == finite80 && int(y.exp)+63-bits.LeadingZeros64(y.mant) >= 80 {
		y = fromUint80(y.neg, 1, 80)
	}
	p := uint(workPrec + 128)
	l := logBig(toBig(abs80(x), p), workPrec+128)
	l.Mul(l, toBig(y, p))
	if l.IsInf() || l.MantExp(nil) > 16 {
		if l.Sign() < 0 {
			return zero80Of(neg)
		}
		return inf80Of(neg)
	}
	z := expBig(l, workPrec)
	if neg {
		z.Neg(z)
	}
	return fromBig(z)
}

// magnitudeVersusOne compares |x| with 1 for a non-NaN x.
func magnitudeVersusOne(x float80) int {
	if x.isZero() {
		return -1
	}
	return cmpMagnitude80(x, fromInt80(1))
}

// smallInteger reports whether y is one of ±1, ±2, ±3.
func smallInteger(y float80) (int, bool) {
	if !isInteger(y) || y.exp < -63 || y.exp > 0 {
		return 0, false
	}
	v := y.mant >> uint(-y.exp)
	if v >= 4 {
		return 0, false
	}
	if y.neg {
		return -int(v), true
	}
	return int(v), true
}

// isInteger reports whether a finite y is integral.
func isInteger(y float80) bool {
	if y.class != finite80 {
		return y.isZero()
	}
	if y.exp >= 0 {
		return true
	}
	if y.exp <= -64 {
		return false
	}
	return y.mant&(1<<uint(-y.exp)-1) == 0
}

// isOddInteger reports whether y is an odd integer.
func isOddInteger(y float80) bool {
	if y.class != finite80 || !isInteger(y) || y.exp > 0 {
		return false
	}
	if y.exp == 0 {
		return y.mant&1 == 1
	}
	return y.mant>>uint(-y.exp)&1 == 1
}

// powSmallInteger multiplies as glibc's x87 loop does for 1 <= |n| < 4:
// x is inverted first for a negative n, and every product is rounded.
func powSmallInteger(x float80, n int) float80 {
	if n < 0 {
		x = div80(fromInt80(1), x)
		n = -n
	}
	switch n {
	case 1:
		return x
	case 2:
		return mul80(x, x)
	}
	sq := mul80(abs80(x), x)
	return mul80(abs80(x), sq)
}

// maxExactPower is the largest |y| for which powl computes x^y exactly
// before rounding, which settles ties the way glibc does.
const maxExactPower = 256

// integerValue returns the integral y when |y| <= limit.
func integerValue(y float80, limit int64) (int64, bool) {
	if y.class != finite80 || !isInteger(y) || y.exp > 0 || y.exp < -63 {
		return 0, false
	}
	v := y.mant >> uint(-y.exp)
	if v > uint64(limit) {
		return 0, false
	}
	if y.neg {
		return -int64(v), true
	}
	return int64(v), true
}

// exactIntegerPow returns x^n for a finite non-zero x, computed exactly
// and rounded once.
func exactIntegerPow(x float80, n int64) float80 {
	m, e := x.normalized()
	tz := bits.TrailingZeros64(m)
	m >>= uint(tz)
	e += tz
	neg := x.neg && n&1 == 1
	k := n
	if k < 0 {
		k = -k
	}
	p := new(big.Int).Exp(new(big.Int).SetUint64(m), big.NewInt(k), nil)
	exp := e * int(k)
	if n > 0 {
		f, _, _ := roundBig80(neg, p, exp, false)
		return f
	}
	// 1/(p·2^exp): a quotient with at least 66 significant bits.
	shift := p.BitLen() + 66
	num := new(big.Int).Lsh(big.NewInt(1), uint(shift))
	q, r := new(big.Int).QuoRem(num, p, new(big.Int))
	f, _, _ := roundBig80(neg, q, -shift-exp, r.Sign() != 0)
	return f
}

// exactPowerOfTwoPow returns x^y for x = ±2^k and an integral y, which is
// a power of two: exact unless it leaves the range.
func exactPowerOfTwoPow(x, y float80) float80 {
	_, e := x.normalized()
	k := e + 63
	neg := x.neg && isOddInteger(y)
	if k == 0 {
		return fromUint80(neg, 1, 0)
	}
	n, ok := integerValue(y, 1<<40)
	if !ok {
		// |y| > 2^40: far out of range either way.
		if y.neg != (k < 0) {
			return zero80Of(neg)
		}
		return inf80Of(neg)
	}
	return fromUint80(neg, 1, int(n)*k)
}
