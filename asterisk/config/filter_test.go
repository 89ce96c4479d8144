package config

import (
	"reflect"
	"testing"
)

// TestTokenCursor mirrors ast_strsep with AST_STRSEP_STRIP.
func TestTokenCursor(t *testing.T) {
	tests := []struct {
		in   string
		sep  byte
		want []string // tokens until the cursor reports none
	}{
		{"a=b", '=', []string{"a", "b"}},
		{" a = b ", '=', []string{"a", "b"}},
		{"a=b=c", '=', []string{"a", "b", "c"}},
		{"", '=', []string{""}},
		{"a=", '=', []string{"a", ""}},
		{"x&y", '&', []string{"x", "y"}},
		{`'a&b'&c`, '&', []string{"a&b", "c"}},
		{`"a'&'b"&c`, '&', []string{`a'&'b`, "c"}},
		// A backslash skips itself and the next character.
		{`a\&b&c`, '&', []string{`a\&b`, "c"}},
		// After the skipped pair the next character is examined as is.
		{`a\x&b`, '&', []string{`a\x`, "b"}},
		// Asterisk reads past the string here; the token just ends.
		{`ab\&`, '&', []string{`ab\&`}},
		{`ab\`, '&', []string{`ab\`}},
		// One pair of surrounding quotes is removed.
		{`"quoted"`, '&', []string{"quoted"}},
		{`'`, '&', []string{""}},
		{`"a'`, '&', []string{`"a'`}},
	}
	for _, tt := range tests {
		c := tokenCursor{rest: tt.in, more: true}
		var got []string
		for {
			tok, ok := c.next(tt.sep)
			if !ok {
				break
			}
			got = append(got, tok)
			if len(got) > 10 {
				t.Fatalf("%q: runaway", tt.in)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("split %q on %q = %q, want %q", tt.in, tt.sep, got, tt.want)
		}
	}
}

// TestTokenCursorQuoteDepth: ast_strsep returns NULL when quotes nest 8
// deep, and keeps returning it.
func TestTokenCursorQuoteDepth(t *testing.T) {
	c := tokenCursor{rest: `'"'"'"'"x`, more: true}
	for i := 0; i < 2; i++ {
		if tok, ok := c.next('&'); ok {
			t.Fatalf("call %d: got %q, want none", i, tok)
		}
	}
	c = tokenCursor{rest: `'"'"'"'x`, more: true}
	if _, ok := c.next('&'); !ok {
		t.Fatal("7 levels should be accepted")
	}
}

// TestCategoryFilter mirrors does_category_match with the '&' separator.
func TestCategoryFilter(t *testing.T) {
	endpoint := &Section{Name: "7001", Vars: []Var{{Name: "type", Value: "endpoint"}, {Name: "context", Value: "default"}}}
	aor := &Section{Name: "7001", Vars: []Var{{Name: "type", Value: "aor"}}}
	tmpl := &Section{Name: "t", Template: true, Vars: []Var{{Name: "type", Value: "endpoint"}}}
	tests := []struct {
		filter              string
		endpoint, aor, tmpl bool
		problem             bool
	}{
		{"", true, true, false, false},
		{"type=endpoint", true, false, false, false},
		{"type=^end", true, false, false, false},
		{"ty=point", true, false, false, false}, // regexes are unanchored
		{"type=endpoint&context=def", true, false, false, false},
		{"type=endpoint&context=other", false, false, false, false},
		{" type = 'endpoint' ", true, false, false, false},
		{"type=aor", false, true, false, false},
		{"TEMPLATES=include", true, true, true, false},
		{"TEMPLATES=INCLUDE&type=endpoint", true, false, true, false},
		{"TEMPLATES=restrict", false, false, true, false},
		{"TEMPLATES=other", false, false, false, false},
		{"templates=include", false, false, false, false}, // the keyword is case-sensitive
		{"type", false, false, false, true},
		{"type=endpoint&junk", false, false, false, true},
		{"type=(", false, false, false, true},
		{"[=x", false, false, false, true},
		{"type=", true, true, false, false}, // an empty regex matches anything
	}
	for _, tt := range tests {
		f, problems := parseFilter(tt.filter)
		if (len(problems) > 0) != tt.problem {
			t.Errorf("%q: problems %q", tt.filter, problems)
		}
		for _, c := range []struct {
			s    *Section
			want bool
		}{{endpoint, tt.endpoint}, {aor, tt.aor}, {tmpl, tt.tmpl}} {
			if got, _ := f.matches(c.s); got != c.want {
				t.Errorf("%q on %+v: got %v, want %v", tt.filter, c.s.Vars, got, c.want)
			}
		}
	}
}

// TestStripQuotes mirrors ast_strip_quoted with "'\"" for both ends.
func TestStripQuotes(t *testing.T) {
	for in, want := range map[string]string{
		`"a"`: "a", `'a'`: "a", ` "a" `: "a", `"a'`: `"a'`, `"`: "", `""`: "", `a"`: `a"`, "": "", `"'a'"`: `'a'`,
	} {
		if got := stripQuotes(in); got != want {
			t.Errorf("stripQuotes(%q) = %q, want %q", in, got, want)
		}
	}
}
