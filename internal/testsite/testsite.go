// Package testsite writes the files of throwaway Asterisk sites for tests:
// a configuration directory etc/ and a data directory lib/ under a
// temporary root removed when the test ends. phoneprov/phoneprovtest
// builds its sites on it; the engine's own tests (package phoneprov),
// which cannot import phoneprovtest, use it directly.
package testsite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Now is the clock sites are loaded with: 22 Nov 2026 07:17:42 UTC,
// between the end of daylight saving time in the USA (1 Nov) and its start
// (14 Mar 2027), so the DST_* variables a site renders never change with
// the day the tests run.
var Now = time.Date(2026, 11, 22, 7, 17, 42, 0, time.UTC)

// Dir is a site's directories. Files are named by their path under Root:
// "etc/…" is the configuration directory (phoneprov.conf, users.conf,
// pjsip.conf), "lib/…" the data directory, whose templates and static
// files live in "lib/phoneprov/…".
type Dir struct {
	Root      string
	ConfigDir string // Root/etc
	DataDir   string // Root/lib

	t testing.TB
}

// New makes the directories and writes files (path under the root →
// content) into them.
func New(t testing.TB, files map[string]string) *Dir {
	t.Helper()
	root := t.TempDir()
	d := &Dir{Root: root, ConfigDir: filepath.Join(root, "etc"), DataDir: filepath.Join(root, "lib"), t: t}
	for _, dir := range []string{d.ConfigDir, filepath.Join(d.DataDir, "phoneprov")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, text := range files {
		d.Write(name, text)
	}
	return d
}

// Path returns the absolute path of name, a path under the root.
func (d *Dir) Path(name string) string {
	return filepath.Join(d.Root, filepath.FromSlash(name))
}

// Write writes (or replaces) the file name, a path under the root,
// creating its directories.
func (d *Dir) Write(name, text string) {
	d.t.Helper()
	p := d.Path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		d.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		d.t.Fatal(err)
	}
}

// Edit replaces the first old in the file name with new, failing the test
// when the file holds no old.
func (d *Dir) Edit(name, old, new string) {
	d.t.Helper()
	b, err := os.ReadFile(d.Path(name))
	if err != nil {
		d.t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		d.t.Fatalf("%s has no %q", name, old)
	}
	d.Write(name, strings.Replace(string(b), old, new, 1))
}

// Dedent removes a leading newline and one leading tab from every line,
// so that a test can write a file as an indented raw string.
func Dedent(text string) string {
	lines := strings.Split(strings.TrimPrefix(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "\t")
	}
	return strings.Join(lines, "\n")
}
