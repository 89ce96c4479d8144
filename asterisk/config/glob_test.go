package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestGlob compares glob with what glibc 2.36's glob(3) returned for the
// same tree and patterns with GLOB_NOMAGIC|GLOB_BRACE, the flags config.c
// uses (recorded with a small C program; "." stands for the tree).
func TestGlob(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"d/b.conf": "", "d/a.conf": "", "d/.hidden": "", "d/Z.conf": "", "d/{x,y}.conf": "",
		"d/x[.conf": "", "d/sub/s.conf": "", "e/c.conf": "",
	})
	if err := os.Symlink("/nonexistent", filepath.Join(dir, "d/dang.conf")); err != nil {
		t.Fatal(err)
	}
	l, err := newLoader(Options{Dir: dir}, osFileSystem{}, defaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"./d/Z.conf", "./d/a.conf", "./d/b.conf", "./d/dang.conf", "./d/x[.conf", "./d/{x,y}.conf"}
	tests := []struct {
		pattern string
		want    []string
	}{
		{"./d/*.conf", all},
		{"./d/*", []string{"./d/Z.conf", "./d/a.conf", "./d/b.conf", "./d/dang.conf", "./d/sub", "./d/x[.conf", "./d/{x,y}.conf"}},
		// Brace alternatives in the order written, each sorted on its own.
		{"./{e,d}/*.conf", append([]string{"./e/c.conf"}, all...)},
		{"./d/{b,a}.conf", []string{"./d/b.conf", "./d/a.conf"}},
		{"./d/{a,{b,Z}}.conf", []string{"./d/a.conf", "./d/b.conf", "./d/Z.conf"}},
		{"./d/{a,b,nope}.conf", []string{"./d/a.conf", "./d/b.conf"}},
		{"./d/a.conf{,}", []string{"./d/a.conf", "./d/a.conf"}},
		{"./d/{a}.conf", []string{"./d/a.conf"}},
		{"./d/{,a}.conf", []string{"./d/a.conf"}},
		// No alternative matched: the pattern again, braces literal.
		{"./d/{x,y}.conf", []string{"./d/{x,y}.conf"}},
		{"./d/{q,r}.conf", []string{"./d/{q,r}.conf"}},
		{"./d/{}.conf", []string{"./d/{}.conf"}},
		{"./d/{q,r}*.conf", nil},
		// Malformed braces are literal; an escaped brace is no brace.
		{"./d/{a,b", []string{"./d/{a,b"}},
		{"./d/\\{x,y}.conf", []string{"./d/{x,y}.conf"}},
		// Hidden files need a literal leading dot, which also matches . and ..
		{"./d/.*", []string{"./d/.", "./d/..", "./d/.hidden"}},
		// One sort over the whole result of a pattern.
		{"./*/*.conf", append(append([]string{}, all...), "./e/c.conf")},
		{"./*/", []string{"./d/", "./e/"}},
		{"./d/*/s.conf", []string{"./d/sub/s.conf"}},
		{"./*/sub/s.conf", []string{"./d/sub/s.conf"}},
		// GLOB_NOMAGIC: no special character at all, returned as is.
		{"./d/missing.conf", []string{"./d/missing.conf"}},
		{"./d//a.conf", []string{"./d//a.conf"}},
		{".//d/*.conf", []string{".//d/Z.conf", ".//d/a.conf", ".//d/b.conf", ".//d/dang.conf", ".//d/x[.conf", ".//d/{x,y}.conf"}},
		// A '[' without ']' or a backslash: unescaped and checked for existence.
		{"./d/x[.conf", []string{"./d/x[.conf"}},
		{"./d/[a", nil},
		{"./d/\\a.conf", []string{"./d/a.conf"}},
		{"./d/\\*.conf", nil},
		{"./d/\\q.conf", nil},
		// fnmatch sets.
		{"./d/[ab].conf", []string{"./d/a.conf", "./d/b.conf"}},
		{"./d/[!a].conf", []string{"./d/Z.conf", "./d/b.conf"}},
		{"./d/[^a].conf", []string{"./d/Z.conf", "./d/b.conf"}},
		{"./d/[]a].conf", []string{"./d/a.conf"}},
		{"./d/?.conf", []string{"./d/Z.conf", "./d/a.conf", "./d/b.conf"}},
		{"./nodir/*.conf", nil},
		{"./d/dang*", []string{"./d/dang.conf"}},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			got, err := l.glob(dir + strings.TrimPrefix(tt.pattern, "."))
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, w := range tt.want {
				want = append(want, dir+strings.TrimPrefix(w, "."))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}

// TestGlobLimits: brace bombs and huge matches end the load with an error.
func TestGlobLimits(t *testing.T) {
	lim := defaultLimits()
	lim.globPattern = 50
	lim.globMatches = 3
	dir := writeTree(t, map[string]string{"a/1": "", "a/2": "", "a/3": "", "a/4": ""})
	l, err := newLoader(Options{Dir: dir}, osFileSystem{}, lim)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.glob(dir + "/" + strings.Repeat("{a,b}", 10)); !errors.Is(err, errTooLarge) {
		t.Errorf("brace bomb: %v", err)
	}
	if _, err := l.glob(dir + "/a/*"); !errors.Is(err, errTooLarge) {
		t.Errorf("too many matches: %v", err)
	}
	if got, err := l.glob(dir + "/a/[12]"); err != nil || len(got) != 2 {
		t.Errorf("within limits: %q %v", got, err)
	}
}

// TestPatternKind mirrors glibc's __glob_pattern_type.
func TestPatternKind(t *testing.T) {
	for p, want := range map[string]int{
		"abc": patternPlain, "a*": patternSpecial, "a?": patternSpecial, `a\*`: patternBackslash,
		"a[b": patternBracket, "a[b]": patternSpecial, "a]b[": patternBracket, `\[a]`: patternBackslash,
		"{a,b}": patternPlain, `a\`: patternBackslash,
	} {
		if got := patternKind(p); got != want {
			t.Errorf("patternKind(%q) = %d, want %d", p, got, want)
		}
	}
}

// TestSplitBraces mirrors glibc's GLOB_BRACE parsing (next_brace_sub).
func TestSplitBraces(t *testing.T) {
	tests := []struct {
		in             string
		prefix, suffix string
		alts           []string
		ok             bool
	}{
		{"a{b,c}d", "a", "d", []string{"b", "c"}, true},
		{"{a,{b,c}}", "", "", []string{"a", "{b,c}"}, true},
		{"{a,b}{c,d}", "", "{c,d}", []string{"a", "b"}, true},
		{"a{}b", "a", "b", []string{""}, true},
		{`{a\,b,c}`, "", "", []string{`a\,b`, "c"}, true},
		{"x}{a,b}", "x}", "", []string{"a", "b"}, true},
		{"a{b", "", "", nil, false},
		{`\{a,b}`, "", "", nil, false},
		{"{a,b\\}", "", "", nil, false},
		{"plain", "", "", nil, false},
	}
	for _, tt := range tests {
		prefix, alts, suffix, ok := splitBraces(tt.in)
		if ok != tt.ok || prefix != tt.prefix || suffix != tt.suffix || !reflect.DeepEqual(alts, tt.alts) {
			t.Errorf("splitBraces(%q) = %q %q %q %v", tt.in, prefix, alts, suffix, ok)
		}
	}
}

// TestMatchName mirrors glibc 2.36's fnmatch with FNM_PERIOD in C.UTF-8
// (results recorded with a small C program).
func TestMatchName(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"*.conf", "a.conf", true},
		{"*.conf", ".hidden.conf", false},
		{".*", ".hidden", true},
		{`\.*`, ".x", true},
		{"?", ".", false},
		{"a*", "a", true},
		{"*a*b*c", "xaybzc", true},
		{"*a*b*c", "xaybzcd", false},
		{"?", "é", true},
		{"??", "é", true}, // glibc 2.36: a byte-wise match counts too
		{"???", "é", false},
		{"[é][é]", "é", true},
		{"[!é][!é]", "é", false},
		{"?", "éé", false},
		{"?", "\xff", true},
		{"[[:digit:]]x", "5x", true},
		{"[[:alpha:]]", "é", true},
		{"[[:upper:]]", "a", false},
		{"[[:nope:]]", "a", false},
		{"[a-c]", "b", true},
		{"[!a-c]", "b", false},
		{"[^a-c]", "d", true},
		{"[]]", "]", true},
		{"[!]]", "a", true},
		{"[a-]", "-", true},
		{`[a\]]`, "]", true},
		{`[\x]`, "x", true},
		{"[", "[", true},
		{"[a", "[a", true},
		{`a\*`, "a*", true},
		{`a\*`, "ab", false},
		{`\`, `\`, false},
		{"a[bc]d", "acd", true},
		{"a[bc]d", "ad", false},
	}
	for _, tt := range tests {
		if got := matchName(tt.pattern, tt.name); got != tt.want {
			t.Errorf("matchName(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestGlobExported(t *testing.T) {
	dir := writeTree(t, map[string]string{"d/b.conf": "", "d/a.conf": "", "d/x.txt": ""})
	got, err := Glob(dir + "/d/*.conf")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !strings.HasSuffix(got[0], "/d/a.conf") || !strings.HasSuffix(got[1], "/d/b.conf") {
		t.Errorf("Glob = %q", got)
	}
	if got, _ := Glob(dir + "/none.conf"); len(got) != 1 {
		t.Errorf("a plain name yields itself: %q", got)
	}
}
