package jinja

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDirLoader checks provd's search order (var/templates overrides
// templates) and the refusal of names that leave the directories.
func TestDirLoader(t *testing.T) {
	root := t.TempDir()
	override := filepath.Join(root, "var", "templates")
	stock := filepath.Join(root, "templates")
	outside := filepath.Join(root, "secret.txt")
	writeFile(t, filepath.Join(stock, "base.tpl"), "stock base")
	writeFile(t, filepath.Join(stock, "T46S.tpl"), "{% extends 'base.tpl' %}")
	writeFile(t, filepath.Join(override, "base.tpl"), "custom base")
	writeFile(t, filepath.Join(stock, "sub", "inc.tpl"), "in sub")
	writeFile(t, outside, "password")
	if err := os.Symlink(outside, filepath.Join(stock, "leak.tpl")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(stock, "sub", "inc.tpl"), filepath.Join(stock, "alias.tpl")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(override, "T46S.tpl"), 0o755); err != nil {
		t.Fatal(err)
	}
	l := DirLoader(override, stock)
	cases := []struct {
		name, src, file string
		notFound        bool
		fails           bool
	}{
		{name: "base.tpl", src: "custom base", file: filepath.Join(override, "base.tpl")},
		{name: "T46S.tpl", src: "{% extends 'base.tpl' %}", file: filepath.Join(stock, "T46S.tpl")}, // a directory in var/templates is skipped
		{name: "sub/inc.tpl", src: "in sub", file: filepath.Join(stock, "sub", "inc.tpl")},
		{name: "./sub//inc.tpl", src: "in sub", file: filepath.Join(stock, "sub", "inc.tpl")},
		{name: "alias.tpl", src: "in sub", file: filepath.Join(stock, "alias.tpl")},
		{name: "nope.tpl", notFound: true},
		{name: "/etc/passwd", notFound: true},
		{name: "../secret.txt", notFound: true},
		{name: "sub/../../secret.txt", notFound: true},
		{name: "", notFound: true},
		{name: "leak.tpl", fails: true},
	}
	for _, c := range cases {
		src, file, err := l.Load(c.name)
		switch {
		case c.notFound:
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Load(%q) err = %v, want not found", c.name, err)
			}
		case c.fails:
			if err == nil || errors.Is(err, fs.ErrNotExist) || strings.Contains(src, "password") {
				t.Errorf("Load(%q) = %q, %v; want an error", c.name, src, err)
			}
		case err != nil:
			t.Errorf("Load(%q): %v", c.name, err)
		case src != c.src || file != c.file:
			t.Errorf("Load(%q) = %q, %q; want %q, %q", c.name, src, file, c.src, c.file)
		}
	}

	env := New(l, Options{})
	tpl, err := env.Template("T46S.tpl")
	if err != nil {
		t.Fatal(err)
	}
	out, err := tpl.Render(context.Background(), nil)
	if err != nil || string(out) != "custom base" {
		t.Errorf("T46S.tpl = %q, %v; want the override of base.tpl", out, err)
	}
}

// TestTemplateCache checks that a template is parsed once and shared by
// concurrent renders.
func TestTemplateCache(t *testing.T) {
	loads := 0
	var mu sync.Mutex
	l := loaderFunc(func(name string) (string, string, error) {
		mu.Lock()
		loads++
		mu.Unlock()
		return "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", name, nil
	})
	env := New(l, Options{})
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tpl, err := env.Template("t.tpl")
			if err != nil {
				errs <- err
				return
			}
			d := NewDict()
			d.Set("b", i)
			d.Set("a", "x")
			out, err := tpl.Render(context.Background(), map[string]any{"d": d})
			if err != nil {
				errs <- err
				return
			}
			if want := "b=" + itoa(i) + ";a=x;"; string(out) != want {
				errs <- errors.New(string(out) + " != " + want)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if loads != 1 {
		t.Errorf("template loaded %d times, want once", loads)
	}
}

type loaderFunc func(string) (string, string, error)

func (f loaderFunc) Load(name string) (string, string, error) { return f(name) }

func itoa(i int) string { return toStr(int64(i)) }
