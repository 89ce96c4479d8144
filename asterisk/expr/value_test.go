package expr

import (
	"math"
	"testing"
)

func TestStringValueKind(t *testing.T) {
	cases := []struct {
		in   string
		want kind
	}{
		// make_str(): numeric only when every byte is a digit or '.'.
		{"", kindString},
		{"12", kindNumeric},
		{"1.2.3", kindNumeric},
		{".", kindNumeric},
		{"-5", kindString}, // the loop rejects the '-' the first test allowed
		{"5a", kindString},
		{" 5", kindString},
	}
	for _, c := range cases {
		if got := stringValue(c.in).kind; got != c.want {
			t.Errorf("stringValue(%q).kind = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestCAtoi(t *testing.T) {
	cases := []struct {
		in   string
		want int32
	}{
		// glibc atoi() is (int)strtol(s, NULL, 10).
		{"abc", 0},
		{"5abc", 5},
		{" \t\n-12x", -12},
		{"+7", 7},
		{"2147483648", math.MinInt32}, // low 32 bits of the long
		{"4294967296", 0},             // likewise
		{"99999999999999999999", -1},  // LONG_MAX truncated
		{"-99999999999999999999", 0},  // LONG_MIN truncated
		{"-9223372036854775808", 0},   // exactly LONG_MIN
		{"\"5\"", 0},                  // a quote stops strtol
		{"0x10", 0},                   // base 10 only
		{"\v\f\r 3", 3},               // C-locale white space
		{"\u00a05", 0},                // not white space in C
	}
	for _, c := range cases {
		if got := cAtoi(c.in); got != c.want {
			t.Errorf("cAtoi(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestIsZeroOrNullConverts(t *testing.T) {
	// is_zero_or_null() converts a numeric string in place, which decides
	// what op_or and op_and print.
	v := &value{kind: kindNumeric, str: "007"}
	if v.isZeroOrNull() || v.kind != kindNumber || v.text() != "7" {
		t.Errorf("007: zero=%v kind=%d text=%q", v.isZeroOrNull(), v.kind, v.text())
	}
	w := &value{kind: kindNumeric, str: "0.0"}
	if !w.isZeroOrNull() {
		t.Errorf("0.0 is not zero")
	}
	s := &value{kind: kindString, str: "0"}
	if s.isZeroOrNull() || s.kind != kindString {
		t.Errorf("text \"0\" converted or counted as zero")
	}
}

func TestStripQuotes(t *testing.T) {
	cases := []struct{ in, want string }{
		// strip_quotes(): every quote goes, but only when the text both
		// starts and ends with one.
		{`"abc"`, "abc"},
		{`"a"b"c"`, "abc"},
		{`"`, ""},
		{`"abc`, `"abc`},
		{`a"b`, `a"b`},
		{"", ""},
	}
	for _, c := range cases {
		v := &value{kind: kindString, str: c.in}
		v.stripQuotes()
		if v.str != c.want {
			t.Errorf("stripQuotes(%q) = %q, want %q", c.in, v.str, c.want)
		}
	}
}
