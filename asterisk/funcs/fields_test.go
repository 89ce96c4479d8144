package funcs

import "testing"

func TestFieldQty(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_strings.c documentation: ex-amp-le has 3 fields.
		{in: "${FIELDQTY(DASHED,-)}", want: "3"},
		// Erratum 14: the delimiter is the raw last argument, decoded once.
		{in: `${FIELDQTY(LIST,\,)}`, want: "5"},
		{in: `${FIELDQTY(TABBED,\t)}`, want: "3"},
		{in: `${FIELDQTY(LIST,\x2c)}`, want: "5"},
		{in: `${FIELDQTY(LIST,\054)}`, want: "5"},
		{in: "${FIELDQTY(SPACED, )}", want: "4"},
		// Only the first character counts; the rest of the raw remainder
		// is ignored.
		{in: "${FIELDQTY(DASHED,-,x)}", want: "3"},
		// function_fieldqty_helper: no delimiter argument gives 1 whatever
		// the value; an empty value 0; an undecodable delimiter (empty,
		// "\x" without digits) never splits.
		{in: "${FIELDQTY(LIST)}", want: "1"},
		{in: "${FIELDQTY(EMPTY)}", want: "1"},
		{in: "${FIELDQTY()}", want: "1"},
		{in: "${FIELDQTY(EMPTY,-)}", want: "0"},
		{in: "${FIELDQTY(NOSUCH,-)}", want: "0"},
		{in: "${FIELDQTY(LIST,)}", want: "1"},
		{in: `${FIELDQTY(LIST,\xz)}`, want: "1"},
		// The name is substituted as "${name}", substring included.
		{in: "${FIELDQTY(DASHED:0:5,-)}", want: "2"},
	})
}

func TestFieldNum(t *testing.T) {
	cfg := Config{}
	runCases(t, cfg, []tcase{
		// func_strings.c test_FIELDNUM vectors.
		{in: `${FIELDNUM(LIST,\,,three)}`, want: "3"},
		{in: "${FIELDNUM(SPACED, ,abc)}", want: "1"},
		{in: "${FIELDNUM(LIST,,two)}", want: "0"},
		{in: "${FIELDNUM(LIST,-,)}", want: "0"},
		{in: "${FIELDNUM(DASHED,-,mno)}", want: "0"},
		// strcasecmp: fields compare case-insensitively.
		{in: `${FIELDNUM(LIST,\,,TWO)}`, want: "2"},
		// Erratum 14: the value is the raw last argument, quotes kept.
		{in: `${FIELDNUM(LIST,\,,"two")}`, want: "0"},
		{in: `${FIELDNUM(DUP,\,,a)}`, want: "1"},
		// The delimiter (second of three) has quotes and backslashes
		// removed by splitting, then is decoded: "\\x2c" is a comma.
		{in: `${FIELDNUM(LIST,\\x2c,four)}`, want: "4"},
		{in: `${FIELDNUM(TABBED,\\t,c)}`, want: "3"},
		{in: "${FIELDNUM(EMPTY,-,x)}", want: "0"},
		// Errors: fewer than three arguments; a malformed \x delimiter.
		{in: `${FIELDNUM(LIST,\,)}`, fails: true},
		{in: `${FIELDNUM(LIST,\\xg,two)}`, fails: true},
	})
	// test_FIELDNUM's "abc/def/ghi/jkl" with "\\\\x2f".
	e, _ := newEngine(cfg)
	if got := e.String(`${FIELDNUM(FIELDS,\\x2f,def)}`, vars("FIELDS", "abc/def/ghi/jkl")); got != "2" {
		t.Errorf("FIELDNUM with \\x2f = %q", got)
	}
}

func TestListFilter(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_strings.c listfilter: every field equal to the value goes.
		{in: `${LISTFILTER(LIST,\,,two)}`, want: "one,three,four,five"},
		{in: `${LISTFILTER(DUP,\,,a)}`, want: "b,c"},
		{in: `${LISTFILTER(LIST,\,,one)}`, want: "two,three,four,five"},
		{in: `${LISTFILTER(LIST,\,,five)}`, want: "one,two,three,four"},
		// A value found nowhere leaves the list as it is; one found only
		// inside a field removes nothing either. Comparison is
		// case-sensitive.
		{in: `${LISTFILTER(LIST,\,,six)}`, want: "one,two,three,four,five"},
		{in: `${LISTFILTER(LIST,\,,hre)}`, want: "one,two,three,four,five"},
		{in: `${LISTFILTER(LIST,\,,TWO)}`, want: "one,two,three,four,five"},
		// An empty delimiter means ","; a delimiter may be several
		// characters, escapes decoded.
		{in: "${LISTFILTER(LIST,,two)}", want: "one,three,four,five"},
		{in: "${LISTFILTER(MULTI,::,z)}", want: "x::y::y"},
		{in: `${LISTFILTER(TABBED,\\t,b)}`, want: "a\tc"},
		// The value is the raw remainder: quotes stay.
		{in: `${LISTFILTER(LIST,\,,"two")}`, want: "one,two,three,four,five"},
		// Errors: fewer than three arguments, an empty list.
		{in: `${LISTFILTER(LIST,\,)}`, fails: true},
		{in: `${LISTFILTER(EMPTY,\,,a)}`, fails: true},
		{in: `${LISTFILTER(NOSUCH,\,,a)}`, fails: true},
	})
	// Empty fields equal an empty value.
	e, _ := newEngine(Config{})
	if got := e.String(`${LISTFILTER(L,\,,)}`, vars("L", "a,,b,,c")); got != "a,b,c" {
		t.Errorf("LISTFILTER of empty fields = %q", got)
	}
}

func TestCut(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// CUT: ranges N, N-M, N-, -M, joined with '&'
		// (func_cut.c cut_internal).
		{in: `${CUT(LIST,\,,2)}`, want: "two"},
		{in: `${CUT(LIST,\,,2-3)}`, want: "two,three"},
		{in: `${CUT(LIST,\,,3-)}`, want: "three,four,five"},
		{in: `${CUT(LIST,\,,-2)}`, want: "one,two"},
		{in: `${CUT(LIST,\,,1&3&5)}`, want: "one,three,five"},
		{in: `${CUT(LIST,\,,1-2&4-)}`, want: "one,two,four,five"},
		// Fields are read left to right: a range behind the current field
		// outputs nothing more.
		{in: `${CUT(LIST,\,,3&1)}`, want: "three"},
		{in: `${CUT(LIST,\,,9)}`, want: ""},
		{in: `${CUT(LIST,\,,0)}`, want: ""},
		{in: `${CUT(LIST,\,,-3-2)}`, want: "one,two"},
		// The sscanf formats skip white space and accept a sign; text
		// after a number is ignored, but "N-" followed by anything is open.
		{in: `${CUT(LIST,\,, 2)}`, want: "two"},
		{in: `${CUT(LIST,\,,+2)}`, want: "two"},
		{in: `${CUT(LIST,\,,2x)}`, want: "two"},
		{in: `${CUT(LIST,\,,4-x)}`, want: "four,five"},
		// An empty delimiter means '-'.
		{in: "${CUT(DASHED,,2)}", want: "amp"},
		// Erratum 14: "\t" arrives as "t" (no 't' in the value: one
		// field), "\\t" arrives as "\t", a TAB.
		{in: `${CUT(TABBED,\t,2)}`, want: ""},
		{in: `${CUT(TABBED,\t,1)}`, want: "a\tb\tc"},
		{in: `${CUT(TABBED,\\t,2)}`, want: "b"},
		// Hexadecimal and octal escapes.
		{in: `${CUT(LIST,\\x2c,2)}`, want: "two"},
		{in: `${CUT(LIST,\\054,4)}`, want: "four"},
		// The name is substituted as "${name}".
		{in: "${CUT(MAC:0:6,,1)}", want: "0004F2"},
		// An empty value gives "" whatever the ranges.
		{in: "[${CUT(EMPTY,,x)}]", want: "[]"},
		// Errors: fewer than three arguments; a range that does not parse
		// (an empty one too, as after a trailing '&').
		{in: `${CUT(LIST,\,)}`, fails: true},
		{in: "${CUT()}", fails: true},
		{in: `${CUT(LIST,\,,x)}`, fails: true},
		{in: `${CUT(LIST,\,,)}`, fails: true},
		{in: `${CUT(LIST,\,,1&)}`, fails: true},
		// ...unless the fields ran out before the bad range was read.
		{in: "${CUT(DASHED,,3-&x)}", want: "le"},
	})
	// Empty fields keep their place and their delimiters.
	e, _ := newEngine(Config{})
	if got := e.String(`${CUT(S,\,,2-)}`, vars("S", "a,,b,")); got != ",b," {
		t.Errorf("CUT with empty fields = %q", got)
	}
}
