package funcs

import (
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"math"
	"testing"
)

func TestScanInt(t *testing.T) {
	// glibc 2.36 sscanf("%30d%n"): status, value, characters consumed.
	tests := []struct {
		in       string
		status   int
		v        int32
		consumed int
	}{
		{"12", 1, 12, 2},
		{"-3", 1, -3, 2},
		{"+4", 1, 4, 2},
		{" 5", 1, 5, 2},
		{"99999999999", 1, 1215752191, 11},
		{"4294967296", 1, 0, 10},
		{"-2147483649", 1, 2147483647, 11},
		{"123456789012345678901234567890123", 1, -1, 30},
		{"9223372036854775808", 1, -1, 19},
		{"-9223372036854775809", 1, 0, 20},
		{"000000000000000000000000000012345", 1, 12, 30},
		{"0x10", 1, 0, 1},
		{"1-2", 1, 1, 1},
		{"x", 0, 0, 0},
		{"-", 0, 0, 0},
		{"--1", 0, 0, 0},
		{"", -1, 0, 0},
		{" \t", -1, 0, 0},
	}
	for _, tt := range tests {
		v, rest, st := scanInt(tt.in, 30)
		consumed := len(tt.in) - len(rest)
		if st != scanMatch {
			consumed = 0
		}
		if st != tt.status || v != tt.v || consumed != tt.consumed {
			t.Errorf("scanInt(%q) = %d, %d, %d; want %d, %d, %d", tt.in, st, v, consumed, tt.status, tt.v, tt.consumed)
		}
	}
	// atoi: no width, 0 for no number.
	for in, want := range map[string]int32{"42abc": 42, " -7": -7, "abc": 0, "": 0, "4294967297": 1} {
		if got := atoi(in); got != want {
			t.Errorf("atoi(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestScanHex2(t *testing.T) {
	// glibc 2.36 sscanf("%2x%n").
	tests := []struct {
		in       string
		status   int
		v        uint32
		consumed int
	}{
		{"41", 1, 0x41, 2},
		{" 41", 1, 0x41, 3},
		{"\n\n41", 1, 0x41, 4},
		{"-1", 1, 0xffffffff, 2},
		{"+1", 1, 1, 2},
		{"0x", 1, 0, 2},
		{"0x41", 1, 0, 2},
		{"4g", 1, 4, 1},
		{"ff", 1, 255, 2},
		{"FF", 1, 255, 2},
		{"g4", 0, 0, 0},
		{"-", 0, 0, 0},
		{"", -1, 0, 0},
	}
	for _, tt := range tests {
		v, rest, st := scanHex2(tt.in)
		consumed := len(tt.in) - len(rest)
		if st != scanMatch {
			consumed = 0
		}
		if st != tt.status || v != tt.v || consumed != tt.consumed {
			t.Errorf("scanHex2(%q) = %d, %d, %d; want %d, %d, %d", tt.in, st, v, consumed, tt.status, tt.v, tt.consumed)
		}
	}
}

func TestScanFloat(t *testing.T) {
	nan := math.NaN()
	// glibc 2.36 sscanf("%30lf%n"): status, value, characters consumed.
	tests := []struct {
		in       string
		status   int
		v        float64
		consumed int
	}{
		{"1e", 1, 1, 2},
		{"1e+", 1, 1, 3},
		{"1.5x", 1, 1.5, 3},
		{".5", 1, 0.5, 2},
		{"+.5", 1, 0.5, 3},
		{"1..2", 1, 1, 2},
		{"1.e5", 1, 100000, 4},
		{"12e", 1, 12, 3},
		{"1e5e", 1, 100000, 3},
		{"-0", 1, math.Copysign(0, -1), 2},
		{"0x1p3", 1, 8, 5},
		{"0x1.8", 1, 1.5, 5},
		{"0x.8", 1, 0.5, 4},
		{"0x1.", 1, 1, 4},
		{"0X1p", 1, 1, 4},
		{"0xe", 1, 14, 3},
		{"0x1e", 1, 30, 4},
		{"0x1P-2", 1, 0.25, 6},
		{"00x1", 1, 0, 2},
		{"inf", 1, math.Inf(1), 3},
		{"INFINITYx", 1, math.Inf(1), 8},
		{"nan(abc)", 1, nan, 3},
		{"-nan", 1, math.Copysign(nan, -1), 4},
		{"  12", 1, 12, 4},
		{"1,5", 1, 1, 1},
		{"123456789012345678901234567890123", 1, 1.2345678901234568e+29, 30},
		{"1e400", 1, math.Inf(1), 5},
		{"1e-400", 1, 0, 6},
		{".", 0, 0, 0},
		{"-", 0, 0, 0},
		{"+-1", 0, 0, 0},
		{"0x", 0, 0, 0},
		{"0xg", 0, 0, 0},
		{"e5", 0, 0, 0},
		{"infinit", 0, 0, 0},
		{"in", 0, 0, 0},
		{"n", 0, 0, 0},
		{"", -1, 0, 0},
		{"   ", -1, 0, 0},
	}
	for _, tt := range tests {
		num, rest, st := scanFloat(tt.in, 30)
		consumed, v := 0, 0.0
		if st == scanMatch {
			consumed, v = len(tt.in)-len(rest), cFloat(num)
		}
		same := v == tt.v && math.Signbit(v) == math.Signbit(tt.v) || (v != v && tt.v != tt.v && math.Signbit(v) == math.Signbit(tt.v))
		if st != tt.status || !same || consumed != tt.consumed {
			t.Errorf("scanFloat(%q) = %d, %g, %d; want %d, %g, %d", tt.in, st, v, consumed, tt.status, tt.v, tt.consumed)
		}
	}
}

func TestLongDoubleEpoch(t *testing.T) {
	// ast_get_timeval: "%30Lf" into a long double; seconds truncated
	// toward zero, microseconds from the fraction in extended precision.
	tests := []struct {
		in        string
		sec, usec int64
		ok        bool
	}{
		{"1700000000", 1700000000, 0, true},
		{"1.5", 1, 500000, true},
		{"0.3", 0, 300000, true}, // a double would give 299999
		{"-1.5", -1, -500000, true},
		{"1e3", 1000, 0, true},
		{"0x10", 16, 0, true},
		{"12abc", 12, 0, true},
		{"1e30", math.MinInt64, math.MinInt64, true},
		{"inf", math.MinInt64, math.MinInt64, true},
		{"1e-99999", 0, 0, true},
		{"abc", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		sec, usec, ok := parseEpoch64(tt.in)
		if sec != tt.sec || usec != tt.usec || ok != tt.ok {
			t.Errorf("parseEpoch64(%q) = %d, %d, %v; want %d, %d, %v", tt.in, sec, usec, ok, tt.sec, tt.usec, tt.ok)
		}
	}
}

func TestDecodeChar(t *testing.T) {
	// app.c ast_get_encoded_char.
	tests := []struct {
		in string
		c  byte
		n  int
		ok bool
	}{
		{"a", 'a', 1, true},
		{`\n`, '\n', 2, true},
		{`\r`, '\r', 2, true},
		{`\t`, '\t', 2, true},
		{`\x41`, 'A', 4, true},
		{`\x4`, 4, 3, true},
		{`\x4g`, 4, 3, true},
		{`\xg`, 0, 2, false},
		{`\x`, 0, 2, false},
		{`\0101`, 'A', 5, true},
		{`\0`, 0, 2, true},
		{`\0777`, 0xff, 5, true}, // wraps at a byte
		{`\1`, '1', 2, true},
		{`\,`, ',', 2, true},
		{`\\`, '\\', 2, true},
		{`\`, 0, 1, true},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		c, n, ok := decodeChar(tt.in)
		if c != tt.c || n != tt.n || ok != tt.ok {
			t.Errorf("decodeChar(%q) = %q, %d, %v; want %q, %d, %v", tt.in, c, n, ok, tt.c, tt.n, tt.ok)
		}
	}
	// ast_get_encoded_str: stops at a bad escape, a NUL or the size.
	for _, tt := range []struct {
		in   string
		size int
		want string
	}{
		{`a\tb`, 256, "a\tb"},
		{`ab\xgcd`, 256, "ab"},
		{`ab\0cd`, 256, "ab"},
		{"abcdef", 4, "abc"},
	} {
		if got := decodeString(tt.in, tt.size); got != tt.want {
			t.Errorf("decodeString(%q, %d) = %q, want %q", tt.in, tt.size, got, tt.want)
		}
	}
}

func TestStripping(t *testing.T) {
	// ast_strip: bytes below 33 go from both ends.
	if got := cstring.Strip("\x01 \ta b\r\n\x1f"); got != "a b" {
		t.Errorf("stripBlanks = %q", got)
	}
	// ast_strip_quoted: then one pair of quotes.
	for in, want := range map[string]string{` "a b" `: "a b", `"`: "", `"a`: `"a`, `""`: "", `'a'`: `'a'`} {
		if got := cstring.StripQuoted(in); got != want {
			t.Errorf("cstring.StripQuoted(%q) = %q, want %q", in, got, want)
		}
	}
	// strcasecmp folds ASCII only.
	if !equalFold("AbC", "aBc") || equalFold("\xe9", "\xc9") || equalFold("a", "ab") {
		t.Error("equalFold")
	}
}
