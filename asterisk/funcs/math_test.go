package funcs

import (
	"math"
	"testing"
)

func TestMath(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_math.c math: "%f" by default.
		{in: "${MATH(3+4)}", want: "7.000000"},
		{in: "${MATH(3+4,i)}", want: "7"},
		{in: "${MATH(10/4)}", want: "2.500000"},
		{in: "${MATH(1/3)}", want: "0.333333"},
		{in: "${MATH(1e20*10)}", want: "1000000000000000000000.000000"},
		// Division by anything not above zero gives 0.
		{in: "${MATH(10/0)}", want: "0.000000"},
		{in: "${MATH(10/-2)}", want: "0.000000"},
		// A leading '-' belongs to the first number; subtraction is the
		// last operator looked for, so a negative second number works.
		{in: "${MATH(-5-3,i)}", want: "-8"},
		{in: "${MATH(-5*-2,int)}", want: "10"},
		// The first operator in the search order wins, wherever it is:
		// "1e+2+1" splits at its first '+'.
		{in: "${MATH(1e2+1,i)}", want: "101"},
		{in: "${MATH(1e+2+1,i)}", want: "3"},
		{in: "${MATH(0x10+1,i)}", want: "17"},
		// % works on C ints.
		{in: "${MATH(7%3,i)}", want: "1"},
		{in: "${MATH(7.9%3.9,i)}", want: "1"},
		{in: "${MATH(7%0)}", want: "0.000000"},
		{in: "${MATH(2^10,i)}", want: "1024"},
		// glibc's pow of a negative base to a fraction is -nan.
		{in: "${MATH(-8^0.5)}", want: "-nan"},
		// func_math.c test_MATH_function: 170 AND 63 is 42.
		{in: "${MATH(170 AND 63,i)}", want: "42"},
		{in: "${MATH(170AND63,i)}", want: "42"},
		{in: "${MATH(5 OR 2,i)}", want: "7"},
		{in: "${MATH(6XOR3,i)}", want: "5"},
		{in: "${MATH(1<<4,i)}", want: "16"},
		{in: "${MATH(256>>4,i)}", want: "16"},
		// x86 takes shift counts modulo 32.
		{in: "${MATH(1<<33,i)}", want: "2"},
		// Erratum 15: comparisons are TRUE or FALSE whatever the type.
		{in: "${MATH(5>3,i)}", want: "TRUE"},
		{in: "${MATH(3>=3)}", want: "TRUE"},
		{in: "${MATH(2<=1)}", want: "FALSE"},
		{in: "${MATH(2==2.0)}", want: "TRUE"},
		{in: "${MATH(2<1,h)}", want: "FALSE"},
		// Result types, by name or initial, any case.
		{in: "${MATH(255+0,h)}", want: "ff"},
		{in: "${MATH(255+0,HEX)}", want: "ff"},
		{in: "${MATH(-1+0,h)}", want: "ffffffff"},
		{in: "${MATH(65+0,c)}", want: "A"},
		{in: "${MATH(65.9+0,Char)}", want: "A"},
		{in: "${MATH(1.5*2,f)}", want: "3.000000"},
		// Conversions to int saturate as x86 does: INT_MIN.
		{in: "${MATH(2147483648+0,i)}", want: "-2147483648"},
		// Errors: nothing, a lone '=', no operator, bad numbers, an
		// unknown type.
		{in: "${MATH()}", fails: true},
		{in: "${MATH(2=2)}", fails: true},
		{in: "${MATH(255,h)}", fails: true},
		{in: "${MATH(a+1)}", fails: true},
		{in: "${MATH(1+)}", fails: true},
		{in: "${MATH(1+1,x)}", fails: true},
	})
}

func TestIncDec(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_math.c crement_function_read: the new value is returned and
		// stored.
		{in: "${INC(N)}-${N}", want: "42-42"},
		{in: "${DEC(N)}-${DEC(N)}", want: "40-39"},
		// C int arithmetic wraps.
		{in: "${INC(MAXINT)}", want: "-2147483648"},
		{in: "${DEC(NEG)}", want: "2147483647"},
		// "%30d%1c": white space alone reads as nothing, which counts as 0.
		{in: "${INC(BLANK)}", want: "1"},
		// Errors: no name, no such variable, an empty one, trailing text.
		{in: "${INC()}", fails: true},
		{in: "${INC(NOSUCH)}", fails: true},
		{in: "${INC(EMPTY)}", fails: true},
		{in: "${INC(NOTNUM)}", fails: true},
		{in: "${DEC(TRAIL)}", fails: true},
		{in: "${INC(REF)}", fails: true},
	})
}

func TestMinMaxAbs(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_math.c acf_min_exec / acf_max_exec examples.
		{in: "${MIN(7,4)}", want: "4"},
		{in: "${MAX(4,7)}", want: "7"},
		// Erratum 15: two arguments only, the second read with "%30lf"
		// from the raw remainder "2,3".
		{in: "${MAX(1,2,3)}", want: "2"},
		{in: "${MIN(5,1,0)}", want: "1"},
		// Whole values print as "%d", others as "%f".
		{in: "${MIN(1.5,2)}", want: "1.500000"},
		{in: "${MAX(-0.5,-1)}", want: "-0.500000"},
		// A missing number takes the other's place.
		{in: "${MAX(,5)}", want: "5"},
		{in: "${MIN(5,)}", want: "5"},
		{in: "${MIN(5)}", want: "5"},
		// read_max 12: at most 11 characters.
		{in: "${MAX(123456.5,1)}", want: "123456.5000"},
		{in: "${MIN(nan,1)}", want: "nan"},
		// func_math.c acf_abs_exec.
		{in: "${ABS(-13)}", want: "13"},
		{in: "${ABS(-3.5)}", want: "3.500000"},
		{in: "${ABS(-2147483648)}", want: "2147483648."},
		{in: "${ABS(12abc)}", want: "12"},
		// Errors.
		{in: "${MIN(,)}", fails: true},
		{in: "${MIN()}", fails: true},
		{in: "${MAX(a,1)}", fails: true},
		{in: "${MAX(1,a)}", fails: true},
		{in: "${ABS()}", fails: true},
		{in: "${ABS(x)}", fails: true},
	})
}

func TestCConversions(t *testing.T) {
	// Measured with gcc on x86-64: (int)d and (unsigned int)d.
	tests := []struct {
		f    float64
		i    int32
		u    uint32
		char byte
	}{
		{1.5, 1, 1, 1},
		{-1.5, -1, 4294967295, 255},
		{3e9, math.MinInt32, 3000000000, 0},
		{-3e9, math.MinInt32, 1294967296, 0},
		{1e20, math.MinInt32, 0, 0},
		{math.NaN(), math.MinInt32, 0, 0},
		{math.Inf(-1), math.MinInt32, 0, 0},
		{255.9, 255, 255, 255},
		{256, 256, 256, 0},
		{-65.7, -65, 4294967231, 191},
		{4294967296.5, math.MinInt32, 0, 0},
		{9.3e18, math.MinInt32, 0, 0},
	}
	for _, tt := range tests {
		if got := cInt(tt.f); got != tt.i {
			t.Errorf("cInt(%g) = %d, want %d", tt.f, got, tt.i)
		}
		if got := cUint(tt.f); got != tt.u {
			t.Errorf("cUint(%g) = %d, want %d", tt.f, got, tt.u)
		}
		if got := byte(cInt(tt.f)); got != tt.char {
			t.Errorf("(unsigned char)%g = %d, want %d", tt.f, got, tt.char)
		}
	}
}
