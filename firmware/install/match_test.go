package install

import (
	"encoding/json"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestFnmatch(t *testing.T) {
	tests := []struct {
		name, pat string
		want      bool
	}{
		{"T27G-69.86.0.15.rom", "*.rom", true},
		{"T31(T30,T30P)-124.rom", "*.rom", true},
		{"dir/x.st", "*.st", true}, // fnmatch's * crosses "/"
		{"x.sT", "*.st", false},    // case matters
		{"a", "?", true},
		{"ab", "?", false},
		{"b", "[abc]", true},
		{"d", "[a-c]", false},
		{"d", "[!a-c]", true},
		{"]", "[]]", true},
		{"-", "[a-]", true},
		{"[", "[", true}, // an unclosed [ is literal
		{"[x", "[x", true},
		{"a", "[b-a]", false}, // an empty range never matches
		{"z", "[!b-a]", true}, // its negation matches anything
		{"\\", "[\\]", true},
		{"^", "[^]", true},
		{"", "*", true},
		{"abcabc", "*b*c", true},
		{"abcabd", "*b*c", false},
	}
	for _, tt := range tests {
		if got := fnmatch(tt.name, tt.pat); got != tt.want {
			t.Errorf("fnmatch(%q, %q) = %v, want %v", tt.name, tt.pat, got, tt.want)
		}
	}
}

func needPython(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is needed to compare with Python's fnmatch and glob")
		}
		t.Skip("python3 is not installed: skipping the comparison with Python's fnmatch and glob")
	}
	return py
}

const pyMatch = `
import fnmatch, glob, json, sys
spec = json.load(open(sys.argv[1]))
out = []
for name, pat in spec['pairs']:
    try:
        out.append(fnmatch.fnmatchcase(name, pat))
    except Exception:
        out.append(None)
globs = []
for pat in spec['globs']:
    globs.append(sorted(glob.glob(pat, root_dir=spec['dir'])))
json.dump({'match': out, 'glob': globs}, sys.stdout)
`

// TestMatchesPython compares fnmatch and glob with Python's on generated
// patterns.
func TestMatchesPython(t *testing.T) {
	py := needPython(t)
	rng := rand.New(rand.NewSource(3))
	gen := func(alphabet string, max int) string {
		var b strings.Builder
		for n := rng.Intn(max + 1); n > 0; n-- {
			b.WriteByte(alphabet[rng.Intn(len(alphabet))])
		}
		return b.String()
	}
	var pairs [][2]string
	for i := 0; i < 5000; i++ {
		pairs = append(pairs, [2]string{gen("abc-]!^/.", 5), gen("abc-]![*?^/.", 7)})
	}
	dir := t.TempDir()
	for _, p := range []string{"a/b.rom", "a/.hid", "a/c/d.rom", ".top/x", "b.zip", "fw(1).rom", "z/GUI/en/x.lang", "z/GUI/fr/y.lang", "e/"} {
		full := filepath.Join(dir, p)
		if strings.HasSuffix(p, "/") {
			os.MkdirAll(full, 0o755)
			continue
		}
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, nil, 0o644)
	}
	globs := []string{"*", "*/*", "*.rom", "a/*", "a/.*", "*/.*", ".*", ".*/*", "a/b.rom", "a/nope", "a/b.rom/x", "*/GUI/*/*.lang",
		"*/GUI/*", "fw(1).rom", "[ab]/*", "?/c", "a//b.rom", "./a/b.rom", "e", "e/", "*/", "a/c/../b.rom", "**/*.rom"}
	for i := 0; i < 200; i++ {
		globs = append(globs, gen("ab*?/.[]!", 6))
	}
	spec, _ := json.Marshal(map[string]any{"pairs": pairs, "globs": globs, "dir": dir})
	specFile := filepath.Join(t.TempDir(), "spec.json")
	os.WriteFile(specFile, spec, 0o644)
	out, err := exec.Command(py, "-c", pyMatch, specFile).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var want struct {
		Match []*bool
		Glob  [][]string
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, p := range pairs {
		if want.Match[i] == nil {
			continue // Python itself fails on this pattern
		}
		if got := fnmatch(p[0], p[1]); got != *want.Match[i] {
			t.Errorf("fnmatch(%q, %q) = %v, Python %v", p[0], p[1], got, *want.Match[i])
		}
	}
	fsys := os.DirFS(dir)
	for i, g := range globs {
		if strings.HasSuffix(g, "/") || strings.Contains(g, "..") || strings.HasPrefix(g, "/") || g == "" {
			continue // refused or normalized away by xivo-fetchfw before globbing
		}
		w := want.Glob[i]
		if strings.Contains(g, "//") || strings.HasPrefix(g, "./") {
			continue // Python keeps the spelling; we match the normalized form
		}
		got := glob(fsys, g)
		if strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("glob(%q) = %q, Python %q", g, got, w)
		}
	}
}
