package expr

import (
	"math/big"
)

// Trigonometric functions of long doubles (sinl, cosl, tanl, asinl,
// acosl, atanl, atan2l), computed as described in elem80.go.

// reduceQuarterPi returns r = x - k·pi/2 with |r| <= pi/4 and k mod 4,
// exact to far beyond workPrec for any finite x.
func reduceQuarterPi(x float80) (*big.Float, int) {
	m, e := x.normalized()
	extra := e + 64
	if extra < 0 {
		extra = 0
	}
	p := uint(extra + workPrec + 192)
	halfPi := piBig(p)
	halfPi.SetMantExp(halfPi, -1)
	xb := toBig(float80{class: finite80, mant: m, exp: int32(e)}, p)
	if x.neg {
		xb.Neg(xb)
	}
	k := roundHalf(newBig(p).Quo(xb, halfPi))
	r := newBig(p).Sub(xb, newBig(p).Mul(newBig(p).SetInt(k), halfPi))
	quadrant := int(new(big.Int).And(k, big.NewInt(3)).Int64())
	return r, quadrant
}

// sinCosBig returns sin r and cos r for |r| <= pi/4.
func sinCosBig(r *big.Float, prec uint) (*big.Float, *big.Float) {
	p := prec + 64
	sin := newBig(p).Set(r)
	cos := newBig(p).SetInt64(1)
	term := newBig(p).Set(r) // r^n / n!, sign folded in
	for n := int64(2); n < 400; n += 2 {
		// cos term: previous sin-order term × r / n, negated every other step.
		c := newBig(p).Mul(term, r)
		c.Quo(c, newBig(p).SetInt64(n))
		term.Mul(c, r)
		term.Quo(term, newBig(p).SetInt64(n+1))
		if n%4 == 2 {
			cos.Sub(cos, c)
			sin.Sub(sin, term)
		} else {
			cos.Add(cos, c)
			sin.Add(sin, term)
		}
		if c.Sign() == 0 || c.MantExp(nil) < -int(p)-4 {
			break
		}
	}
	return sin, cos
}

// trig evaluates sinl, cosl or tanl. Infinities give "-nan".
func trig(x float80, which byte) float80 {
	switch {
	case x.isNaN():
		return quiet(x)
	case x.class == inf80:
		return indefinite80()
	case x.isZero():
		if which == 'c' {
			return fromInt80(1)
		}
		return x
	}
	r, q := reduceQuarterPi(x)
	s, c := sinCosBig(r, workPrec)
	var z *big.Float
	switch which {
	case 's':
		z = [4]*big.Float{s, c, newBig(0).Neg(s), newBig(0).Neg(c)}[q]
	case 'c':
		z = [4]*big.Float{c, newBig(0).Neg(s), newBig(0).Neg(c), s}[q]
	default:
		if q&1 == 0 {
			z = newBig(workPrec+64).Quo(s, c)
		} else {
			z = newBig(workPrec+64).Quo(c, s)
			z.Neg(z)
		}
	}
	return fromBig(z)
}

func sinl(x float80) float80 { return trig(x, 's') }
func cosl(x float80) float80 { return trig(x, 'c') }
func tanl(x float80) float80 { return trig(x, 't') }

// atanBig returns atan x for a finite x.
func atanBig(x *big.Float, prec uint) *big.Float {
	p := prec + 64
	if x.Sign() == 0 {
		return newBig(p)
	}
	neg := x.Sign() < 0
	a := newBig(p).Abs(x)
	one := newBig(p).SetInt64(1)
	invert := a.Cmp(one) > 0
	if invert {
		a.Quo(one, a)
	}
	// atan a = 2 atan(a / (1 + sqrt(1 + a²))): halve the angle until
	// the series converges quickly.
	const halvings = 4
	for i := 0; i < halvings; i++ {
		d := newBig(p).Mul(a, a)
		d.Add(d, one)
		d.Sqrt(d)
		d.Add(d, one)
		a.Quo(a, d)
	}
	a2 := newBig(p).Mul(a, a)
	sum := newBig(p).Set(a)
	pow := newBig(p).Set(a)
	for k := int64(1); k < 400; k++ {
		pow.Mul(pow, a2)
		term := newBig(p).Quo(pow, newBig(p).SetInt64(2*k+1))
		if term.Sign() == 0 || term.MantExp(nil) < -int(p)-4 {
			break
		}
		if k%2 == 1 {
			sum.Sub(sum, term)
		} else {
			sum.Add(sum, term)
		}
	}
	sum.SetMantExp(sum, halvings)
	if invert {
		halfPi := piBig(p)
		halfPi.SetMantExp(halfPi, -1)
		sum.Sub(halfPi, sum)
	}
	if neg {
		sum.Neg(sum)
	}
	return sum
}

// halfPi80 returns ±pi/2 rounded.
func halfPi80(neg bool) float80 {
	h := piBig(workPrec)
	h.SetMantExp(h, -1)
	if neg {
		h.Neg(h)
	}
	return fromBig(h)
}

// atanl is the arc tangent.
func atanl(x float80) float80 {
	switch {
	case x.isNaN():
		return quiet(x)
	case x.class == inf80:
		return halfPi80(x.neg)
	case x.isZero():
		return x
	}
	return fromBig(atanBig(toBig(x, workPrec+64), workPrec))
}

// asinl is the arc sine; |x| > 1 gives "nan" (positive).
func asinl(x float80) float80 {
	switch {
	case x.isNaN():
		return quiet(x)
	case x.isZero():
		return x
	}
	one := fromInt80(1)
	switch c := cmpMagnitude80(x, one); {
	case c > 0:
		return nan80Of(false)
	case c == 0:
		return halfPi80(x.neg)
	}
	p := uint(workPrec + 64)
	xb := toBig(x, p)
	d := newBig(p).Mul(xb, xb)
	d.Sub(newBig(p).SetInt64(1), d)
	d.Sqrt(d)
	return fromBig(atanBig(xb.Quo(xb, d), workPrec))
}

// acosl is the arc cosine; |x| > 1 gives "nan" (positive).
func acosl(x float80) float80 {
	switch {
	case x.isNaN():
		return quiet(x)
	case x.isZero():
		return halfPi80(false)
	}
	one := fromInt80(1)
	switch c := cmpMagnitude80(x, one); {
	case c > 0:
		return nan80Of(false)
	case c == 0 && !x.neg:
		return float80{}
	case c == 0:
		return fromBig(piBig(workPrec))
	}
	// acos x = 2 atan sqrt((1-x)/(1+x)).
	p := uint(workPrec + 64)
	xb := toBig(x, p)
	o := newBig(p).SetInt64(1)
	q := newBig(p).Quo(newBig(p).Sub(o, xb), newBig(p).Add(o, xb))
	q.Sqrt(q)
	r := atanBig(q, workPrec)
	return fromBig(r.SetMantExp(r, 1))
}

// atan2l is the angle of the point (x, y), with C99's special cases.
func atan2l(y, x float80) float80 {
	switch {
	case y.isNaN() || x.isNaN():
		return propagateNaN(y, x)
	case y.isZero():
		if x.neg {
			return piSigned(y.neg)
		}
		return y
	case x.isZero():
		return halfPi80(y.neg)
	case y.class == inf80:
		switch {
		case x.class != inf80:
			return halfPi80(y.neg)
		case x.neg:
			return piMultiple(y.neg, 3, 4)
		}
		return piMultiple(y.neg, 1, 4)
	case x.class == inf80:
		if x.neg {
			return piSigned(y.neg)
		}
		return zero80Of(y.neg)
	}
	p := uint(workPrec + 64)
	r := atanBig(newBig(p).Quo(toBig(y, p), toBig(x, p)), workPrec)
	if x.neg {
		pi := piBig(p)
		if y.neg {
			r.Sub(r, pi)
		} else {
			r.Add(r, pi)
		}
	}
	return fromBig(r)
}

// piSigned returns ±pi rounded.
func piSigned(neg bool) float80 { return piMultiple(neg, 1, 1) }

// piMultiple returns ±pi·num/den rounded.
func piMultiple(neg bool, num, den int64) float80 {
	p := uint(workPrec + 64)
	z := piBig(p)
	z.Mul(z, newBig(p).SetInt64(num))
	z.Quo(z, newBig(p).SetInt64(den))
	if neg {
		z.Neg(z)
	}
	return fromBig(z)
}
