package config

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestInclude covers #include and #tryinclude through Load (process_text_line's
// directive branch, ast_config_internal_load, docs/asterisk.md#directives).
func TestInclude(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string // main.conf and the rest
		want    string            // dump, or the fatal error text
		warning string
	}{
		// Relative names resolve against the config dir, not the includer's dir.
		{"relative to config dir", map[string]string{
			"main.conf":  "#include sub/a.conf\n",
			"sub/a.conf": "#include b.conf\n",
			"b.conf":     "[root]\n",
			"sub/b.conf": "[sub]\n",
		}, "[root]", ""},
		// Glob matches are read in sorted (byte) order.
		{"glob sorted", map[string]string{
			"main.conf": "#include d/*.conf\n",
			"d/b.conf":  "[b]\n", "d/a.conf": "[a]\n", "d/Z.conf": "[Z]\n", "d/skip.txt": "[no]\n",
		}, "[Z]\n[a]\n[b]", ""},
		// glob(3) GLOB_BRACE: alternatives in the order written, each sorted.
		{"braces", map[string]string{
			"main.conf": "#include {e,d}/*.conf\n",
			"d/a.conf":  "[da]\n", "d/b.conf": "[db]\n", "e/c.conf": "[ec]\n",
		}, "[ec]\n[da]\n[db]", ""},
		// config_text_file_load: the current section and block comments carry
		// over from one glob match to the next.
		{"glob files continue", map[string]string{
			"main.conf": "#include d/*.conf\n",
			"d/a.conf":  "[x]\na=1 ;-- open\n", "d/b.conf": "still=comment\n--;\nk=1\n",
		}, "[x] a=1|k=1", ""},
		// A missing #include is fatal.
		{"missing include", map[string]string{"main.conf": "[a]\n#include nope.conf\n"},
			`main.conf:2: #include file "nope.conf" not found`, ""},
		{"glob without match", map[string]string{"main.conf": "[a]\n#include d/*.conf\n"},
			`main.conf:2: #include file "d/*.conf" not found`, ""},
		// A missing #tryinclude is silently ignored.
		{"missing tryinclude", map[string]string{"main.conf": "[a]\n#tryinclude nope.conf\n#tryinclude d/*.conf\nx=1\n"},
			"[a] x=1", ""},
		// process_text_line: an invalid included file (CONFIG_STATUS_FILEINVALID is a
		// non-NULL pointer) stops only that file; the includer continues.
		{"fatal inside include", map[string]string{
			"main.conf": "[a]\n#include inc.conf\nafter=1\n",
			"inc.conf":  "x=1\n#include missing.conf\ny=2\n",
		}, "[a] x=1|after=1", `inc.conf:2: #include file "missing.conf" not found; Asterisk ignores the rest of this included file`},
		{"syntax error inside include", map[string]string{
			"main.conf": "[a]\n#include inc.conf\nafter=1\n",
			"inc.conf":  "x=1\n[broken\ny=2\n",
		}, "[a] x=1|after=1", "inc.conf:2: missing ']' in section header"},
		// An included file starts in the current section; afterwards the
		// includer continues in the section that was current before the #include.
		{"section continuation", map[string]string{
			"main.conf": "[a]\nx=1\n#include inc.conf\ny=2\n",
			"inc.conf":  "k=1\n[b]\nz=1\n",
		}, "[a] x=1|k=1|y=2\n[b] z=1", ""},
		// An include starts in the most recently created section, even
		// one an earlier include created.
		{"later include starts in newest section", map[string]string{
			"main.conf": "[a]\n#include inc1.conf\n#include inc2.conf\ny=2\n",
			"inc1.conf": "[b]\n", "inc2.conf": "k=1\n",
		}, "[a] y=2\n[b] k=1", ""},
		// ast_config_set_current_category: a (+) in an include makes the reopened
		// section current for the next include.
		{"reopened section is current", map[string]string{
			"main.conf": "[a]\n[b]\n#include p.conf\n#include q.conf\n",
			"p.conf":    "[a](+)\n", "q.conf": "k=1\n",
		}, "[a] k=1\n[b]", ""},
		// process_text_line: the includer's own section is still none after an
		// include that created one.
		{"include before any section", map[string]string{
			"main.conf": "#include inc.conf\nx=1\n", "inc.conf": "[b]\n",
		}, "main.conf:2: no section before this line", ""},
		// Including the same file twice is allowed, with a warning.
		{"same file twice", map[string]string{
			"main.conf": "[a]\n#include inc.conf\n#include inc.conf\n", "inc.conf": "k=1\n",
		}, "[a] k=1|k=1", `main.conf:3: #include "inc.conf" includes the same file again`},
		// Directive words are case-insensitive; "..." and <...> are removed.
		{"case and quotes", map[string]string{
			"main.conf": "[a]\n#INCLUDE \"i1.conf\"\n#TryInclude <i2.conf>\n#include\ti3.conf\n",
			"i1.conf":   "a=1\n", "i2.conf": "b=2\n", "i3.conf": "c=3\n",
		}, "[a] a=1|b=2|c=3", ""},
		// process_text_line: the directive word ends at the first byte below 33
		// as a signed char, so also at a byte >= 0x80, which is dropped.
		{"word ends at high byte", map[string]string{"main.conf": "[a]\n#include\xa0i1.conf\n", "i1.conf": "a=1\n"},
			"[a] a=1", ""},
		{"mismatched quotes kept", map[string]string{"main.conf": "[a]\n#include \"i1.conf>\n", "i1.conf": "a=1\n"},
			`main.conf:2: #include file "\"i1.conf>" not found`, ""},
		// Unknown directives and missing arguments are warnings.
		{"unknown directive", map[string]string{"main.conf": "[a]\n#define X\nx=1\n"},
			"[a] x=1", `main.conf:2: unknown directive "#define"; line ignored`},
		{"bare hash", map[string]string{"main.conf": "[a]\n#\n"}, "[a]", `main.conf:2: unknown directive "#"`},
		{"no argument", map[string]string{"main.conf": "[a]\n#include   \n"}, "[a]", "main.conf:2: #include needs a file name"},
		{"no argument after quotes", map[string]string{"main.conf": "[a]\n#include \"\"\n"},
			`main.conf:2: #include file "" not found`, "main.conf"},
		// config_text_file_load: a non-regular match is ignored with a warning.
		{"directory", map[string]string{"main.conf": "[a]\n#tryinclude d\n", "d/x.conf": ""},
			"[a]", "d: not a regular file; ignored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load("main.conf", Options{Dir: writeTree(t, tt.files)})
			got := ""
			if err != nil {
				got = err.Error()
			} else {
				got = dump(c)
			}
			if got != tt.want && !(err != nil && strings.HasPrefix(got, tt.want)) {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if tt.warning != "" && err == nil && !hasWarning(c, tt.warning) {
				t.Errorf("missing warning %q in %q", tt.warning, warningTexts(c))
			}
		})
	}
}

// chain returns files main.conf → i1.conf → ... → iN.conf, each declaring
// its own section.
func chain(n int, directive string) map[string]string {
	files := map[string]string{"main.conf": "[s0]\n" + directive + " i1.conf\n"}
	for i := 1; i <= n; i++ {
		text := fmt.Sprintf("[s%d]\n", i)
		if i < n {
			text += fmt.Sprintf("%s i%d.conf\n", directive, i+1)
		}
		files[fmt.Sprintf("i%d.conf", i)] = text
	}
	return files
}

// TestIncludeDepth: MAX_INCLUDE_LEVEL allows the main file plus 10 nested
// includes (ast_config_internal_load).
func TestIncludeDepth(t *testing.T) {
	c, err := Load("main.conf", Options{Dir: writeTree(t, chain(10, "#include"))})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sections) != 11 || len(c.Warnings) != 0 {
		t.Fatalf("10 levels: %q, warnings %q", dump(c), warningTexts(c))
	}
	// An 11th level is refused: fatal for #include in i10.conf, which Asterisk
	// then abandons while the files above it go on.
	c, err = Load("main.conf", Options{Dir: writeTree(t, chain(11, "#include"))})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sections) != 11 || !hasWarning(c, "i10.conf:2: #include \"i11.conf\": includes nested more than 10 levels deep") {
		t.Fatalf("11 levels: %q, warnings %q", dump(c), warningTexts(c))
	}
	// #tryinclude only warns.
	c, err = Load("main.conf", Options{Dir: writeTree(t, chain(11, "#tryinclude"))})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sections) != 11 || !hasWarning(c, "i10.conf:2: #tryinclude \"i11.conf\" ignored") {
		t.Fatalf("11 levels of tryinclude: %q, warnings %q", dump(c), warningTexts(c))
	}
}

// TestIncludeLevelLeak: ast_config_internal_load does not lower the include
// level after an invalid file, so after one failed include a chain of 10
// levels no longer fits.
func TestIncludeLevelLeak(t *testing.T) {
	files := chain(10, "#tryinclude")
	files["main.conf"] = "[s0]\n#include bad.conf\n#tryinclude i1.conf\n"
	files["bad.conf"] = "[broken\n"
	c, err := Load("main.conf", Options{Dir: writeTree(t, files)})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sections) != 10 || !hasWarning(c, "i9.conf:2: #tryinclude \"i10.conf\" ignored") {
		t.Fatalf("got %q, warnings %q", dump(c), warningTexts(c))
	}
}

// TestSelfInclude: a file including itself recurses until the depth limit,
// as in Asterisk, and the deepest copy stops at the refused #include.
func TestSelfInclude(t *testing.T) {
	c, err := loadText(t, "[s]\n#include main.conf\nx=1\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("[s] x=1\n", 10) + "[s]"
	if got := dump(c); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if len(c.Files) != 1 {
		t.Errorf("Files = %q", c.Files)
	}
}

// TestFilesAndPatterns checks Config.Files and Config.Patterns: absolute,
// in order, once each; patterns include globs and missing #tryinclude names.
func TestFilesAndPatterns(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.conf": "[a]\n#include d/*.conf\n#tryinclude missing.conf\n#include inc.conf\n#include inc.conf\n",
		"d/1.conf":  "", "d/2.conf": "", "inc.conf": "",
	})
	c, err := Load("main.conf", Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{dir + "/main.conf", dir + "/d/1.conf", dir + "/d/2.conf", dir + "/inc.conf"}
	if !reflect.DeepEqual(c.Files, wantFiles) {
		t.Errorf("Files = %q, want %q", c.Files, wantFiles)
	}
	wantPatterns := []string{dir + "/d/*.conf", dir + "/missing.conf", dir + "/inc.conf"}
	if !reflect.DeepEqual(c.Patterns, wantPatterns) {
		t.Errorf("Patterns = %q, want %q", c.Patterns, wantPatterns)
	}
}

// TestLoadMain covers the main file: missing, empty, absolute, a glob, and
// a relative Dir.
func TestLoadMain(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.conf": "[a]\n", "b.conf": "x=1\n", "empty.conf": ""})
	// If nothing was read the result is "missing".
	_, err := Load("nope.conf", Options{Dir: dir})
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != "nope.conf: file not found" {
		t.Errorf("missing: %v", err)
	}
	_, err = Load("*.nope", Options{Dir: dir})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("glob without match: %v", err)
	}
	// An empty file was read: not missing.
	c, err := Load("empty.conf", Options{Dir: dir})
	if err != nil || len(c.Sections) != 0 || len(c.Files) != 1 {
		t.Errorf("empty: %v %v", c, err)
	}
	c, err = Load(dir+"/a.conf", Options{Dir: "/nonexistent"})
	if err != nil || dump(c) != "[a]" || c.Sections[0].File != dir+"/a.conf" {
		t.Errorf("absolute: %v %v", c, err)
	}
	// Several matches are read in order and continue in the same section.
	c, err = Load("[ab].conf", Options{Dir: dir})
	if err != nil || dump(c) != "[a] x=1" {
		t.Errorf("glob: %v %v", dump(c), err)
	}
	// A directory is not a regular file: ignored, so missing.
	if _, err := Load(".", Options{Dir: dir}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("directory: %v", err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, dir)
	if err != nil {
		t.Skip(err)
	}
	c, err = Load("a.conf", Options{Dir: rel})
	if err != nil || c.Files[0] != dir+"/a.conf" || c.Sections[0].File != "a.conf" {
		t.Errorf("relative Dir: %v %v", c, err)
	}
}

// TestDisplayName checks the display names of files inside and outside Dir.
func TestDisplayName(t *testing.T) {
	l, err := newLoader(Options{Dir: "/etc/asterisk/"}, osFileSystem{}, defaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"/etc/asterisk/users.conf":         "users.conf",
		"/etc/asterisk//users.d/./a.conf":  "users.d/a.conf",
		"/etc/asterisk":                    "/etc/asterisk",
		"/etc/asterisk-old/users.conf":     "/etc/asterisk-old/users.conf",
		"/var/lib/asterisk/../x/y.conf":    "/var/lib/x/y.conf",
		"/etc/asterisk/" + "sub/../t.conf": "t.conf",
	} {
		if got := l.displayName(in); got != want {
			t.Errorf("displayName(%q) = %q, want %q", in, got, want)
		}
	}
	root, _ := newLoader(Options{Dir: "/"}, osFileSystem{}, defaultLimits())
	if got := root.displayName("/a/b.conf"); got != "a/b.conf" {
		t.Errorf("under /: %q", got)
	}
}

// TestResolve: relative names join the config dir with a '/', and paths are
// cut to Asterisk's 255-byte buffer (config_text_file_load).
func TestResolve(t *testing.T) {
	l, err := newLoader(Options{Dir: "/etc/asterisk"}, osFileSystem{}, defaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if got := l.resolve("users.conf"); got != "/etc/asterisk/users.conf" {
		t.Errorf("relative: %q", got)
	}
	if got := l.resolve("/abs/x.conf"); got != "/abs/x.conf" {
		t.Errorf("absolute: %q", got)
	}
	if got := l.resolve(""); got != "/etc/asterisk/" {
		t.Errorf("empty: %q", got)
	}
	long := strings.Repeat("a", 300)
	if got := l.resolve(long); len(got) != 255 || !strings.HasPrefix(got, "/etc/asterisk/aaa") {
		t.Errorf("long: %d bytes", len(got))
	}
}

// TestIncludeFatalFlagged checks that a fatal error inside an included file,
// which Asterisk shrugs off, is flagged so a reload can refuse it.
func TestIncludeFatalFlagged(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.conf": "[a]\n#include inc.conf\nafter=1\n",
		"inc.conf":  "x=1\n[broken\n",
	})
	c, err := Load("main.conf", Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var fatal []Diagnostic
	for _, w := range c.Warnings {
		if w.Fatal {
			fatal = append(fatal, w)
		}
	}
	if len(fatal) != 1 || fatal[0].File != "inc.conf" || fatal[0].Line != 2 {
		t.Fatalf("fatal diagnostics %+v", fatal)
	}
	clean, err := Load("inc.conf", Options{Dir: writeTree(t, map[string]string{"inc.conf": "[s]\nx=1\n;-- open\n"})})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range clean.Warnings {
		if w.Fatal {
			t.Errorf("ordinary warning flagged fatal: %v", w)
		}
	}
}

// TestSums checks that every file read has the sum of what was read.
func TestSums(t *testing.T) {
	files := map[string]string{"main.conf": "[a]\n#include inc.conf\n", "inc.conf": "x=1\n"}
	dir := writeTree(t, files)
	c, err := Load("main.conf", Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Files) != 2 || len(c.Sums) != 2 {
		t.Fatalf("files %q, sums %d", c.Files, len(c.Sums))
	}
	for _, p := range c.Files {
		if c.Sums[p] != sha256.Sum256([]byte(files[filepath.Base(p)])) {
			t.Errorf("sum of %s is not the sum of its content", p)
		}
	}
}
