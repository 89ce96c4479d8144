package pkgsdb

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// needPython returns the path of python3, or skips the test outside CI
// (fails under CI=true) when it is missing.
func needPython(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is needed to compare with Python's configparser and re")
		}
		t.Skip("python3 is not installed: skipping the comparison with Python's configparser")
	}
	return py
}

// pyINI reads each case's files with Python's RawConfigParser, in order,
// and returns the dump format of dump(), or "error".
const pyINI = `
import configparser, json, sys
out = []
for files in json.load(open(sys.argv[1])):
    c = configparser.RawConfigParser()
    try:
        for name in files:
            with open(name, encoding='utf-8-sig') as f:
                c.read_file(f)
        s = ''
        for sec in c.sections():
            s += '[' + sec + ']\n'
            for k, v in c.items(sec):
                s += k + '=' + v.replace('\n', '\\n') + '\n'
        out.append(s)
    except (configparser.Error, UnicodeDecodeError):
        out.append('error')
json.dump(out, sys.stdout)
`

// TestINIMatchesPython compares Read with Python's RawConfigParser on the
// real pkgs.db files and on generated documents made of the tricky parts
// of the syntax.
func TestINIMatchesPython(t *testing.T) {
	py := needPython(t)
	dir := t.TempDir()
	var cases [][]string
	var inputs [][][]byte
	add := func(docs ...[]byte) {
		var names []string
		for _, d := range docs {
			name := filepath.Join(dir, fmt.Sprintf("f%d", len(cases)*10+len(names)))
			if err := os.WriteFile(name, d, 0o644); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
		}
		cases = append(cases, names)
		inputs = append(inputs, docs)
	}
	for _, p := range realDBs {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		add(data)
	}
	headers := []string{"[pkg_x]", "[file_y]", "[DEFAULT]", "[a]b]", "  [s]", "[S]"}
	parts := []string{
		"a: 1", "A = 2", "b%d:", "k%d = v", "K%d: w", "key%d: value", "url: http://h/p?q=1", "c = x:y", " d: e", "\tf: g",
		"   continued", "\tmore", "# comment", "  ; comment", "", "   ", "k: v ; not a comment",
		"Été: ü", "x\u00a0: y", "\u00a0 nbsp-indented",
	}
	bad := []string{"no delimiter", ": empty key", "[]"}
	rng := rand.New(rand.NewSource(1))
	seps := []string{"\n", "\r\n", "\r"}
	doc := func() []byte {
		var b strings.Builder
		if rng.Intn(20) > 0 {
			b.WriteString(headers[rng.Intn(len(headers))] + "\n")
		}
		n := 1 + rng.Intn(12)
		for i := 0; i < n; i++ {
			switch r := rng.Intn(40); {
			case r == 0:
				b.WriteString(bad[rng.Intn(len(bad))])
			case r < 6:
				b.WriteString(headers[rng.Intn(len(headers))])
			default:
				p := parts[rng.Intn(len(parts))]
				if strings.Contains(p, "%d") {
					p = fmt.Sprintf(p, i)
				}
				b.WriteString(p)
			}
			b.WriteString(seps[rng.Intn(len(seps))])
		}
		return []byte(b.String())
	}
	for i := 0; i < 400; i++ {
		if i%4 == 0 {
			add(doc(), doc())
		} else {
			add(doc())
		}
	}
	spec, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	specFile := filepath.Join(dir, "cases.json")
	if err := os.WriteFile(specFile, spec, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", pyINI, specFile).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	errs := 0
	for i, docs := range inputs {
		c := NewINI()
		got := ""
		for j, d := range docs {
			if err := c.Read(cases[i][j], d); err != nil {
				got = "error"
				break
			}
		}
		if got == "" {
			got = dump(c)
		}
		if got != want[i] {
			t.Errorf("case %d %q:\n got %q\nwant %q", i, docs, got, want[i])
		}
		if got == "error" {
			errs++
		}
	}
	t.Logf("%d documents compared, %d of them errors", len(inputs), errs)
}

// pyExpand runs xivo-fetchfw's apply_subs (its regular expression and
// replacement rule, restated) on each case.
const pyExpand = `
import json, re, sys
R = re.compile(r'(?<!\\)\$(?:{(\w*)}|(\w*))')
def apply_subs(string, variables):
    def aux(m):
        n = m.group(1)
        if n is None:
            n = m.group(2)
        if not n:
            raise ValueError()
        return variables[n].replace('\\$', '\\\\$')
    return R.sub(aux, string).replace('\\$', '$')
out = []
cases = json.load(open(sys.argv[1]))
for s in cases['words']:
    try:
        out.append(apply_subs(s, cases['vars']))
    except (KeyError, ValueError):
        out.append(None)
json.dump(out, sys.stdout)
`

// TestExpandMatchesPython compares Expand with xivo-fetchfw's regular
// expression on generated words.
func TestExpandMatchesPython(t *testing.T) {
	py := needPython(t)
	vars := map[string]string{"FILE1": "fw.zip", "ARG1": `a\$b`, "A": "x", "é": "e", "X_1": "$"}
	parts := []string{"$", "${", "}", "\\", "$$", "FILE1", "ARG1", "A", "é", "X_1", "B", ".", "/", "{", "_", "1", "\\$"}
	rng := rand.New(rand.NewSource(2))
	var words []string
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for n := 1 + rng.Intn(6); n > 0; n-- {
			b.WriteString(parts[rng.Intn(len(parts))])
		}
		words = append(words, b.String())
	}
	spec, _ := json.Marshal(map[string]any{"words": words, "vars": vars})
	specFile := filepath.Join(t.TempDir(), "cases.json")
	if err := os.WriteFile(specFile, spec, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", pyExpand, specFile).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want []*string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, w := range words {
		got, err := Expand(w, vars)
		switch {
		case want[i] == nil && err == nil:
			t.Errorf("Expand(%q) = %q, Python raises", w, got)
		case want[i] != nil && err != nil:
			t.Errorf("Expand(%q): %v, Python gives %q", w, err, *want[i])
		case want[i] != nil && got != *want[i]:
			t.Errorf("Expand(%q) = %q, Python gives %q", w, got, *want[i])
		}
	}
}
