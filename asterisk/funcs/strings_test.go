package funcs

import (
	"strings"
	"testing"
)

func TestCaseAndLength(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// ASCII conversion of the whole argument
		// text, commas included (string_toupper2).
		{in: "${TOUPPER(${MAC:0:4}a,b;c)}", want: "0004A,B;C"},
		{in: "${TOLOWER(${MAC})}", want: "0004f2a1b2c3"},
		// toupper in the C locale leaves bytes above 0x7f alone.
		{in: "${TOUPPER(caf\xe9 \xc3\xa9)}", want: "CAF\xe9 \xc3\xa9"},
		// Erratum 2: the output is exactly as long as the input, never a
		// stray byte more, even at the sizes that misbehaved.
		{in: "${LEN(${TOUPPER(" + strings.Repeat("x", 15) + ")})}", want: "15"},
		{in: "${LEN(${TOLOWER(" + strings.Repeat("X", 16) + ")})}", want: "16"},
		{in: "[${TOUPPER()}]", want: "[]"},
		// LEN: strlen of the argument text (func_strings.c len).
		{in: "${LEN(a,b c)}", want: "5"},
		{in: "${LEN()}", want: "0"},
		{in: "${LEN(${LIST})}", want: "23"},
	})
}

func TestReplace(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_strings.c test_REPLACE vectors.
		{in: `${REPLACE(LIST,\,,-)}`, want: "one-two-three-four-five"},
		{in: `${REPLACE(DUP,ab,x)}`, want: "x,x,x,c,x"},
		{in: `${REPLACE(LIST,x,?)}`, want: "one,two,three,four,five"},
		// No replacement character: matching characters are deleted.
		{in: `${REPLACE(LIST,\,)}`, want: "onetwothreefourfive"},
		{in: `${REPLACE(LIST,\,,)}`, want: "onetwothreefourfive"},
		// Only the first decoded character of the replacement counts;
		// escapes are decoded in both (ast_get_encoded_str/char).
		{in: `${REPLACE(LIST,eo,XY)}`, want: "XnX,twX,thrXX,fXur,fivX"},
		// find-chars is split with backslash removal ("\\t" arrives as
		// "\t", a TAB); the replacement is the raw remainder, decoded once.
		{in: `${REPLACE(TABBED,\\t,\x2c)}`, want: "a,b,c"},
		{in: `${REPLACE(TABBED,\\t,\\x2c)}`, want: `a\b\c`},
		// Escapes in find-chars: \x41 is 'A'... and 'a' is not.
		{in: `${REPLACE(DASHED,\\x65,E)}`, want: "Ex-amp-lE"},
		// The variable name may carry :offset:length ("${%s}").
		{in: `${REPLACE(MAC:0:4,0,_)}`, want: "___4"},
		// Errors: too few arguments, empty find set, empty name, empty
		// value ("Blank, nothing to replace" returns -1).
		{in: `${REPLACE(LIST)}`, fails: true},
		{in: `${REPLACE(LIST,)}`, fails: true},
		{in: `${REPLACE(,a,b)}`, fails: true},
		{in: `${REPLACE(EMPTY,a,b)}`, fails: true},
		{in: `${REPLACE(NOSUCH,a,b)}`, fails: true},
	})
}

func TestStrReplace(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_strings.c test_STRREPLACE vectors.
		{in: `${STRREPLACE(LIST,t,T)}`, want: "one,Two,Three,four,five"},
		{in: `${STRREPLACE(DUP,a,xy,2)}`, want: "xy,b,xy,c,a"},
		{in: `${STRREPLACE(DUP,a,xy,1)}`, want: "xy,b,a,c,a"},
		// A missing replacement deletes; max 0 or negative is unlimited.
		{in: `${STRREPLACE(DUP,a\,)}`, want: "b,c,a"},
		{in: `${STRREPLACE(DUP,a,_,0)}`, want: "_,b,_,c,_"},
		{in: `${STRREPLACE(DUP,a,_,-1)}`, want: "_,b,_,c,_"},
		// max is read with atoi: "2x" is 2.
		{in: `${STRREPLACE(DUP,a,_,2x)}`, want: "_,b,_,c,a"},
		// Replaced text is never rescanned: "foofoo" in "foofoofoo...".
		{in: `${STRREPLACE(MULTI,::,:)}`, want: "x:y:z:y"},
		// Quotes and backslashes are removed from find and replace.
		{in: `${STRREPLACE(LIST,"o,t",\,T)}`, want: "one,tw,Three,four,five"},
		// An empty (or unset) variable gives "".
		{in: `[${STRREPLACE(EMPTY,a,b)}]`, want: "[]"},
		// Errors: fewer than two arguments, empty name, empty find.
		{in: `${STRREPLACE(LIST)}`, fails: true},
		{in: `${STRREPLACE(,a,b)}`, fails: true},
		{in: `${STRREPLACE(LIST,,b)}`, fails: true},
	})
	e, _ := newEngine(Config{})
	// test_STRREPLACE: "foofoofoofoofoofoofoo" with foofoo -> bar.
	if got := e.String(`${STRREPLACE(S,foofoo,bar)}`, vars("S", "foofoofoofoofoofoofoo")); got != "barbarbarfoo" {
		t.Errorf("STRREPLACE overlap = %q", got)
	}
}

func TestFilter(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_strings.c test_FILTER vectors, on "0042133333&DAHDI/g1/2212".
		{in: `${FILTER(A-R,0042133333&DAHDI/g1/2212)}`, want: "DAHDI"},
		{in: `${FILTER(A\-R,0042133333&DAHDI/g1/2212)}`, want: "A"},
		{in: `${FILTER(\x41-R,0042133333&DAHDI/g1/2212)}`, want: "DAHDI"},
		{in: `${FILTER(0-9A-Ca-c,0042133333&DAHDI/g1/2212)}`, want: "0042133333A12212"},
		{in: `${FILTER(0-9a-cA-C_+\-,0042133333&DAHDI/g1/2212)}`, want: "0042133333A12212"},
		// Arguments are raw: a backslash reaches the range parser (and
		// keeps the next character from splitting or quoting), and the
		// string keeps its commas.
		{in: `${FILTER(\,a,a,b,c)}`, want: "a,,"},
		{in: `${FILTER(\",a"b)}`, want: `"`},
		// A range whose end is below its start wraps through 255.
		{in: "${FILTER(y-b,abcxyz\xfe)}", want: "abyz\xfe"},
		// A '-' with nothing after it ends the range at its start.
		{in: `${FILTER(a-,a-b)}`, want: "a"},
		// An empty allowed set keeps nothing.
		{in: `[${FILTER(,abc)}]`, want: "[]"},
		// Errors: no string argument, a malformed \x escape.
		{in: `${FILTER(abc)}`, fails: true},
		{in: `${FILTER()}`, fails: true},
		{in: `${FILTER(\xg,abc)}`, fails: true},
	})
}

func TestQuote(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_strings.c quote: backslash and quote escaped.
		{in: `${QUOTE(a"b\c)}`, want: `"a\"b\\c"`},
		{in: `${QUOTE(x,y)}`, want: `"x,y"`},
		// An empty argument is "" (a warning, not an error).
		{in: `${QUOTE()}`, want: `""`},
		// func_strings.c csv_quote: quotes doubled, backslashes kept.
		{in: `${CSV_QUOTE(a"b\c)}`, want: `"a""b\c"`},
		{in: `${CSV_QUOTE()}`, want: `""`},
	})
	e, _ := newEngine(Config{})
	// The 4096-byte buffer: escaping stops at 4093 bytes, the closing
	// quote is always written, and an escape is never split.
	long := strings.Repeat(`"`, 3000)
	got := e.String("${QUOTE("+long+")}", nil)
	if len(got) != 4094 || !strings.HasPrefix(got, `"\"`) || !strings.HasSuffix(got, `\""`) {
		t.Errorf("QUOTE of 3000 quotes: %d bytes, ends %q", len(got), got[len(got)-4:])
	}
	got = e.String("${CSV_QUOTE("+strings.Repeat("x", 5000)+")}", nil)
	if len(got) != 4094 || got[len(got)-1] != '"' {
		t.Errorf("CSV_QUOTE of 5000 bytes: %d bytes", len(got))
	}
}

func TestTrim(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_strings.c test_TRIM vectors.
		{in: "${TRIM(  abcd )}", want: "abcd"},
		{in: "${LTRIM( abcd )}", want: "abcd "},
		{in: "${RTRIM( abcd )}", want: " abcd"},
		{in: "${TRIM(abcd)}", want: "abcd"},
		{in: "${TRIM( a b c d )}", want: "a b c d"},
		// isspace: tab, newline, vertical tab, form feed, CR.
		{in: "${TRIM(\t\n\v\f\rx\t\n\v\f\r)}", want: "x"},
		// The rtrim macro never looks at the first byte: white space alone
		// keeps one byte with RTRIM, and TRIM (ltrim first) gives "".
		{in: "[${RTRIM(   )}]", want: "[ ]"},
		{in: "[${TRIM(   )}]", want: "[]"},
		{in: "[${LTRIM(   )}]", want: "[]"},
		// An empty input is an error.
		{in: "${TRIM()}", fails: true},
		{in: "${LTRIM()}", fails: true},
		{in: "${RTRIM()}", fails: true},
	})
}

func TestPassthruAndEval(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_strings.c passthru: the argument text.
		{in: "${PASSTHRU(a,b\"c)}", want: `a,b"c`},
		{in: "[${PASSTHRU()}]", want: "[]"},
		// PASSTHRU lets CUT take a literal: CUT(PASSTHRU(...),...).
		{in: `${CUT(PASSTHRU(SIP/321-1),/,2)}`, want: "321-1"},
		// Results are not rescanned, but EVAL substitutes its
		// (already substituted) argument once more (function_eval2).
		{in: "${REF}", want: "${MAC}"},
		{in: "${EVAL(${REF})}", want: "0004F2A1B2C3"},
		{in: "${EVAL(plain)}", want: "plain"},
		{in: "${EVAL()}", fails: true},
	})
}

func TestRegex(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_strings.c regex: '"' separates, one space is skipped.
		{in: `${REGEX("^0004" ${MAC})}`, want: "1"},
		{in: `${REGEX("^f2" ${MAC})}`, want: "0"},
		// Only one leading space or tab is skipped.
		{in: `${REGEX("^ a"  a)}`, want: "1"},
		{in: `${REGEX("^a" ` + "  a)}", want: "0"},
		{in: `${REGEX("^a$"` + "\ta)}", want: "1"},
		{in: `${REGEX("^a$"a)}`, want: "1"},
		// Backslashes are removed from the expression by argument
		// splitting: "\." is any character, "\\." a literal dot.
		{in: `${REGEX("^a\.c$" abc)}`, want: "1"},
		{in: `${REGEX("^a\\.c$" abc)}`, want: "0"},
		{in: `${REGEX("^a\\.c$" a.c)}`, want: "1"},
		// POSIX ERE: intervals, classes, alternation, GNU \w.
		{in: `${REGEX("^[[:xdigit:]]{12}$" ${MAC})}`, want: "1"},
		{in: `${REGEX("^(one|two),t" ${LIST})}`, want: "1"},
		{in: `${REGEX("\\w+-\\w+" ${DASHED})}`, want: "1"},
		// Unanchored search; the dot matches a newline (no REG_NEWLINE).
		{in: "${REGEX(\"a.b\" xa\nb)}", want: "1"},
		// Errors: a bad expression, or not exactly three pieces.
		{in: `${REGEX("a{2,1}" aa)}`, fails: true},
		{in: `${REGEX("(a" a)}`, fails: true},
		{in: `${REGEX(abc)}`, fails: true},
		{in: `${REGEX("a" "b" c)}`, want: "0"},
	})
}

func TestCompileERE(t *testing.T) {
	// Each expectation was measured with glibc 2.36's regcomp/regexec
	// (REG_EXTENDED|REG_NOSUB, C locale); "ERR" is a compile error.
	tests := []struct{ pattern, subject, want string }{
		{"a{", "a", "ERR"},
		{"a{1", "a", "ERR"},
		{"a{,2}", "a", "1"},
		{"a{2,1}", "a", "ERR"},
		{"a{}", "a", "ERR"},
		{"a{,}", "a", "1"},
		{"a{1,2,3}", "a", "ERR"},
		{"a{ 1}", "a", "ERR"},
		{"a{32768}", "a", "ERR"},
		{"{1}a", "a", "ERR"},
		{"*a", "a", "ERR"},
		{"a**", "aa", "1"},
		{"a+*", "a", "1"},
		{"a{1,2}{3}", "aaa", "1"},
		{"(*a)", "a", "ERR"},
		{"a|*b", "b", "ERR"},
		{"^*", "*", "ERR"},
		{`\b*`, "a", "ERR"},
		{"a$?", "a", "ERR"},
		{`\^*`, "^", "1"},
		{")", ")", "1"},
		{"(a", "a", "ERR"},
		{"(|a)", "a", "1"},
		{"x(|)y", "xy", "1"},
		{"[z-a]", "a", "ERR"},
		{"[a-]", "-", "1"},
		{"[]a]", "]", "1"},
		{"[^]a]", "b", "1"},
		{"[]-a]", "b", "0"},
		{"[a-c-e]", "d", "ERR"},
		{"[[:alpha:]]", "x", "1"},
		{"[[:foo:]]", "x", "ERR"},
		{"[[:alpha:]-z]", "-", "ERR"},
		{"[[:alpha:]", "a", "ERR"},
		{"[[.a.]]", "a", "1"},
		{"[[.-.]]", "-", "1"},
		{"[[.space.]]", " ", "ERR"},
		{"[[=a=]]", "a", "1"},
		{"[[=a=]-c]", "b", "ERR"},
		{"[[.a.]-c]", "b", "1"},
		{`[\d]`, `\`, "1"},
		{`\d`, "d", "1"},
		{`\d`, "1", "0"},
		{`\w`, "_", "1"},
		{`\W`, "_", "0"},
		{`\s`, "\v", "1"},
		{`\bfoo\b`, "a foo b", "1"},
		{"\\`a", "ba", "0"},
		{`a\'`, "ab", "0"},
		{"a^b", "a^b", "0"},
		{"a$b", "a$b", "0"},
		{"b(^a)", "ba", "0"},
		{`\`, "a", "ERR"},
		{".", "\xe9", "1"},
		{"^.$", "\xc3\xa9", "0"},
		{"[\xe0-\xef]", "\xe9", "1"},
		{"x{0}", "y", "1"},
		{"()", "a", "1"},
		{"$", "", "1"},
	}
	for _, tt := range tests {
		re, err := compileERE(tt.pattern)
		got := "ERR"
		if err == nil {
			got = "0"
			if re.MatchString(latin1(tt.subject)) {
				got = "1"
			}
		}
		if got != tt.want {
			t.Errorf("%q on %q = %s (%v), want %s", tt.pattern, tt.subject, got, err, tt.want)
		}
	}
	// Beyond what Go's regular expressions can express: reported as
	// errors rather than answered wrongly.
	for _, p := range []string{`(a)\1`, `\<foo`, `foo\>`, "a{1001}"} {
		if _, err := compileERE(p); err == nil {
			t.Errorf("%q compiled", p)
		}
	}
}
