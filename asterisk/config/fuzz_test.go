package config

import (
	"errors"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"strings"
	"testing"
	"testing/fstest"
)

// fuzzLimits keeps fuzzed loads small and fast.
func fuzzLimits() limits {
	return limits{bytes: 1 << 20, lines: 100000, files: 200, sections: 10000, vars: 50000,
		work: 1 << 20, globPattern: 64, globMatches: 100}
}

// fuzzTree is the in-memory /etc/asterisk a fuzzed main.conf can include:
// itself (also as inc.conf) and a few fixed files.
func fuzzTree(data []byte) fstest.MapFS {
	file := func(b []byte) *fstest.MapFile { return &fstest.MapFile{Data: b, Mode: 0o644} }
	return fstest.MapFS{
		"etc/asterisk/main.conf":  file(data),
		"etc/asterisk/inc.conf":   file(data),
		"etc/asterisk/base.conf":  file([]byte("[t](!)\nk=v\n[s](t)\nk+=w\n")),
		"etc/asterisk/d/a.conf":   file([]byte("[da]\na=1\n")),
		"etc/asterisk/d/b.conf":   file([]byte("b=2 ;-- open\n")),
		"etc/asterisk/d/.hidden":  file([]byte("[hidden]\n")),
		"etc/asterisk/d/sub/x.cf": file([]byte("[x]\n")),
	}
}

// FuzzParse loads fuzzed bytes as main.conf from an in-memory tree. It must
// never panic or hang, and what it returns must be well formed.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"[general]\na=1\nb => 2\nc += 3\n",
		"[t](!)\nx=1\n[s](t,t)\nx+=2\n[s](+)\ny=\\;z\n",
		"[a]\n#include d/*.conf\n#tryinclude {d,e}/[ab].conf\nk=v ;-- c\n--; j=1\n",
		"#include inc.conf\n[s]\n#include base.conf\n",
		"[s](+type=^e&TEMPLATES=include)\n",
		"\xEF\xBB\xBF[s]\r\n\\[x=1\r\n#exec true\n",
		"[s]\n--;\n;--\n;-- ;-- --;\n" + strings.Repeat("x", 8200) + "\n",
		"[]()\n[](+)\n[a](,)\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := newLoader(Options{Dir: "/etc/asterisk"}, memFS{fuzzTree(data)}, fuzzLimits())
		if err != nil {
			t.Fatal(err)
		}
		c, err := l.load("main.conf")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Msg == "" || e.File == "" {
				t.Fatalf("malformed error %#v", err)
			}
			return
		}
		checkWellFormed(t, c)
	})
}

// checkWellFormed checks the invariants every loaded Config satisfies.
func checkWellFormed(t *testing.T, c *Config) {
	t.Helper()
	if len(c.Warnings) > maxWarnings {
		t.Fatalf("%d warnings", len(c.Warnings))
	}
	for _, s := range c.Sections {
		if len(s.Name) > maxSectionName || s.Line < 1 || s.File == "" {
			t.Fatalf("bad section %q at %s:%d", s.Name, s.File, s.Line)
		}
		for _, v := range s.Vars {
			if v.Name == "" || v.Name != cstring.Strip(v.Name) || v.Value != cstring.Strip(v.Value) || v.Line < 1 {
				t.Fatalf("bad variable %q=%q at %s:%d", v.Name, v.Value, v.File, v.Line)
			}
			if strings.IndexByte(v.Name, 0) >= 0 || strings.IndexByte(v.Value, 0) >= 0 {
				t.Fatalf("NUL in variable %q=%q", v.Name, v.Value)
			}
		}
	}
	for _, s := range c.Browse() {
		if s.Template {
			t.Fatalf("Browse returned template %q", s.Name)
		}
	}
	for _, p := range c.Files {
		if !strings.HasPrefix(p, "/etc/asterisk/") {
			t.Fatalf("file %q outside the tree", p)
		}
	}
}

// FuzzGlobPattern checks brace splitting, pattern classification, name
// matching and whole globs over the in-memory tree.
func FuzzGlobPattern(f *testing.F) {
	for _, seed := range [][2]string{
		{"*.conf", "a.conf"}, {"{a,{b,c}}x", "bx"}, {"[!]a-c[:alpha:]]?", "]z"}, {`\{a,b}`, "{a,b}"},
		{"d/{a,b}.conf", "a"}, {"[[:nope:]]", "x"}, {".*", ".."}, {"*a*a*a*a*a*b", strings.Repeat("a", 40)},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, name string) {
		matchName(pattern, name)
		if patternKind(pattern) == patternPlain && !strings.ContainsRune(pattern, '/') && !matchName(pattern, pattern) {
			t.Fatalf("plain pattern %q does not match itself", pattern)
		}
		if prefix, alts, suffix, ok := splitBraces(pattern); ok {
			if rebuilt := prefix + "{" + strings.Join(alts, ",") + "}" + suffix; rebuilt != pattern {
				t.Fatalf("splitBraces(%q) rebuilds %q", pattern, rebuilt)
			}
		}
		l, err := newLoader(Options{Dir: "/etc/asterisk"}, memFS{fuzzTree(nil)}, fuzzLimits())
		if err != nil {
			t.Fatal(err)
		}
		paths, err := l.glob("/etc/asterisk/" + pattern)
		if err == nil && len(paths) > 2*fuzzLimits().globMatches {
			t.Fatalf("%d paths", len(paths))
		}
	})
}

// FuzzFilter checks the (+filter) parser and its evaluation.
func FuzzFilter(f *testing.F) {
	for _, seed := range []string{"type=endpoint", "a=b&TEMPLATES=restrict", `'x&y'=z`, `a\`, `"'"'"'"'"'`, "=", "[=("} {
		f.Add(seed)
	}
	sections := []*Section{
		{Name: "a", Vars: []Var{{Name: "type", Value: "endpoint"}}},
		{Name: "t", Template: true, Vars: []Var{{Name: "x", Value: ""}}},
		{Name: "e"},
	}
	f.Fuzz(func(t *testing.T, text string) {
		c := tokenCursor{rest: text, more: true}
		for i := 0; ; i++ {
			if _, ok := c.next('&'); !ok {
				break
			}
			if i > len(text)+1 {
				t.Fatalf("tokenCursor does not end on %q", text)
			}
		}
		filter, _ := parseFilter(text)
		for _, s := range sections {
			filter.matches(s)
		}
	})
}
