package expr

import (
	"math"
	"strings"
	"testing"
)

// f80 builds a finite float80 from a significand and exponent.
func f80(neg bool, mant uint64, exp int32) float80 {
	return float80{class: finite80, neg: neg, mant: mant, exp: exp}
}

// smallest is the smallest positive subnormal, 2^-16445.
var smallest = f80(false, 1, minExp80)

func TestParseDecimal80(t *testing.T) {
	cases := []struct {
		in       string
		want     float80
		rangeErr bool
	}{
		// strtold reads the longest decimal prefix; none reads as +0.
		{"", float80{}, false},
		{".", float80{}, false},
		{"0", float80{}, false},
		{"000.000", float80{}, false},
		{"1", f80(false, 1<<63, -63), false},
		{"1.2.3", f80(false, 0x999999999999999a, -63), false}, // reads 1.2
		{"5.", f80(false, 5<<61, -61), false},
		{".5", f80(false, 1<<63, -64), false},
		// Round to nearest, ties to even, on the 64-bit significand.
		{"18446744073709551615", f80(false, math.MaxUint64, 0), false}, // 2^64-1 is exact
		{"18446744073709551617", f80(false, 1<<63, 1), false},          // tie: even
		{"18446744073709551618", f80(false, 1<<63+1, 1), false},
		{"18446744073709551619", f80(false, 1<<63+2, 1), false}, // tie: even
		{"0.1", f80(false, 0xcccccccccccccccd, -67), false},
		// Subnormals, the underflow and overflow limits: a tiny inexact
		// result or an overflow is ERANGE.
		{"0." + strings.Repeat("0", 4950) + "36451995318824746025", smallest, true},
		{"0." + strings.Repeat("0", 4930) + "1", f80(false, 0xbe5b66ecbce0b7b1, -16444), false},
		{"0." + strings.Repeat("0", 4950) + "1", float80{}, true},
		{strings.Repeat("9", 4933), inf80Of(false), true},
		{"1" + strings.Repeat("0", 4932), f80(false, 0xd72cb2a95c7ef6cd, 16320), false},
	}
	for _, c := range cases {
		got, rangeErr := parseDecimal80(c.in)
		if got != c.want || rangeErr != c.rangeErr {
			name := c.in
			if len(name) > 40 {
				name = name[:20] + "…" + name[len(name)-20:]
			}
			t.Errorf("parseDecimal80(%q) = %+v, %v; want %+v, %v", name, got, rangeErr, c.want, c.rangeErr)
		}
	}
}

func TestFormat80(t *testing.T) {
	cases := []struct {
		in   float80
		want string
	}{
		// printf("%.18Lg"): integers below 10^18 print in full.
		{fromInt80(0), "0"},
		{zero80Of(true), "-0"},
		{fromInt80(-42), "-42"},
		{fromUint80(false, 999999999999999999, 0), "999999999999999999"},
		{fromUint80(false, 1000000000000000000, 0), "1e+18"},
		{fromUint80(false, 1234567890123456789, 0), "1.23456789012345679e+18"},
		{fromUint80(false, 1, 100), "1.2676506002282294e+30"},
		// Fractions: %f between 1e-4 and 1e18, trailing zeros removed.
		{f80(false, 1<<63, -64), "0.5"},
		{div80(fromInt80(2), fromInt80(3)), "0.666666666666666667"},
		{div80(fromInt80(1), fromInt80(10000)), "0.0001"},
		{div80(fromInt80(1), fromInt80(100000)), "1e-05"},
		{div80(fromInt80(-1), fromInt80(7)), "-0.142857142857142857"},
		// Special values as glibc prints them.
		{inf80Of(false), "inf"},
		{inf80Of(true), "-inf"},
		{nan80Of(false), "nan"},
		{indefinite80(), "-nan"},
		{smallest, "3.6451995318824746e-4951"},
		{f80(false, math.MaxUint64, maxExp80), "1.18973149535723177e+4932"},
	}
	for _, c := range cases {
		if got := format80(c.in); got != c.want {
			t.Errorf("format80(%+v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFormatRoundTrip checks that any decimal of at most 18 significant
// digits survives strtold and %.18Lg unchanged, as 10^18 < 2^63 implies.
func TestFormatRoundTrip(t *testing.T) {
	for _, s := range []string{"1", "0.1", "123456789012345678", "0.000123456789012345678", "98765.4321", "0.5", "3.25"} {
		f, _ := parseDecimal80(s)
		if got := format80(f); got != s {
			t.Errorf("format80(parse(%q)) = %q", s, got)
		}
	}
}

func TestArithmetic80(t *testing.T) {
	one, two, three := fromInt80(1), fromInt80(2), fromInt80(3)
	cases := []struct {
		name      string
		got, want float80
	}{
		// IEEE 754 in round-to-nearest, as the x87 does it.
		{"exact cancellation is +0", sub80(one, one), float80{}},
		{"-0 + -0", add80(zero80Of(true), zero80Of(true)), zero80Of(true)},
		{"-0 - 0", sub80(zero80Of(true), float80{}), zero80Of(true)},
		{"0 × -1", mul80(float80{}, neg80(one)), zero80Of(true)},
		{"inf - inf", sub80(inf80Of(false), inf80Of(false)), indefinite80()},
		{"inf × 0", mul80(inf80Of(false), float80{}), indefinite80()},
		{"0 / 0", div80(float80{}, float80{}), indefinite80()},
		{"1 / 0", div80(one, float80{}), inf80Of(false)},
		{"1 / -inf", div80(one, inf80Of(true)), zero80Of(true)},
		{"NaN propagates its sign", add80(indefinite80(), one), indefinite80()},
		{"1/3 rounds to nearest", div80(one, three), f80(false, 0xaaaaaaaaaaaaaaab, -65)},
		{"2^64 + 1 is a tie, rounds to even", add80(fromUint80(false, 1, 64), one), fromUint80(false, 1, 64)},
		{"2^64 + 3 is a tie, rounds to even", add80(fromUint80(false, 1, 64), three), f80(false, 1<<63+2, 1)},
		// Bits shifted out below the significand still break ties.
		{"2^64 + 1 + 2^-63 rounds up", add80(fromUint80(false, 1, 64), f80(false, 1<<63+1, -63)), f80(false, 1<<63+1, 1)},
		{"2^64 + 2 - (1 - 2^-64) rounds up", sub80(f80(false, 1<<63+1, 1), f80(false, math.MaxUint64, -64)), f80(false, 1<<63+1, 1)},
		{"2^64 + 2 - (1 + 2^-63) rounds down", sub80(f80(false, 1<<63+1, 1), f80(false, 1<<63+1, -63)), fromUint80(false, 1, 64)},
		{"2^64 + 2 - 1 is a tie, rounds to even", sub80(f80(false, 1<<63+1, 1), one), fromUint80(false, 1, 64)},
		// Subnormals: half the smallest is a tie and rounds to 0.
		{"half the smallest subnormal", div80(smallest, two), float80{}},
		{"1.5 × smallest rounds to even", div80(mul80(smallest, three), two), f80(false, 2, minExp80)},
		{"largest finite doubled overflows", mul80(f80(false, math.MaxUint64, maxExp80), two), inf80Of(false)},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, c.got, c.want)
		}
	}
}

func TestCompare80(t *testing.T) {
	nan := indefinite80()
	cases := []struct {
		name string
		got  bool
		want bool
	}{
		{"-0 == 0", eq80(zero80Of(true), float80{}), true},
		{"NaN == NaN", eq80(nan, nan), false},
		{"NaN != NaN", ne80(nan, nan), true},
		{"NaN < 1", lt80(nan, fromInt80(1)), false},
		{"NaN >= 1", ge80(nan, fromInt80(1)), false},
		{"-inf < -1", lt80(inf80Of(true), fromInt80(-1)), true},
		{"-2 < -1", lt80(fromInt80(-2), fromInt80(-1)), true},
		{"smallest > 0", gt80(smallest, float80{}), true},
		{"1 <= 1", le80(fromInt80(1), fromInt80(1)), true},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %v", c.name, c.got)
		}
	}
}
