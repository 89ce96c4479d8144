package expr

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzEval feeds arbitrary text to the evaluator: it must never panic or
// hang, must keep within MaxInput and MaxValue, and must be deterministic.
func FuzzEval(f *testing.F) {
	for _, c := range evalCases {
		f.Add(c.in)
	}
	for _, s := range []string{
		"${X} ~~ ${X} ~~ ${X}",
		`abc : "(a|ab)(c|bcd)(d*)"`,
		`"é\xff" =~ "[^a]"`,
		"SIN(POW(2, 16000)) + COS(1e3)",
		strings.Repeat("(", 50) + "1" + strings.Repeat(")", 50),
		strings.Repeat("- ", 100) + "1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := EvalErr(s)
		switch {
		case errors.Is(err, ErrLimit):
			if got != "" {
				t.Fatalf("limit error with a result: %q", got)
			}
			return
		case err != nil && !errors.Is(err, ErrSyntax):
			t.Fatalf("unexpected error kind: %v", err)
		case len(got) > MaxValue:
			t.Fatalf("result of %d bytes exceeds MaxValue", len(got))
		}
		if again := Eval(s); again != got {
			t.Fatalf("not deterministic: %q then %q", got, again)
		}
	})
}

// FuzzEREMatch checks that any pattern either fails to compile or runs on
// any subject, with offsets inside the subject.
func FuzzEREMatch(f *testing.F) {
	for _, s := range []string{"a**", "(|a)", "[[:alpha:]]+", `\w+\W`, "a{2,3}", "[a-\xff]", "(a)\\1", "[[.-.]]", "${X}", "x$", "^(a|b)*c"} {
		f.Add(s, "abcé\xff\n")
	}
	f.Fuzz(func(t *testing.T, pattern, subject string) {
		// Eval bounds pattern × subject (MaxRegexWork); so does this.
		if len(pattern) > 2048 {
			pattern = pattern[:2048]
		}
		if len(subject) > 2048 {
			subject = subject[:2048]
		}
		m, err := ereMatch(pattern, subject)
		if err != nil || !m.ok {
			return
		}
		if m.start < 0 || m.start > m.end || m.end > len(subject) {
			t.Fatalf("match %d..%d outside a subject of %d bytes", m.start, m.end, len(subject))
		}
		if m.groupStart >= 0 && (m.groupStart > m.groupEnd || m.groupEnd > len(subject)) {
			t.Fatalf("group %d..%d outside the subject", m.groupStart, m.groupEnd)
		}
	})
}

// FuzzParseDecimal80 checks strtold on digit strings: no panic, and any
// decimal of at most 18 significant digits survives %.18Lg unchanged
// (10^18 < 2^63), wherever it lies in the normal range.
func FuzzParseDecimal80(f *testing.F) {
	for _, s := range []string{"0", "1", "0.1", "007", "1.2.3", "123456789012345678", "0.000000000000123", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 8192 || !utf8.ValidString(s) {
			return
		}
		got, rangeErr := parseDecimal80(s)
		if got.class == inf80 && !rangeErr {
			t.Fatalf("overflow of %q not flagged", s)
		}
		if rangeErr && got.class == finite80 && got.exp != minExp80 {
			t.Fatalf("ERANGE for %q with a result far from the limits: %+v", s, got)
		}
		digits, exp10, ok := canonicalDecimal(decimalPrefix(s))
		if !ok || len(digits) > 18 || exp10 < -4900 || exp10 > 4900 {
			return
		}
		for len(digits) < 18 {
			digits += "0"
		}
		if want := formatG(digits, exp10, 18); format80(got) != want {
			t.Fatalf("format80(parseDecimal80(%q)) = %q, want %q", s, format80(got), want)
		}
	})
}

// decimalPrefix returns the prefix of s that strtold reads.
func decimalPrefix(s string) string {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	return s[:i]
}

// canonicalDecimal returns the significant digits of a decimal and the
// exponent of the first one; ok is false for zero or no digits.
func canonicalDecimal(s string) (string, int, bool) {
	intPart, frac, _ := strings.Cut(s, ".")
	all := intPart + frac
	lead := len(all) - len(strings.TrimLeft(all, "0"))
	digits := strings.TrimRight(all[lead:], "0")
	if digits == "" {
		return "", 0, false
	}
	return digits, len(intPart) - lead - 1, true
}
