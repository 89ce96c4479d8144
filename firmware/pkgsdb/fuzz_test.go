package pkgsdb

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// FuzzParse checks that no input panics the parser, that every error
// names the file and a line, and that whatever loads is safe to run: every
// glob and destination is relative and never climbs out.
func FuzzParse(f *testing.F) {
	for _, p := range realDBs {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(withRecipe("a-b: unzip $FILE1\nb-c: cp */x $ARG1/\n", "dir")))
	f.Add([]byte("[DEFAULT]\nk: v\n[pkg_p]\ndescription: d\nversion: 1\n  cont\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		db, err := Parse("db", data)
		if err != nil {
			if !regexp.MustCompile(`^db:\d+: `).MatchString(err.Error()) {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		for _, p := range db.Packages {
			for _, st := range p.Steps() {
				if err := st.Command.check(); err != nil {
					t.Fatalf("loaded an invalid step %s: %v", st, err)
				}
				for _, a := range st.Command.Args {
					if st.Command.Name != CmdInclude && st.Command.Name != CmdExclude {
						if strings.HasPrefix(a, "/") || strings.Contains("/"+a+"/", "/../") {
							t.Fatalf("unsafe argument %q in %s", a, st)
						}
					}
				}
			}
			for _, fl := range p.Files {
				if CheckFilename(fl.Filename) != nil {
					t.Fatalf("unsafe file name %q", fl.Filename)
				}
			}
		}
	})
}

// refExpand is apply_subs restated with Go's regexp: the look-behind
// "(?<!\\)" is checked by hand, which is equivalent because a match never
// contains a second "$".
func refExpand(s string, vars map[string]string) (string, bool) {
	re := regexp.MustCompile(`\$(?:\{([\p{L}\p{N}_]*)\}|([\p{L}\p{N}_]*))`)
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > 0 && s[m[0]-1] == '\\' {
			continue
		}
		name := ""
		if m[2] >= 0 {
			name = s[m[2]:m[3]]
		} else {
			name = s[m[4]:m[5]]
		}
		v, ok := vars[name]
		if name == "" || !ok {
			return "", false
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(strings.ReplaceAll(v, `\$`, `\\$`))
		last = m[1]
	}
	b.WriteString(s[last:])
	return strings.ReplaceAll(b.String(), `\$`, `$`), true
}

// FuzzExpand compares Expand with the regular-expression restatement of
// xivo-fetchfw's apply_subs.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{"$FILE1", "${ARG1}/x", `\$N`, `\\$ARG1`, "${", "$", "a$.b", "$ARG1$ARG1", "${é}"} {
		f.Add(s)
	}
	vars := map[string]string{"FILE1": "fw.zip", "ARG1": `a\$b`, "é": "e", "X": "$"}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Expand(s, vars)
		want, ok := refExpand(s, vars)
		if ok != (err == nil) {
			t.Fatalf("Expand(%q) = %q, %v; reference ok=%v %q", s, got, err, ok, want)
		}
		if ok && got != want {
			t.Fatalf("Expand(%q) = %q, reference %q", s, got, want)
		}
	})
}
