package subst

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// testFuncs are small functions whose behaviour the scanner tests can rely
// on without the real function library.
func testEngine(t testing.TB, extra ...*Func) *Engine {
	t.Helper()
	fns := []*Func{
		{Name: "ECHO", Read: func(c *Call, args string) (string, error) { return args, nil }},
		{Name: "UP", Pure: true, Read: func(c *Call, args string) (string, error) { return strings.ToUpper(args), nil }},
		{Name: "FAIL", Read: func(c *Call, args string) (string, error) { return "partial", ErrArgs }},
		{Name: "NUL", Read: func(c *Call, args string) (string, error) { return "ab\x00cd", nil }},
		{Name: "BIG", ReadMax: 8, Read: func(c *Call, args string) (string, error) { return "0123456789", nil }},
		{Name: "DANGER", Escalating: true, Read: func(c *Call, args string) (string, error) { return "ran", nil }},
		{Name: "GETVAR", Read: func(c *Call, args string) (string, error) { v, _ := c.Var(args); return v, nil }},
		{Name: "SETX", Read: func(c *Call, args string) (string, error) { c.SetVar("X", args); return args, nil }},
		{Name: "ARGC", Read: func(c *Call, args string) (string, error) {
			return strings.Join(SplitArgs(args, ',', 3, true), "|"), nil
		}},
		{Name: "AGAIN", Read: func(c *Call, args string) (string, error) { return c.Substitute(args, c.Scope()), nil }},
	}
	return New(Config{
		Funcs:    NewRegistry(append(fns, extra...)...),
		Expr:     func(s string) string { return "<" + s + ">" },
		Builtins: map[string]string{"SYSTEMNAME": "pbx1", "ASTDATADIR": "/var/lib/asterisk"},
		Globals:  Vars{{Name: "GLOBALONLY", Value: "g"}, {Name: "A", Value: "global-a"}},
		Now:      func() time.Time { return time.Unix(1795000000, 0) },
	})
}

var testVars = Vars{
	{Name: "A", Value: "alpha"},
	{Name: "B", Value: "A"},
	{Name: "MAC", Value: "0004f2a1b2c3"},
	{Name: "A", Value: "second-a"},
	{Name: "__INH", Value: "inherited"},
	{Name: "T", Value: "${A}"},
	{Name: "EMPTY", Value: ""},
	{Name: "SYSTEMNAME", Value: "shadowed"},
	{Name: "Lower", Value: "case"},
}

// TestSubstitute covers docs/asterisk.md#substitution.
func TestSubstitute(t *testing.T) {
	e := testEngine(t)
	tests := []struct {
		name, in, want string
	}{
		// Scanning: text is copied through until a '$'.
		{"plain text", "hello world", "hello world"},
		{"lone dollar", "cost $5 and $", "cost $5 and $"},
		{"dollar before other", "$A $(A) ${A}", "$A $(A) alpha"},
		// Variable lookup: first match wins, case-sensitive.
		{"first match wins", "${A}", "alpha"},
		{"case sensitive", "${lower}|${Lower}", "|case"},
		{"unknown is empty", "[${NOPE}]", "[]"},
		{"empty name", "[${}]", "[]"},
		// Stored names with up to two leading '_' are ignored.
		{"inherited name", "${INH}", "inherited"},
		{"lookup with underscore does not strip", "[${_INH}]", "[]"},
		// Built-ins shadow the list; globals come after it.
		{"builtin shadows list", "${SYSTEMNAME}", "pbx1"},
		{"global fallback", "${GLOBALONLY}", "g"},
		{"list beats global", "${A}", "alpha"},
		// Inner substitution: contents substituted first.
		{"variable named by variable", "${${B}}", "alpha"},
		{"nested function arg", "${UP(${MAC})}", "0004F2A1B2C3"},
		{"nested three deep", "${UP(${ECHO(${B})})}", "A"},
		// Results are not rescanned.
		{"no rescan", "${T}", "${A}"},
		{"no rescan of function result", "${ECHO($)}{A}", "${A}"},
		// Substrings.
		{"substring offset", "${MAC:4}", "f2a1b2c3"},
		{"substring offset length", "${MAC:4:2}", "f2"},
		{"substring negative offset", "${MAC:-4}", "b2c3"},
		{"substring negative offset too large", "${MAC:-40:3}", "000"},
		{"substring offset past end", "[${MAC:40}]", "[]"},
		{"substring negative length", "${MAC:0:-4}", "0004f2a1"},
		{"substring negative length too large", "[${MAC:2:-40}]", "[]"},
		{"substring non numeric", "${MAC::3}", "0004f2a1b2c3"},
		{"substring space before number", "${MAC: 4: 2}", "f2"},
		{"substring of function result", "${UP(${MAC}):-2}", "C3"},
		{"colon inside parens is not a substring", "${ECHO(a:b)}", "a:b"},
		{"colon after function call", "${ECHO(a:b):2:1}", "b"},
		// Functions: arguments run from the first '(' to the last ')'.
		{"last paren", "${ECHO(a)b)}", "a)b"},
		{"missing close paren", "${ECHO(abc}", "abc"},
		{"unknown function empty", "[${NOSUCH(1)}]", "[]"},
		{"function error renders nothing", "[${FAIL()}]", "[]"},
		{"function name case sensitive", "[${echo(x)}]", "[]"},
		{"NUL ends a result", "${NUL()}", "ab"},
		{"legacy read buffer", "${BIG()}", "0123456"},
		// End of ${…}: braces balance; unbalanced takes the rest.
		{"braces inside", "${ECHO({x})}", "{x}"},
		{"percent braces", "${ECHO(%{A})}", "%{A}"},
		{"missing close brace", "x${ECHO(abc", "xabc"},
		{"missing close brace variable", "x${A", "xalpha"},
		{"stray close brace", "a}b", "a}b"},
		// $[ ]: contents substituted, then evaluated.
		{"expression", "$[1+1]", "<1+1>"},
		{"expression with var", "$[${MAC:0:2} + 1]", "<00 + 1>"},
		{"expression nested", "$[$[1]+1]", "<<1>+1>"},
		{"expression brackets balance", "$[a[b]c]", "<a[b]c>"},
		{"var inside expression keeps braces", "$[${ECHO({)}]", "<{>"},
		{"expression inside var", "${ECHO($[2])}", "<2>"},
		{"missing close bracket", "$[1+2", "<1+2>"},
		// SET: returns the value; phoneprovd keeps it render-local.
		{"set then read", "${SETX(v)}-${X}", "v-v"},
		{"builtin via function", "${GETVAR(ASTDATADIR)}", "/var/lib/asterisk"},
		{"nested render", "${AGAIN($)}", "$"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := e.Substitute(tt.in, testVars, Options{})
			if got.Text != tt.want {
				t.Errorf("Substitute(%q) = %q, want %q", tt.in, got.Text, tt.want)
			}
			if got.Err != nil {
				t.Errorf("unexpected Err %v", got.Err)
			}
		})
	}
}

func TestSetVarIsRenderLocal(t *testing.T) {
	e := testEngine(t)
	if got := e.String("${SETX(1)}${X}", testVars); got != "11" {
		t.Fatalf("got %q", got)
	}
	if got := e.String("[${X}]", testVars); got != "[]" {
		t.Fatalf("SET leaked into a later render: %q", got)
	}
}

// TestInhibitEscalations: escalating functions are blocked while serving
// (docs/asterisk.md#escalating-functions).
func TestInhibitEscalations(t *testing.T) {
	e := testEngine(t)
	if got := e.Substitute("[${DANGER()}]", nil, Options{InhibitEscalations: true}).Text; got != "[]" {
		t.Errorf("blocked: got %q", got)
	}
	if got := e.Substitute("[${DANGER()}]", nil, Options{}).Text; got != "[ran]" {
		t.Errorf("allowed: got %q", got)
	}
}

func TestPure(t *testing.T) {
	e := testEngine(t)
	for _, tt := range []struct {
		tmpl string
		pure bool
	}{
		{"plain text", true},
		{"${A} ${MAC:2:4} $[1+1]", true},
		{"${UP(${A})}", true},
		{"${UP(${ECHO(x)})}", false},    // a function not marked Pure, nested
		{"${NOSUCHFUNC(x)}", false},     // unknown: not known to be pure
		{"${UP(${EPOCH})}", false},      // volatile is never pure
		{"${UP(a)}${GETVAR(A)}", false}, // one impure call is enough
	} {
		if got := e.Substitute(tt.tmpl, testVars, Options{}).Pure; got != tt.pure {
			t.Errorf("Substitute(%q).Pure = %v, want %v", tt.tmpl, got, tt.pure)
		}
	}
}

func TestReads(t *testing.T) {
	file := &Func{Name: "FILEOF", Pure: true, Read: func(c *Call, args string) (string, error) {
		c.NoteRead("file:" + args)
		return "contents of " + args, nil
	}}
	e := testEngine(t, file)
	for _, tt := range []struct {
		tmpl  string
		reads []any
		pure  bool
	}{
		{"${A}", nil, true},
		{"${FILEOF(a)}", []any{"file:a"}, true},
		{"${FILEOF(a)}${UP(${FILEOF(b)})}", []any{"file:a", "file:b"}, true},
		{"${FILEOF(a)}${ECHO(x)}", []any{"file:a"}, false}, // reads are kept; Pure says whether they suffice
	} {
		r := e.Substitute(tt.tmpl, testVars, Options{})
		if r.Pure != tt.pure || !slices.Equal(r.Reads, tt.reads) {
			t.Errorf("Substitute(%q): Pure %v, Reads %q; want %v, %q", tt.tmpl, r.Pure, r.Reads, tt.pure, tt.reads)
		}
	}
}

func TestVolatileAndLookupTrace(t *testing.T) {
	e := testEngine(t)
	r := e.Substitute("${A}", testVars, Options{})
	if r.Volatile {
		t.Error("plain lookup marked volatile")
	}
	r = e.Substitute("${EPOCH}", testVars, Options{})
	if !r.Volatile || r.Text != "1795000000" {
		t.Errorf("EPOCH: %+v", r)
	}
	var seen []string
	e.Substitute("${A}${GETVAR(SECRET)}${UP(${MAC})}", testVars, Options{OnLookup: func(n string) { seen = append(seen, n) }})
	if got := strings.Join(seen, ","); got != "A,SECRET,MAC" {
		t.Errorf("lookups = %s", got)
	}
}

func TestLimits(t *testing.T) {
	e := New(Config{
		Funcs: NewRegistry(&Func{Name: "REC", Read: func(c *Call, args string) (string, error) {
			return c.Substitute("${REC()}${REC()}", nil), nil
		}}),
		MaxDepth:  10,
		MaxOutput: 100,
		MaxCalls:  1000,
	})
	if r := e.Substitute("${REC()}", nil, Options{}); !errors.Is(r.Err, ErrDepth) && !errors.Is(r.Err, ErrCalls) {
		t.Errorf("recursion: Err = %v", r.Err)
	}
	deep := strings.Repeat("${", 50) + strings.Repeat("}", 50)
	if r := e.Substitute(deep, nil, Options{}); !errors.Is(r.Err, ErrDepth) {
		t.Errorf("deep nesting: Err = %v", r.Err)
	}
	big := strings.Repeat("x", 150)
	if r := e.Substitute(big, nil, Options{}); !errors.Is(r.Err, ErrOutput) || len(r.Text) != 100 {
		t.Errorf("output cap: Err = %v, len %d", r.Err, len(r.Text))
	}
	many := strings.Repeat("${A}", 2000)
	if r := e.Substitute(many, nil, Options{}); !errors.Is(r.Err, ErrCalls) {
		t.Errorf("calls cap: Err = %v", r.Err)
	}
}

func TestAppendSubstitute(t *testing.T) {
	e := New(Config{MaxOutput: 10})
	// The text is appended after what dst holds, and the output cap
	// counts only what this substitution produced.
	dst := append(make([]byte, 0, 64), "prefix-that-is-long:"...)
	out, res := e.AppendSubstitute(dst, "${A}-${B}", testVars, Options{})
	if res.Err != nil || string(out) != "prefix-that-is-long:"+e.String("${A}-${B}", testVars) {
		t.Errorf("AppendSubstitute = %q, %v", out, res.Err)
	}
	if &out[0] != &dst[:1][0] {
		t.Error("AppendSubstitute allocated although dst had room")
	}
	out, res = e.AppendSubstitute(dst[:3], strings.Repeat("y", 15), nil, Options{})
	if !errors.Is(res.Err, ErrOutput) || string(out) != "pre"+strings.Repeat("y", 10) {
		t.Errorf("capped AppendSubstitute = %q, %v", out, res.Err)
	}
}

func TestSubstring(t *testing.T) {
	// ast_str_substring (docs/asterisk.md#substrings).
	tests := []struct {
		s           string
		off, length int
		want        string
	}{
		{"abcdef", 0, maxInt32, "abcdef"},
		{"abcdef", 2, maxInt32, "cdef"},
		{"abcdef", 2, 2, "cd"},
		{"abcdef", -2, maxInt32, "ef"},
		{"abcdef", -10, 2, "ab"},
		{"abcdef", 6, 1, ""},
		{"abcdef", 1, -1, "bcde"},
		{"abcdef", 1, -5, ""},
		{"abcdef", 1, -4, "b"},
		{"abcdef", 0, 0, ""},
		{"", 0, 5, ""},
		{"", -1, 5, ""},
	}
	for _, tt := range tests {
		if got := Substring(tt.s, tt.off, tt.length); got != tt.want {
			t.Errorf("Substring(%q,%d,%d) = %q, want %q", tt.s, tt.off, tt.length, got, tt.want)
		}
	}
}

func TestParseVariableName(t *testing.T) {
	// parse_variable_name and its sscanf("%30d:%30d").
	tests := []struct {
		in          string
		name        string
		off, length int
		isFunc      bool
	}{
		{"VAR", "VAR", 0, maxInt32, false},
		{"VAR:3", "VAR", 3, maxInt32, false},
		{"VAR:3:4", "VAR", 3, 4, false},
		{"VAR:-3:-4", "VAR", -3, -4, false},
		{"VAR::4", "VAR", 0, maxInt32, false},
		{"VAR:x", "VAR", 0, maxInt32, false},
		{"VAR:+7", "VAR", 7, maxInt32, false},
		{"VAR:3 :4", "VAR", 3, maxInt32, false},
		{"F(a:b)", "F(a:b)", 0, maxInt32, true},
		{"F(a:b):1", "F(a:b)", 1, maxInt32, true},
		{"X):1", "X):1", 0, maxInt32, false},
		{"VAR:99999999999", "VAR", 1215752191, maxInt32, false},
		{"VAR:999999999999999999999999", "VAR", -1, maxInt32, false},
	}
	for _, tt := range tests {
		name, off, length, isFunc := parseVariableName(tt.in)
		if name != tt.name || off != tt.off || length != tt.length || isFunc != tt.isFunc {
			t.Errorf("parseVariableName(%q) = %q,%d,%d,%v; want %q,%d,%d,%v", tt.in, name, off, length, isFunc, tt.name, tt.off, tt.length, tt.isFunc)
		}
	}
}

func TestVarsFindVsLookup(t *testing.T) {
	v := Vars{{Name: "__X", Value: "1"}, {Name: "X", Value: "2"}}
	if got, _ := v.Lookup("X"); got != "1" {
		t.Errorf("Lookup strips underscores: got %q", got)
	}
	if got, _ := v.Find("X"); got != "2" {
		t.Errorf("Find is exact: got %q", got)
	}
	if !v.Has("__X") || v.Has("_X") {
		t.Error("Has")
	}
}

func FuzzSubstitute(f *testing.F) {
	for _, s := range []string{
		"${A}", "${${B}}", "${MAC:1:-2}", "$[1+${A}]", "${ECHO(${UP(x)})}", "${", "$[", "${A:", "}}}{{{",
		"${AGAIN(${AGAIN(${AGAIN(x)})})}", "${ARGC(a\\,b,\"c,d\",e,f)}",
	} {
		f.Add(s)
	}
	e := testEngine(f)
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			return
		}
		r := e.Substitute(s, testVars, Options{})
		if len(r.Text) > DefaultMaxOutput {
			t.Fatalf("output %d bytes over the limit", len(r.Text))
		}
		if !strings.Contains(s, "$") && r.Text != s {
			t.Fatalf("text without '$' changed: %q -> %q", s, r.Text)
		}
	})
}
