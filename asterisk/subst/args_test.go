package subst

import (
	"reflect"
	"testing"
)

func TestSplitArgs(t *testing.T) {
	// __ast_app_separate_args (docs/asterisk.md#argument-splitting).
	tests := []struct {
		name   string
		in     string
		delim  byte
		n      int
		remove bool
		want   []string
	}{
		{"empty gives none", "", ',', 3, true, nil},
		{"one", "a", ',', 3, true, []string{"a"}},
		{"two", "a,b", ',', 3, true, []string{"a", "b"}},
		{"last takes raw remainder", "a,b,c,d", ',', 2, true, []string{"a", "b,c,d"}},
		{"raw remainder keeps quotes and backslashes", `a,"b\,c"`, ',', 2, true, []string{"a", `"b\,c"`}},
		{"trailing delimiter adds empty arg", "a,", ',', 3, true, []string{"a", ""}},
		{"leading delimiter", ",b", ',', 3, true, []string{"", "b"}},
		{"double delimiter", "a,,b", ',', 3, true, []string{"a", "", "b"}},
		{"only delimiter", ",", ',', 3, true, []string{"", ""}},
		{"parens protect", "f(a,b),c", ',', 3, true, []string{"f(a,b)", "c"}},
		{"brackets protect", "[a,b],c", ',', 3, true, []string{"[a,b]", "c"}},
		{"quotes protect and are removed", `"a,b",c`, ',', 3, true, []string{"a,b", "c"}},
		{"backslash escapes and is removed", `a\,b,c`, ',', 3, true, []string{"a,b", "c"}},
		{"escaped backslash", `a\\b,c`, ',', 3, true, []string{`a\b`, "c"}},
		{"escaped quote", `a\"b,c`, ',', 3, true, []string{`a"b`, "c"}},
		{"raw keeps quotes", `"a,b",c`, ',', 3, false, []string{`"a,b"`, "c"}},
		{"raw keeps backslash but it protects", `a\,b,c`, ',', 3, false, []string{`a\,b`, "c"}},
		{"unbalanced paren swallows the rest", "f(a,b,c", ',', 3, true, []string{"f(a,b,c"}},
		{"close paren without open ignored", "a),b", ',', 3, true, []string{"a)", "b"}},
		{"paren state carries to next arg", "a(,b),c", ',', 3, true, []string{"a(,b)", "c"}},
		{"quote state carries", `a",b,c`, ',', 3, true, []string{"a,b,c"}},
		{"no trim", " a , b ", ',', 3, true, []string{" a ", " b "}},
		{"trailing backslash vanishes", `a\`, ',', 3, true, []string{"a"}},
		{"other delimiter", "a=b=c", '=', 2, true, []string{"a", "b=c"}},
		{"quote as delimiter is not a quote", `a"b`, '"', 2, true, []string{"a", "b"}},
		{"n=1 is all raw", `"a",b`, ',', 1, true, []string{`"a",b`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitArgs(tt.in, tt.delim, tt.n, tt.remove)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SplitArgs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzSplitArgs(f *testing.F) {
	f.Add(`a,"b\,c",(d,e),[f]`, 3)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n%8 + 1
		if n < 1 {
			n = -n + 1
		}
		raw := SplitArgs(s, ',', n, false)
		if len(raw) > n {
			t.Fatalf("%d args > %d", len(raw), n)
		}
		// Without removal, joining the arguments with the delimiter gives
		// back the input.
		joined := ""
		for i, a := range raw {
			if i > 0 {
				joined += ","
			}
			joined += a
		}
		if joined != s {
			t.Fatalf("raw split of %q rejoins as %q", s, joined)
		}
		SplitArgs(s, ',', n, true)
	})
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{"": "", "plain": "plain", `a\,b`: "a,b", `\\`: `\`, `\"q\"`: `"q"`, `end\`: "end"} {
		if got := Unescape(in); got != want {
			t.Errorf("Unescape(%q) = %q, want %q", in, got, want)
		}
	}
}
