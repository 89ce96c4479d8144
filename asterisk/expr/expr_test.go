package expr

import (
	"errors"
	"strings"
	"testing"
)

// evalCases were checked against Asterisk 20.20.1's own evaluator
// (main/ast_expr2.c and ast_expr2f.c built with no channel) and against the
// values measured on it (docs/asterisk.md#expressions). syntaxErr says
// whether ast_yyerror() reports a syntax error.
var evalCases = []struct {
	in        string
	want      string
	syntaxErr bool
}{
	// Measured on 20.20.1: division is floating point
	{"7 / 2", "3.5", false},
	{"19800 / 3600", "5.5", false},
	{"6 / 3", "2", false},
	{"-7 / 2", "-3.5", false},
	// Measured on 20.20.1: long double printed with %.18Lg
	{"2 / 3", "0.666666666666666667", false},
	{"1 / 3", "0.333333333333333333", false},
	{"1 / 7", "0.142857142857142857", false},
	{"-1 / 7", "-0.142857142857142857", false},
	{"10 / 3 * 3", "10", false},
	{"0.1 + 0.2", "0.3", false},
	{"1 - 0.9", "0.1", false},
	// Measured on 20.20.1: quotes survive except for : and =~
	{"\"10\" = 10", "0", false},
	{"\"2\" + \"3\"", "0", false},
	{"\"a b\" = \"a b\"", "1", false},
	{"\"a b\"", "\"a b\"", false},
	{"\"\" = \"\"", "1", false},
	// Measured on 20.20.1: & and | return an operand (op_and, op_or)
	{"abc | def", "abc", false},
	{"abc & def", "abc", false},
	{"0 | def", "def", false},
	{"\"\" | def", "\"\"", false},
	{"abc & 0", "0", false},
	{"0 & abc", "0", false},
	{"abc | 0", "abc", false},
	// Measured on 20.20.1: !abc is 1 (op_compl uses atoi)
	{"!abc", "1", false},
	{"!0", "1", false},
	{"!1", "0", false},
	{"!5abc", "0", false},
	{"!0.5", "1", false},
	{"!(0.5 + 0)", "0", false},
	{"!00", "1", false},
	{"!007", "0", false},
	{"!\"\"", "1", false},
	{"!4294967296", "1", false},
	{"!99999999999999999999", "0", false},
	{"!-1", "0", false},
	// Measured on 20.20.1: a literal like 007 comes back unchanged
	{"007", "007", false},
	{"(007)", "007", false},
	{"1.50", "1.50", false},
	{"00.10", "00.10", false},
	{"007 | 1", "7", false},
	{"0 | 007", "007", false},
	{"007 & 5", "7", false},
	{"1.50 & 1", "1.5", false},
	{"007 + 0", "7", false},
	// Measured on 20.20.1: 1/0 gives INT_MAX (op_div)
	{"1 / 0", "2147483647", false},
	{"0 / 0", "2147483647", false},
	{"1 / 0.0", "2147483647", false},
	{"2 / abc", "2147483647", false},
	{"abc / 2", "0", false},
	{"\"\" / 2", "0", false},
	// Measured on 20.20.1: dialplan functions give 0 (op_func)
	{"FOO(1)", "0", false},
	{"STAT(e,/tmp)", "0", true},
	{"cos(0)", "0", false},
	{"FOO(1) + 1", "1", false},
	{"F(1,)", "0", false},
	{"123(4)", "0", false},
	// Empty expression (start: %empty)
	{"", "", false},
	{"   ", "", false},
	{"\t\n", "", false},
	// + - * / % arithmetic (op_plus, op_minus, op_times, op_rem)
	{"1 + 2", "3", false},
	{"10 - 4", "6", false},
	{"6 * 7", "42", false},
	{"7 % 3", "1", false},
	{"-7 % 3", "-1", false},
	{"7 % -3", "1", false},
	{"7.5 % 2", "1.5", false},
	{"5 % 0", "0", false},
	{"5 % -0", "-0", false},
	{"5 % 0.0", "0", false},
	{"abc + 1", "1", false},
	{"1 + abc", "1", false},
	{"abc + def", "0", false},
	{"abc - 5", "-5", false},
	{"5 - abc", "5", false},
	{"abc - def", "0", false},
	{"abc * 2", "0", false},
	{"2 * abc", "0", false},
	{"abc % 2", "0", false},
	// Unary minus (op_negate)
	{"-5", "-5", false},
	{"- 5", "-5", false},
	{"--5", "5", false},
	{"-0", "-0", false},
	{"-(0)", "-0", false},
	{"-abc", "0", false},
	{"- -0", "0", false},
	{"0 * -1", "-0", false},
	{"3 - -3", "6", false},
	// Comparisons are numeric for numbers (op_eq … op_ne)
	{"10 = 10.0", "1", false},
	{"2.50 = 2.5", "1", false},
	{"10 < 9", "0", false},
	{"9 < 10", "1", false},
	{"10 > 9", "1", false},
	{"10 >= 10", "1", false},
	{"10 <= 9", "0", false},
	{"10 != 10", "0", false},
	{"10 == 10", "1", false},
	{"1 > 0 > 0", "1", false},
	{"(1 + 1) = 2", "1", false},
	// Comparisons are strcoll (byte order in C.UTF-8) with text
	{"10 < 9a", "1", false},
	{"a < b", "1", false},
	{"B < a", "1", false},
	{"abc = abc", "1", false},
	{"abc != abd", "1", false},
	{"é > z", "1", false},
	{"a < é", "1", false},
	{"2.5 = \"2.5\"", "0", false},
	{"(1 + 1) = 2abc", "0", false},
	{"(1 / 3) = 0.333333333333333333", "0", false},
	// Ternary c ? a :: b (op_cond)
	{"1 ? a :: b", "a", false},
	{"0 ? a :: b", "b", false},
	{"x ? a :: b", "a", false},
	{"\"\" ? a :: b", "b", false},
	{"0.0 ? a :: b", "b", false},
	{"(0 + 0) ? a :: b", "b", false},
	{"1 ? 2 ? 3 :: 4 :: 5", "3", false},
	{"0 ? a :: b ? c :: d", "c", false},
	{"1 ? a :: 0 ? c :: d", "c", false},
	{"1 ? 2 :: 3 + 4", "2", false},
	{"0 ? 2 :: 3 + 4", "7", false},
	// Precedence, lowest to highest
	{"1 + 2 * 3", "7", false},
	{"(1 + 2) * 3", "9", false},
	{"2 * 3 + 1", "7", false},
	{"1 | 0 & 0", "1", false},
	{"0 & 1 | 1", "1", false},
	{"1 = 1 & 2", "1", false},
	{"1 + 1 = 2", "1", false},
	{"2 * 3 : 6", "0", false},
	{"- 3 : 2", "-0", false},
	{"! 1 : 1", "0", false},
	{"10 - 2 - 3", "5", false},
	{"100 / 10 / 5", "2", false},
	{"2 * 3 % 4", "2", false},
	{"1 < 2 & 2 < 3", "1", false},
	{"a < b | c", "1", false},
	{"1 + 2 ~~ 3", "24", false},
	{"x ~~ y = xy", "1", false},
	// Regex ':' anchored at the start (op_colon)
	{"abc : a(.)c", "0", true},
	{"abc : \"a(.)c\"", "b", false},
	{"abc : b", "0", false},
	{"abc : ab", "2", false},
	{"abc : (x)", "0", false},
	{"abc : x", "0", false},
	{"abc : .*", "0", true},
	{"abc : x*", "0", true},
	{"123abc : [0-9]*", "0", true},
	{"abc : (a)|b", "1", false},
	{"bc : (a)|b", "b", false},
	{"\"abc\" : \"(.*)\"", "abc", false},
	{"a.b : a\\.b", "3", false},
	{"5 : (5)", "1", false},
	{"x5 : x(.*)", "0", true},
	// Regex '=~' unanchored (op_eqtilde)
	{"abc =~ b", "1", false},
	{"abc =~ (b)", "1", false},
	{"abc =~ (x)", "0", false},
	{"abc =~ x", "0", false},
	{"abc =~ c$", "1", false},
	{"abc =~ ^b", "0", false},
	// A regex regcomp rejects gives the empty string
	{"abc : *a", "0", true},
	{"abc : a{", "1", false},
	{"abc : [", "0", true},
	{"abc : (", "0", true},
	{"abc : \\\\", "0", false},
	// ~~ concatenates text (op_tildetilde)
	{"a ~~ b", "ab", false},
	{"1 ~~ 2", "12", false},
	{"\"a\" ~~ \"b\"", "ab", false},
	{"(1 ~~ 2) + 1", "13", false},
	{"1 ~~ 2 + 1", "13", false},
	// Math functions (op_func)
	{"COS(0)", "1", false},
	{"SIN(0)", "0", false},
	{"SQRT(2)", "1.41421356237309505", false},
	{"SQRT(16)", "4", false},
	{"POW(2, 10)", "1024", false},
	{"POW(2, 0.5)", "1.41421356237309505", false},
	{"POW(2, 1+2)", "8", false},
	{"POW(3, 40)", "1.21576654590569288e+19", false},
	{"FLOOR(2.5)", "2", false},
	{"FLOOR(-2.5)", "-3", false},
	{"CEIL(2.1)", "3", false},
	{"CEIL(-0.5)", "-0", false},
	{"ROUND(2.5)", "3", false},
	{"ROUND(-0.5)", "-1", false},
	{"RINT(2.5)", "2", false},
	{"RINT(3.5)", "4", false},
	{"TRUNC(-2.7)", "-2", false},
	{"EXP(1)", "2.71828182845904524", false},
	{"EXP2(10)", "1024", false},
	{"EXP10(3)", "1000", false},
	{"LOG(1)", "0", false},
	{"LOG2(8)", "3", false},
	{"LOG10(1000)", "3", false},
	{"REMAINDER(7, 2)", "-1", false},
	{"REMAINDER(5, 2)", "1", false},
	{"ABS(-3)", "3", false},
	{"ABS(-0)", "-0", false},
	{"ATAN(1) * 4", "3.14159265358979324", false},
	{"ACOS(-1)", "3.14159265358979324", false},
	{"ASIN(1)", "1.57079632679489662", false},
	{"ATAN2(1, 2)", "0.463647609000806116", false},
	{"ATAN2(0, -1)", "3.14159265358979324", false},
	{"COS(1)", "0.540302305868139717", false},
	{"TAN(1)", "1.55740772465490223", false},
	{"LOG(2)", "0.693147180559945309", false},
	// Math functions need exactly their arguments (op_func)
	{"COS()", "0", true},
	{"COS(1, 2)", "0", false},
	{"POW(2)", "0", false},
	{"POW(2, 3, 4)", "0", false},
	{"ABS(1,2)", "0", false},
	{"POW(2,)", "1", false},
	// op_func: NaN and infinities print as glibc does
	{"SQRT(-1)", "-nan", false},
	{"LOG(-1)", "nan", false},
	{"LOG(0)", "-inf", false},
	{"POW(10, 5000)", "inf", false},
	{"-POW(10, 5000)", "-inf", false},
	{"POW(10, 5000) - POW(10, 5000)", "-nan", false},
	{"POW(10, 5000) * 0", "-nan", false},
	{"ACOS(2)", "nan", false},
	{"POW(-8, 1/3)", "-nan", false},
	{"COS(POW(10, 5000))", "-nan", false},
	{"POW(0, -1)", "inf", false},
	{"POW(-0, -1)", "-inf", false},
	// %.18Lg formatting (ast_str_expr)
	{"123456789012345678", "123456789012345678", false},
	{"123456789012345678 + 0", "123456789012345678", false},
	{"1234567890123456789 + 0", "1.23456789012345679e+18", false},
	{"100000000000000000000 + 0", "1e+20", false},
	{"0.0001 + 0", "0.0001", false},
	{"0.00001 + 0", "1e-05", false},
	{"1 / 1024", "0.0009765625", false},
	{"1 / 3 / 1000000", "3.33333333333333333e-07", false},
	{"1000000000000000000 * 1000", "1e+21", false},
	{"10 / 4", "2.5", false},
	{"999999999999999999.5 + 0", "1e+18", false},
	{"0.1 * 3", "0.3", false},
	// Syntax errors print 0 unless a complete expression came first (bison default reductions)
	{"1 +", "0", true},
	{"(1", "0", true},
	{"1 + 2 3", "3", true},
	{"1 + 2 )", "3", true},
	{"1 + 2 (", "0", true},
	{"(1 2)", "0", true},
	{"a ? b : c", "0", true},
	{"1, 2", "1", true},
	{")", "", true},
	{"+ 1", "", true},
	{"POW(2,3)(4)", "8", true},
	{"COS(0)1", "1", true},
	{"F()", "0", true},
	{"F(,1)", "0", true},
	{"POW(2,3", "0", true},
	{"POW(2 3)", "0", true},
	{"1 ~ 2", "1", true},
	{"1 :: 2", "1", true},
	{"* 2", "", true},
	// ast_expr2.fl: tokens
	{"a$b", "a$b", false},
	{"$", "", false},
	{"$$$", "$$", false},
	{"a$", "a", false},
	{"a $ b", "a", true},
	{"1 [ 2", "1", true},
	{"~", "", false},
	{"\"abc", "abc", false},
	{"12abc", "12abc", false},
	{"1.5.3", "1.5.3", false},
	{"1.", "1.", false},
	{".5", ".5", false},
	{".5 + 1", "1", false},
	{"1.5 + 1", "2.5", false},
	{"a$ b", "a$ b", false},
	{"x'y;z\\#@_^", "x'y;z\\#@_^", false},
	{"1 ~~ 2", "12", false},
	// ast_expr2.fl: ${…} left in the text is one operand
	{"${X}", "${X}", false},
	{"${X}abc", "${X}abc", false},
	{"x${X}y = 2", "0", false},
	{"${X", "", false},
	{"${X} ~~ z", "${X} ~~ zz", false},
	{"${X}+1", "1", false},
	{"${X},2 ~~ q", "${X},2q", false},
	{"${A{B}}c", "${A{B}}c", false},
	{"${X}  =  ${X}  ", "0", false},
}

func TestEval(t *testing.T) {
	for _, c := range evalCases {
		got, err := EvalErr(c.in)
		if got != c.want {
			t.Errorf("EvalErr(%q) = %q, want %q", c.in, got, c.want)
		}
		if (err != nil) != c.syntaxErr {
			t.Errorf("EvalErr(%q) error = %v, want syntax error %v", c.in, err, c.syntaxErr)
		}
		if err != nil && !errors.Is(err, ErrSyntax) {
			t.Errorf("EvalErr(%q) error %v does not wrap ErrSyntax", c.in, err)
		}
		if e := Eval(c.in); e != got {
			t.Errorf("Eval(%q) = %q, EvalErr gave %q", c.in, e, got)
		}
	}
}

// TestEvalLongNumbers covers numbers that only digit strings thousands
// of characters long can produce, and strtold's ERANGE: to_number() then
// fails and frees the text, which Asterisk prints as nothing.
func TestEvalLongNumbers(t *testing.T) {
	big := strings.Repeat("9", 5000)                    // above LDBL_MAX
	tiny := "0." + strings.Repeat("0", 4940) + "1"      // below the smallest subnormal
	subnormal := "0." + strings.Repeat("0", 4930) + "1" // 1e-4931 is subnormal and exact enough
	aboveMin := "0." + strings.Repeat("0", 4931) + "33621031431120935063"
	belowMin := "0." + strings.Repeat("0", 4931) + "3362103143112093506"
	cases := []struct {
		name, in, want string
	}{
		// to_number: a numeric string is kept as text until used.
		{"untouched", big, big},
		// op_plus: the operand that fails to convert is dropped.
		{"overflow plus", big + " + 1", "1"},
		{"overflow plus right", "1 + " + big, "1"},
		// op_eq: both conversions fail and compare their zeroed unions.
		{"overflow equal", big + " = " + big, "1"},
		// op_or, op_and: the failed operand is returned with no text.
		{"overflow or", big + " | 2", ""},
		{"overflow and", big + " & 2", ""},
		{"overflow times", big + " * 2", "0"},
		// op_compl uses atoi, which saturates and truncates to int.
		{"overflow compl", "!" + big, "0"},
		{"overflow cond", big + " ? a :: b", "b"},
		{"overflow negate", "-" + big, "0"},
		// strtold: tininess after rounding and inexact means ERANGE.
		{"underflow", tiny + " + 0", "0"},
		{"underflow or", tiny + " | 5", ""},
		{"underflow equal", tiny + " = 0", "1"},
		{"subnormal", subnormal + " + 0", "1e-4931"},
		{"rounds up to LDBL_MIN", aboveMin + " + 0", "3.36210314311209351e-4932"},
		{"just below LDBL_MIN", belowMin + " + 0", "0"},
		{"largest power of ten", "1" + strings.Repeat("0", 4932) + " + 0", "1e+4932"},
		{"beyond LDBL_MAX", "12" + strings.Repeat("0", 4931) + " + 0", "0"},
		// op_times: overflow to infinity.
		{"product overflows", "1" + strings.Repeat("0", 4932) + " * 10", "inf"},
	}
	for _, c := range cases {
		if got := Eval(c.in); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestEvalParserStack checks bison's YYMAXDEPTH of 10000 states: with
// more pending symbols the parse fails with "memory exhausted". (Asterisk
// itself then overflows ast_yyerror()'s 8000-byte buffer and crashes;
// this package reports the syntax error and returns "0".)
func TestEvalParserStack(t *testing.T) {
	nest := func(n int) string {
		return strings.Repeat("(", n) + "1" + strings.Repeat(")", n)
	}
	cases := []struct {
		name    string
		in      string
		want    string
		wantErr bool
	}{
		{"parentheses at the limit", nest(9996), "1", false},
		{"parentheses past the limit", nest(9997), "0", true},
		{"unary minus at the limit", strings.Repeat("-", 9997) + "1", "-1", false},
		{"unary minus past the limit", strings.Repeat("-", 9998) + "1", "0", true},
	}
	for _, c := range cases {
		got, err := EvalErr(c.in)
		if got != c.want || (err != nil) != c.wantErr {
			t.Errorf("%s: got %q, %v; want %q, error %v", c.name, got, err, c.want, c.wantErr)
		}
		if err != nil && !errors.Is(err, ErrSyntax) {
			t.Errorf("%s: %v does not wrap ErrSyntax", c.name, err)
		}
	}
}

// TestEvalLimits checks the bounds this package adds: Asterisk has none.
func TestEvalLimits(t *testing.T) {
	// Every "${}" followed by a space is an operand that runs to the end
	// of the input (ast_expr2.fl's unput), so "~~" between them grows
	// quadratically.
	quadratic := strings.Repeat("${} ~~ ", 9000) + "x"
	cases := []struct {
		name string
		in   string
	}{
		{"input too long", strings.Repeat("1", MaxInput+1)},
		{"value too long", quadratic},
		// Go's regexp takes time proportional to pattern × text.
		{"regex work", strings.Repeat("a", 3000) + ` : "` + strings.Repeat("a?", 1500) + `"`},
		// "x : ${}" makes a pattern of the rest of the input, each time.
		{"regex work adds up", strings.Repeat("x : ${} | ", 6000)},
	}
	for _, c := range cases {
		got, err := EvalErr(c.in)
		if got != "" || !errors.Is(err, ErrLimit) {
			t.Errorf("%s: got %q, %v; want empty and ErrLimit", c.name, got, err)
		}
	}
	if got := Eval(strings.Repeat("1", MaxInput)); got != strings.Repeat("1", MaxInput) {
		t.Errorf("an input of exactly MaxInput bytes was not evaluated")
	}
}

// TestEvalNUL checks that the text ends at a NUL byte, as a C string
// does (docs/asterisk.md#scanning).
func TestEvalNUL(t *testing.T) {
	if got := Eval("1 + 1\x00 + 5"); got != "2" {
		t.Errorf("got %q, want 2", got)
	}
}

// TestEvalErrorMessage checks what EvalErr reports for ast_yyerror().
func TestEvalErrorMessage(t *testing.T) {
	cases := []struct {
		in       string
		contains string
	}{
		{"1 +", "unexpected end of expression at offset 3"},
		{"1 + 2 )", "unexpected ')' at offset 6"},
		{"(1 2)", "unexpected operand at offset 3"},
		{"a ? b : c", "unexpected end of expression"},
		{"F(,1)", "unexpected ',' at offset 2"},
	}
	for _, c := range cases {
		_, err := EvalErr(c.in)
		if err == nil || !strings.Contains(err.Error(), c.contains) {
			t.Errorf("EvalErr(%q) error = %v, want it to contain %q", c.in, err, c.contains)
		}
	}
}
