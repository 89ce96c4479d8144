package config

import (
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// writeTree creates files (path → content) under a new temporary directory
// and returns the directory.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// loadText writes text as main.conf (plus extra files) and loads it.
func loadText(t testing.TB, text string, extra map[string]string) (*Config, error) {
	t.Helper()
	files := map[string]string{"main.conf": text}
	for k, v := range extra {
		files[k] = v
	}
	return Load("main.conf", Options{Dir: writeTree(t, files)})
}

// dump renders sections compactly: one line per section,
// "[name]!" for templates, then "name=value" or "name=>value" per variable,
// separated by '|', with a trailing '^' on inherited variables.
func dump(c *Config) string {
	var b strings.Builder
	for i, s := range c.Sections {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("[" + s.Name + "]")
		if s.Template {
			b.WriteByte('!')
		}
		for j, v := range s.Vars {
			if j == 0 {
				b.WriteByte(' ')
			} else {
				b.WriteByte('|')
			}
			op := "="
			if v.Object {
				op = "=>"
			}
			b.WriteString(v.Name + op + v.Value)
			if v.Inherited {
				b.WriteByte('^')
			}
		}
	}
	return b.String()
}

// warningTexts returns the warnings as "file:line: msg" strings.
func warningTexts(c *Config) []string {
	var out []string
	for _, w := range c.Warnings {
		out = append(out, w.String())
	}
	return out
}

// hasWarning reports whether some warning contains all the given parts.
func hasWarning(c *Config, parts ...string) bool {
	for _, w := range c.Warnings {
		s := w.String()
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(s, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// memFS serves a fstest.MapFS as an absolute-path fileSystem, so that
// fuzzing and limit tests never touch the real disk.
type memFS struct{ m fstest.MapFS }

func (f memFS) rel(name string) string {
	p := strings.TrimPrefix(path.Clean("/"+name), "/")
	if p == "" {
		return "."
	}
	return p
}

func (f memFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(f.m, f.rel(name)) }
func (f memFS) Lstat(name string) (fs.FileInfo, error)     { return fs.Stat(f.m, f.rel(name)) }
func (f memFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(f.m, f.rel(name)) }
func (f memFS) Open(name string) (io.ReadCloser, error)    { return f.m.Open(f.rel(name)) }

// loadMem loads main.conf from an in-memory tree rooted at /etc/asterisk.
func loadMem(files map[string]string, lim limits) (*Config, error) {
	m := fstest.MapFS{}
	for name, content := range files {
		m["etc/asterisk/"+name] = &fstest.MapFile{Data: []byte(content), Mode: 0o644}
	}
	l, err := newLoader(Options{Dir: "/etc/asterisk"}, memFS{m}, lim)
	if err != nil {
		return nil, err
	}
	return l.load("main.conf")
}
