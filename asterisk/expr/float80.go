package expr

import "math/bits"

// float80 is a software model of the x87 80-bit extended-precision format
// that Asterisk's expression evaluator uses for every number (C long double
// on x86_64): a 64-bit significand with an explicit integer bit, a 15-bit
// exponent, subnormals, signed zeros, infinities and NaNs. Every operation
// rounds to nearest, ties to even, as the x87 does in its default mode.
//
// A finite value is mant × 2^exp. Normal numbers have the top bit of mant
// set and minExp80 <= exp <= maxExp80; subnormals have exp == minExp80 and
// a mant below 1<<63.
type float80 struct {
	class class80
	neg   bool
	mant  uint64
	exp   int32
}

// class80 tells which kind of value a float80 holds.
type class80 uint8

const (
	zero80 class80 = iota
	finite80
	inf80
	nan80
)

const (
	// minExp80 is the exponent of the least significant significand bit
	// of the smallest subnormal, 2^-16445.
	minExp80 = -16445
	// maxExp80 is the largest exponent of the least significant
	// significand bit, so LDBL_MAX is (2^64-1) × 2^16320.
	maxExp80 = 16320
	// quietBit80 is the significand bit that marks a NaN as quiet.
	quietBit80 = 1 << 62
)

// indefinite80 returns the x87 "real indefinite" NaN produced by invalid
// operations such as inf-inf or 0×inf; printf shows it as "-nan".
func indefinite80() float80 {
	return float80{class: nan80, neg: true, mant: 1<<63 | quietBit80}
}

// nan80Of returns a quiet NaN with the given sign.
func nan80Of(neg bool) float80 {
	return float80{class: nan80, neg: neg, mant: 1<<63 | quietBit80}
}

// inf80Of returns an infinity with the given sign.
func inf80Of(neg bool) float80 { return float80{class: inf80, neg: neg} }

// zero80Of returns a zero with the given sign.
func zero80Of(neg bool) float80 { return float80{class: zero80, neg: neg} }

// fromInt80 converts a signed integer exactly.
func fromInt80(i int64) float80 {
	if i == 0 {
		return float80{}
	}
	neg := i < 0
	u := uint64(i)
	if neg {
		u = -u
	}
	return fromUint80(neg, u, 0)
}

// fromUint80 returns ±u × 2^e, rounded.
func fromUint80(neg bool, u uint64, e int) float80 {
	return round128(neg, 0, u, e, false)
}

// isZero reports whether f is +0 or -0 (C's f == 0).
func (f float80) isZero() bool { return f.class == zero80 }

// isNaN reports whether f is a NaN.
func (f float80) isNaN() bool { return f.class == nan80 }

// normalized returns the significand shifted so its top bit is set and the
// matching exponent, which may be below minExp80 for subnormals.
func (f float80) normalized() (uint64, int) {
	n := bits.LeadingZeros64(f.mant)
	return f.mant << n, int(f.exp) - n
}

// round128 rounds ±(hi·2^64 + lo + sticky) × 2^e to a float80. The sticky
// flag says the true value lies strictly above the given integer by less
// than one unit; callers that set it supply at least 66 significant bits.
func round128(neg bool, hi, lo uint64, e int, sticky bool) float80 {
	if hi == 0 && lo == 0 {
		return zero80Of(neg)
	}
	length := 128 - bits.LeadingZeros64(hi)
	if hi == 0 {
		length = 64 - bits.LeadingZeros64(lo)
	}
	target := e + length - 64
	if target < minExp80 {
		target = minExp80
	}
	shift := target - e
	var q uint64
	switch {
	case shift <= 0:
		// Exact: the value fits in 64 bits at the target exponent.
		q = lo << uint(-shift)
	case shift > 128:
		return zero80Of(neg)
	default:
		// At most 64 bits remain at the target exponent.
		_, q = shiftRight128(hi, lo, uint(shift))
		rhi, rlo := lowBits128(hi, lo, uint(shift))
		hhi, hlo := bit128(uint(shift - 1))
		c := cmp128(rhi, rlo, hhi, hlo)
		if c > 0 || c == 0 && (sticky || q&1 == 1) {
			q++
			if q == 0 {
				// Rounding carried out of the top bit.
				q, target = 1<<63, target+1
			}
		}
	}
	if q == 0 {
		return zero80Of(neg)
	}
	if target > maxExp80 {
		return inf80Of(neg)
	}
	return float80{class: finite80, neg: neg, mant: q, exp: int32(target)}
}

// shiftRight128 returns (hi,lo) >> s for 0 < s <= 128.
func shiftRight128(hi, lo uint64, s uint) (uint64, uint64) {
	switch {
	case s >= 128:
		return 0, 0
	case s >= 64:
		return 0, hi >> (s - 64)
	default:
		return hi >> s, lo>>s | hi<<(64-s)
	}
}

// lowBits128 returns the low s bits of (hi,lo), 0 < s <= 128.
func lowBits128(hi, lo uint64, s uint) (uint64, uint64) {
	switch {
	case s >= 128:
		return hi, lo
	case s >= 64:
		return hi & (1<<(s-64) - 1), lo
	default:
		return 0, lo & (1<<s - 1)
	}
}

// bit128 returns 2^s as a 128-bit pair, s < 128.
func bit128(s uint) (uint64, uint64) {
	if s >= 64 {
		return 1 << (s - 64), 0
	}
	return 0, 1 << s
}

// cmp128 compares two 128-bit unsigned integers.
func cmp128(ahi, alo, bhi, blo uint64) int {
	switch {
	case ahi != bhi:
		if ahi < bhi {
			return -1
		}
		return 1
	case alo != blo:
		if alo < blo {
			return -1
		}
		return 1
	}
	return 0
}

// propagateNaN picks the NaN an x87 arithmetic instruction returns when
// at least one operand is a NaN: the one with the larger significand, the
// first on a tie, made quiet.
func propagateNaN(a, b float80) float80 {
	var r float80
	switch {
	case a.isNaN() && b.isNaN():
		r = a
		if b.mant|quietBit80 > a.mant|quietBit80 {
			r = b
		}
	case a.isNaN():
		r = a
	default:
		r = b
	}
	r.mant |= quietBit80
	return r
}

// neg80 flips the sign, NaNs included (fchs).
func neg80(a float80) float80 {
	a.neg = !a.neg
	return a
}

// abs80 clears the sign (fabs).
func abs80(a float80) float80 {
	a.neg = false
	return a
}

// add80 returns a + b.
func add80(a, b float80) float80 {
	switch {
	case a.isNaN() || b.isNaN():
		return propagateNaN(a, b)
	case a.class == inf80 && b.class == inf80:
		if a.neg != b.neg {
			return indefinite80()
		}
		return a
	case a.class == inf80:
		return a
	case b.class == inf80:
		return b
	case a.isZero() && b.isZero():
		return zero80Of(a.neg && b.neg)
	case a.isZero():
		return b
	case b.isZero():
		return a
	}
	ma, ea := a.normalized()
	mb, eb := b.normalized()
	if eb > ea || eb == ea && mb > ma {
		a, b, ma, ea, mb, eb = b, a, mb, eb, ma, ea
	}
	// |a| >= |b|. Give a 63 guard bits and align b below it.
	ahi, alo := ma>>1, ma<<63
	d := uint(ea - eb)
	var bhi, blo uint64
	sticky := false
	if d >= 127 {
		sticky = true
	} else {
		bhi, blo = mb>>1, mb<<63
		if d > 0 {
			rhi, rlo := lowBits128(bhi, blo, d)
			sticky = rhi|rlo != 0
			bhi, blo = shiftRight128(bhi, blo, d)
		}
	}
	var hi, lo uint64
	if a.neg == b.neg {
		var c uint64
		lo, c = bits.Add64(alo, blo, 0)
		hi, _ = bits.Add64(ahi, bhi, c)
	} else {
		var br uint64
		lo, br = bits.Sub64(alo, blo, 0)
		hi, _ = bits.Sub64(ahi, bhi, br)
		if sticky {
			// The true b is slightly larger than its truncation.
			lo, br = bits.Sub64(lo, 1, 0)
			hi -= br
		}
		if hi == 0 && lo == 0 && !sticky {
			return float80{}
		}
	}
	return round128(a.neg, hi, lo, ea-63, sticky)
}

// sub80 returns a - b.
func sub80(a, b float80) float80 {
	if b.isNaN() {
		return propagateNaN(a, b)
	}
	return add80(a, neg80(b))
}

// mul80 returns a × b.
func mul80(a, b float80) float80 {
	neg := a.neg != b.neg
	switch {
	case a.isNaN() || b.isNaN():
		return propagateNaN(a, b)
	case a.class == inf80 || b.class == inf80:
		if a.isZero() || b.isZero() {
			return indefinite80()
		}
		return inf80Of(neg)
	case a.isZero() || b.isZero():
		return zero80Of(neg)
	}
	ma, ea := a.normalized()
	mb, eb := b.normalized()
	hi, lo := bits.Mul64(ma, mb)
	return round128(neg, hi, lo, ea+eb, false)
}

// div80 returns a / b.
func div80(a, b float80) float80 {
	neg := a.neg != b.neg
	switch {
	case a.isNaN() || b.isNaN():
		return propagateNaN(a, b)
	case a.class == inf80 && b.class == inf80, a.isZero() && b.isZero():
		return indefinite80()
	case a.class == inf80, b.isZero():
		return inf80Of(neg)
	case a.isZero(), b.class == inf80:
		return zero80Of(neg)
	}
	ma, ea := a.normalized()
	mb, eb := b.normalized()
	// Long division of ma·2^128 by mb, one 64-bit digit at a time.
	q1, r1 := ma/mb, ma%mb
	q2, r2 := bits.Div64(r1, 0, mb)
	q3, r3 := bits.Div64(r2, 0, mb)
	e := ea - eb - 128
	hi, lo, sticky := q2, q3, r3 != 0
	if q1 != 0 {
		sticky = sticky || q3&1 != 0
		hi, lo = 1<<63|q2>>1, q2<<63|q3>>1
		e++
	}
	return round128(neg, hi, lo, e, sticky)
}

// cmp80 compares a and b as C does; ok is false when either is a NaN.
func cmp80(a, b float80) (c int, ok bool) {
	if a.isNaN() || b.isNaN() {
		return 0, false
	}
	sa, sb := sign80(a), sign80(b)
	switch {
	case sa != sb:
		if sa < sb {
			return -1, true
		}
		return 1, true
	case sa == 0:
		return 0, true
	}
	m := cmpMagnitude80(a, b)
	if sa < 0 {
		m = -m
	}
	return m, true
}

// sign80 returns -1, 0 or 1 (zero for either zero).
func sign80(a float80) int {
	switch {
	case a.isZero():
		return 0
	case a.neg:
		return -1
	}
	return 1
}

// cmpMagnitude80 compares |a| and |b| for non-NaN, non-zero values.
func cmpMagnitude80(a, b float80) int {
	switch {
	case a.class == inf80 && b.class == inf80:
		return 0
	case a.class == inf80:
		return 1
	case b.class == inf80:
		return -1
	}
	ma, ea := a.normalized()
	mb, eb := b.normalized()
	switch {
	case ea != eb:
		if ea < eb {
			return -1
		}
		return 1
	case ma != mb:
		if ma < mb {
			return -1
		}
		return 1
	}
	return 0
}

// eq80, lt80 and friends are C's comparison operators on long double.
func eq80(a, b float80) bool { c, ok := cmp80(a, b); return ok && c == 0 }
func ne80(a, b float80) bool { c, ok := cmp80(a, b); return !ok || c != 0 }
func lt80(a, b float80) bool { c, ok := cmp80(a, b); return ok && c < 0 }
func gt80(a, b float80) bool { c, ok := cmp80(a, b); return ok && c > 0 }
func le80(a, b float80) bool { c, ok := cmp80(a, b); return ok && c <= 0 }
func ge80(a, b float80) bool { c, ok := cmp80(a, b); return ok && c >= 0 }
