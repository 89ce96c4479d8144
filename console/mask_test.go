package console

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	tests := []struct {
		name    string
		secrets []string
		text    string
		limit   int
		want    string
		trunc   bool
	}{
		{"none", nil, "password=pw1", -1, "password=pw1", false},
		{"plain", []string{"pw1"}, "password=pw1\n", -1, "password=" + Mask + "\n", false},
		{"every occurrence", []string{"pw1"}, "a=pw1 b=pw1", -1, "a=" + Mask + " b=" + Mask, false},
		// A secret inside other text is masked there too: the extension
		// 61234 loses its tail rather than leak the password 1234.
		{"inside other text", []string{"1234"}, "ext=61234;pw=1234", -1, "ext=6" + Mask + ";pw=" + Mask, false},
		// A secret contained in another: the longer one is masked whole.
		{"nested", []string{"pw", "xpwy"}, "[xpwy][pw]", -1, "[" + Mask + "][" + Mask + "]", false},
		// Overlapping occurrences make one run.
		{"overlap", []string{"abab"}, "-ababab-", -1, "-" + Mask + "-", false},
		{"adjacent", []string{"ab", "cd"}, "abcd", -1, Mask, false},
		{"whole text", []string{"secret"}, "secret", -1, Mask, false},
		{"empty secret ignored", []string{""}, "text", -1, "text", false},
		// Cut at the limit; a secret across the cut is masked, not cut.
		{"cut before", []string{"pw1"}, "abc pw1", 3, "abc", true},
		{"cut across", []string{"secret"}, "abc secret tail", 6, "abc " + Mask, true},
		{"cut after", []string{"pw"}, "pw abcdef", 5, Mask + " ab", true},
		{"cut mid-character", nil, "aé", 2, "a", true},
	}
	for _, tt := range tests {
		got, trunc := newMasker(tt.secrets).mask([]byte(tt.text), tt.limit)
		if got != tt.want || trunc != tt.trunc {
			t.Errorf("%s: got %q (truncated %v), want %q (%v)", tt.name, got, trunc, tt.want, tt.trunc)
		}
	}
}

func TestMaskAtLeast(t *testing.T) {
	m := newMasker([]string{"pw", "longer-pw"})
	if got, _ := m.atLeast(4).mask([]byte("a.conf:12: pw longer-pw"), -1); got != "a.conf:12: pw "+Mask {
		t.Errorf("got %q", got)
	}
	if got, _ := m.mask([]byte("pw"), -1); got != Mask {
		t.Errorf("the masker lost its short secrets: %q", got)
	}
}

// FuzzMask checks that no secret survives masking, whatever the text and
// the secrets, and that text without secrets is left alone.
func FuzzMask(f *testing.F) {
	f.Add("pw=1234;ext=61234", "1234", "23", 100)
	f.Add("aaaa", "aa", "a", 3)
	f.Add("xpwyxpw", "pw", "xpwy", 5)
	f.Fuzz(func(t *testing.T, text, s1, s2 string, limit int) {
		got, _ := newMasker([]string{s1, s2}).mask([]byte(text), limit)
		for _, s := range []string{s1, s2} {
			// The mask itself could spell a secret made of its bytes.
			if s != "" && strings.Contains(strings.ReplaceAll(got, Mask, "\x00"), s) && !strings.Contains(s, "\x00") {
				t.Fatalf("secret %q survives in %q (text %q)", s, got, text)
			}
		}
		if (s1 == "" || !strings.Contains(text, s1)) && (s2 == "" || !strings.Contains(text, s2)) && limit < 0 && got != text {
			t.Fatalf("text without secrets changed: %q → %q", text, got)
		}
	})
}
