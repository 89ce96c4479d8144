package expr

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestEREMatch compares ereMatch with regcomp(REG_EXTENDED) and regexec()
// of glibc in the C.UTF-8 locale. want is "ERR" when regcomp fails, else
// "OK <re_nsub>" and "nomatch" or the match and first group offsets, in
// the form the expected values were printed by a C program calling glibc.
func TestEREMatch(t *testing.T) {
	cases := []struct {
		pattern, subject, want string
	}{
		// parse_dup_op: repetitions of repetitions, no lazy quantifiers.
		{"a**", "aaa", "OK 0 0 3 -1 -1"},
		{"a+?", "aaa", "OK 0 0 3 -1 -1"},
		{"a{,3}", "aaaa", "OK 0 0 3 -1 -1"},
		{"a{2}{2}", "aaaaa", "OK 0 0 4 -1 -1"},
		{"a{,}", "aaa", "OK 0 0 3 -1 -1"},
		{`a{1\,2}`, "aa", "OK 0 0 2 -1 -1"}, // fetch_number compares the byte after '\'
		// parse_expression: empty groups and alternatives, a literal ')'.
		{"(|a)", "a", "OK 1 0 1 0 1"},
		{"()", "x", "OK 1 0 0 0 0"},
		{"a)", "a)", "OK 0 0 2 -1 -1"},
		{`\n`, "n", "OK 0 0 1 -1 -1"},
		// parse_bracket_exp.
		{"[[.-.]]", "-", "OK 0 0 1 -1 -1"},
		{"[[=a=]]", "a", "OK 0 0 1 -1 -1"},
		{"[[:alpha:]]+", "xéy1", "OK 0 0 4 -1 -1"},
		{"[]a]*", "]a]b", "OK 0 0 3 -1 -1"},
		{"[^]a]", "]b", "OK 0 1 2 -1 -1"},
		{"[a-]+", "-a-b", "OK 0 0 3 -1 -1"},
		{"[--z]", "a", "OK 0 0 1 -1 -1"},
		{`[\]`, `\`, "OK 0 0 1 -1 -1"},
		// GNU operators.
		{`\w+`, "a_é!", "OK 0 0 4 -1 -1"},
		{`\W`, "ab!", "OK 0 2 3 -1 -1"},
		{`\s`, "a b", "OK 0 1 2 -1 -1"},
		{`\S+`, " ab ", "OK 0 1 3 -1 -1"},
		{"\\`a", "a", "OK 0 0 1 -1 -1"},
		{`a\'`, "a", "OK 0 0 1 -1 -1"},
		// No REG_NEWLINE: '.' and [^a] match a newline, ^ and $ are the
		// ends of the text.
		{".", "\n", "OK 0 0 1 -1 -1"},
		{"[^a]", "\n", "OK 0 0 1 -1 -1"},
		{"a$", "a\nb", "OK 0 nomatch"},
		{"^b", "a\nb", "OK 0 nomatch"},
		// Leftmost-longest.
		{"(a|ab)(c|bcd)(d*)", "abcd", "OK 3 0 4 0 1"},
		{"(a*)(a|b)*", "aab", "OK 2 0 3 0 2"},
		{"(.*)(.*)", "ab", "OK 2 0 2 0 2"},
		{"(a)|b", "b", "OK 1 0 1 -1 -1"},
		{"x*", "abc", "OK 0 0 0 -1 -1"},
		// Multibyte characters and bytes that are not UTF-8.
		{"é*", "ééx", "OK 0 0 4 -1 -1"},
		{"a.b", "aéb", "OK 0 0 4 -1 -1"},
		{"\xff", "a\xff", "OK 0 1 2 -1 -1"},
		{".", "\xff", "OK 0 nomatch"},
		{"(.)", "\xffa", "OK 1 1 2 1 2"},
		{"[a-\xff]", "é", "OK 0 0 2 -1 -1"},
		{"[\xff]", "\xff", "OK 0 nomatch"},
		{"[^a]", "\xff", "OK 0 nomatch"},
		// Patterns regcomp() rejects.
		{"*a", "a", "ERR"},
		{"(*a)", "a", "ERR"},
		{"a|*b", "b", "ERR"},
		{"^*", "*", "ERR"},
		{"{1}a", "a", "ERR"},
		{"a{", "a", "ERR"},
		{"a{1", "a", "ERR"},
		{"a{x}", "a", "ERR"},
		{"a{2,1}", "a", "ERR"},
		{"a{32768}", "a", "ERR"},
		{"a{}", "a", "ERR"},
		{`\`, "a", "ERR"},
		{"[[.space.]]", " ", "ERR"},
		{"[[.ab.]]", "a", "ERR"},
		{"[z-a]", "a", "ERR"},
		{"[a-é]", "b", "ERR"},
		{"[a-z-0]", "a", "ERR"},
		{"[[:alpha:]-z]", "a", "ERR"},
		{"[[:foo:]]", "a", "ERR"},
		{"[[:alpha:", "a", "ERR"},
		{"[", "a", "ERR"},
		{"[]", "a", "ERR"},
		{"[^", "a", "ERR"},
		{"(", "a", "ERR"},
		{"(a", "a", "ERR"},
		{"${X}", "a", "ERR"},
	}
	for _, c := range cases {
		m, err := ereMatch(c.pattern, c.subject)
		var got string
		switch {
		case err != nil:
			got = "ERR"
		case !m.ok:
			got = fmt.Sprintf("OK %d nomatch", m.groups)
		default:
			got = fmt.Sprintf("OK %d %d %d %d %d", m.groups, m.start, m.end, m.groupStart, m.groupEnd)
		}
		if got != c.want {
			t.Errorf("ereMatch(%q, %q) = %s (%v), want %s", c.pattern, c.subject, got, err, c.want)
		}
	}
}

// TestEREUnsupported checks the valid EREs that Go's engine cannot run:
// they fail like a rejected pattern and say so.
func TestEREUnsupported(t *testing.T) {
	for _, p := range []string{
		`(a)\1`,
		`\<a`,
		`a\>`,
		"a{1001}",
		strings.Repeat("(", 1001) + strings.Repeat(")", 1001),
	} {
		_, err := ereMatch(p, "aa")
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("ereMatch(%q) error = %v, want ErrUnsupported", p, err)
		}
	}
	// A pattern far larger once translated is refused, not built.
	_, err := ereMatch(strings.Repeat(`[[:alpha:]]`, 200), "a")
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("huge translation: error = %v, want ErrUnsupported", err)
	}
}

// TestPOSIXClassASCII checks every [:class:] on the 128 ASCII characters
// against the C locale's <ctype.h>.
func TestPOSIXClassASCII(t *testing.T) {
	isPunct := func(c rune) bool { return strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) }
	isAlpha := func(c rune) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
	isDigit := func(c rune) bool { return '0' <= c && c <= '9' }
	classes := map[string]func(rune) bool{
		"alpha":  isAlpha,
		"digit":  isDigit,
		"alnum":  func(c rune) bool { return isAlpha(c) || isDigit(c) },
		"upper":  func(c rune) bool { return 'A' <= c && c <= 'Z' },
		"lower":  func(c rune) bool { return 'a' <= c && c <= 'z' },
		"xdigit": func(c rune) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' },
		"space":  func(c rune) bool { return c == ' ' || '\t' <= c && c <= '\r' },
		"blank":  func(c rune) bool { return c == ' ' || c == '\t' },
		"cntrl":  func(c rune) bool { return c < 32 || c == 127 },
		"print":  func(c rune) bool { return 32 <= c && c < 127 },
		"graph":  func(c rune) bool { return 32 < c && c < 127 },
		"punct":  isPunct,
	}
	for name, want := range classes {
		set, ok := posixClass(name)
		if !ok {
			t.Fatalf("class %s missing", name)
		}
		set.normalize()
		for c := rune(0); c < 128; c++ {
			in := false
			for _, r := range set.ranges {
				in = in || r[0] <= c && c <= r[1]
			}
			if in != want(c) {
				t.Errorf("[:%s:] on %q: %v, want %v", name, c, in, want(c))
			}
		}
	}
}
