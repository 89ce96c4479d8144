package expr

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// pow10u64 returns 10^k for 0 <= k <= 19, the powers that fit a uint64.
func pow10u64(k int) uint64 {
	p := uint64(1)
	for ; k > 0; k-- {
		p *= 10
	}
	return p
}

// parseDecimal80 converts the longest prefix of s that strtold would read
// as a plain decimal number ([0-9]*(\.[0-9]*)? with at least one digit) to
// the nearest float80, as glibc's strtold does for the only strings
// Asterisk ever converts: its numeric strings hold nothing but digits and
// dots. No digits yields +0. rangeErr reports what strtold signals with
// ERANGE: overflow to infinity, or a tiny result that is inexact.
func parseDecimal80(s string) (f float80, rangeErr bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[:i]
	frac := ""
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		frac = s[i+1 : j]
	}
	if intPart == "" && frac == "" {
		return float80{}, false
	}
	frac = strings.TrimRight(frac, "0")
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return float80{}, false
	}
	k := len(frac)
	if len(digits) <= 19 && k <= 27 {
		if d, err := strconv.ParseUint(digits, 10, 64); err == nil {
			if k == 0 {
				return fromUint80(false, d, 0), false
			}
			// 10^k is exact for k <= 27 (5^27 < 2^64), so one
			// correctly rounded division gives the nearest value.
			return div80(fromUint80(false, d, 0), pow10Exact80(k)), false
		}
	}
	n, _ := new(big.Int).SetString(digits, 10)
	var q *big.Int
	e := 0
	sticky := false
	if k == 0 {
		q = n
	} else {
		den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
		s := 66 + den.BitLen() - n.BitLen()
		if s < 0 {
			s = 0
		}
		num := new(big.Int).Lsh(n, uint(s))
		var r big.Int
		q, _ = new(big.Int).QuoRem(num, den, &r)
		e, sticky = -s, r.Sign() != 0
	}
	f, inexact, tiny := roundBig80(false, q, e, sticky)
	return f, f.class == inf80 || tiny && inexact
}

// pow10Exact80 returns 10^k for 0 <= k <= 27, exactly.
func pow10Exact80(k int) float80 {
	if k <= 19 {
		return fromUint80(false, pow10u64(k), 0)
	}
	// 10^k = 5^k × 2^k and 5^k fits in 64 bits for k <= 27.
	p := uint64(1)
	for i := 0; i < k; i++ {
		p *= 5
	}
	return fromUint80(false, p, k)
}

// roundBig80 rounds ±(q + sticky) × 2^e to a float80 and reports whether
// the result is inexact and whether it is tiny in the x87 sense (below the
// smallest normal after rounding to 64 bits with an unbounded exponent).
func roundBig80(neg bool, q *big.Int, e int, sticky bool) (f float80, inexact, tiny bool) {
	length := q.BitLen()
	if length == 0 {
		return zero80Of(neg), sticky, sticky
	}
	if drop := length - 128; drop > 0 {
		low := new(big.Int).And(q, new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(drop)), big.NewInt(1)))
		sticky = sticky || low.Sign() != 0
		q = new(big.Int).Rsh(q, uint(drop))
		e += drop
		length = 128
	}
	var buf [16]byte
	q.FillBytes(buf[:])
	hi, lo := beUint64(buf[:8]), beUint64(buf[8:])
	f = round128(neg, hi, lo, e, sticky)
	inexact = sticky || !exactAt64(hi, lo, e, f)
	// Tininess after rounding: the value is tiny unless rounding it to
	// 64 bits with an unbounded exponent reaches 2^-16382.
	top := e + length - 1
	switch {
	case top < -16383:
		tiny = true
	case top == -16383:
		tiny = !roundsUpTo64(hi, lo, length, sticky)
	}
	return f, inexact, tiny
}

// beUint64 decodes 8 big-endian bytes.
func beUint64(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// exactAt64 reports whether (hi,lo) × 2^e equals the finite or zero f.
func exactAt64(hi, lo uint64, e int, f float80) bool {
	if f.class != finite80 {
		return f.class == zero80 && hi == 0 && lo == 0
	}
	shift := int(f.exp) - e
	if shift < 0 {
		return false
	}
	if shift == 0 {
		return hi == 0 && lo == f.mant
	}
	if shift >= 128 {
		return false
	}
	rhi, rlo := lowBits128(hi, lo, uint(shift))
	if rhi|rlo != 0 {
		return false
	}
	qhi, qlo := shiftRight128(hi, lo, uint(shift))
	return qhi == 0 && qlo == f.mant
}

// roundsUpTo64 reports whether rounding the length-bit integer (hi,lo) to
// 64 significant bits carries into a new top bit.
func roundsUpTo64(hi, lo uint64, length int, sticky bool) bool {
	if length <= 64 {
		return false
	}
	shift := uint(length - 64)
	_, q := shiftRight128(hi, lo, shift)
	if q != math.MaxUint64 {
		return false
	}
	rhi, rlo := lowBits128(hi, lo, shift)
	hhi, hlo := bit128(shift - 1)
	c := cmp128(rhi, rlo, hhi, hlo)
	return c > 0 || c == 0 && (sticky || q&1 == 1)
}

// isDigit reports whether c is an ASCII digit (C isdigit in any locale).
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// format80 formats f as glibc's printf("%.18Lg") does.
func format80(f float80) string {
	sign := ""
	if f.neg {
		sign = "-"
	}
	switch f.class {
	case nan80:
		return sign + "nan"
	case inf80:
		return sign + "inf"
	case zero80:
		return sign + "0"
	}
	if v, ok := smallInteger80(f); ok {
		return sign + strconv.FormatUint(v, 10)
	}
	digits, exp10 := decimalDigits80(f, 18)
	return sign + formatG(digits, exp10, 18)
}

// smallInteger80 returns |f| when it is an integer below 10^18, the range
// where %.18Lg prints every digit with no fraction.
func smallInteger80(f float80) (uint64, bool) {
	if f.exp >= 0 {
		if f.exp >= 64 || bits.LeadingZeros64(f.mant) < int(f.exp) {
			return 0, false
		}
		v := f.mant << uint(f.exp)
		return v, v < pow10u64(18)
	}
	if f.exp <= -64 || f.mant&(1<<uint(-f.exp)-1) != 0 {
		return 0, false
	}
	v := f.mant >> uint(-f.exp)
	return v, v < pow10u64(18)
}

// decimalDigits80 returns |f| rounded to n significant decimal digits
// (round half to even on the exact binary value, as glibc does) and the
// decimal exponent of the first digit.
func decimalDigits80(f float80, n int) (string, int) {
	var text string
	if x, ok := exactFloat64(f); ok {
		text = strconv.FormatFloat(x, 'e', n-1, 64)
	} else {
		m := new(big.Float).SetUint64(f.mant)
		x := new(big.Float).SetMantExp(m, int(f.exp))
		text = x.Text('e', n-1)
	}
	mant, exp, _ := strings.Cut(text, "e")
	e, _ := strconv.Atoi(exp)
	return strings.Replace(mant, ".", "", 1), e
}

// exactFloat64 returns |f| as a float64 when that is exact.
func exactFloat64(f float80) (float64, bool) {
	m, e := f.normalized()
	if m&(1<<11-1) != 0 || e < -1074+11 || e > 1023-63 {
		return 0, false
	}
	return math.Ldexp(float64(m), e), true
}

// formatG lays out n significant digits with decimal exponent x the way
// C's %g does at precision n: fixed notation when -4 <= x < n, otherwise
// d.ddde±XX, with trailing zeros and a bare decimal point removed.
func formatG(digits string, x, n int) string {
	if x < -4 || x >= n {
		m := strings.TrimRight(digits[1:], "0")
		var b strings.Builder
		b.WriteByte(digits[0])
		if m != "" {
			b.WriteByte('.')
			b.WriteString(m)
		}
		b.WriteByte('e')
		if x < 0 {
			b.WriteByte('-')
			x = -x
		} else {
			b.WriteByte('+')
		}
		if x < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(x))
		return b.String()
	}
	var intPart, fracPart string
	if x >= 0 {
		intPart, fracPart = digits[:x+1], digits[x+1:]
	} else {
		intPart, fracPart = "0", strings.Repeat("0", -x-1)+digits
	}
	fracPart = strings.TrimRight(fracPart, "0")
	if fracPart == "" {
		return intPart
	}
	return intPart + "." + fracPart
}
