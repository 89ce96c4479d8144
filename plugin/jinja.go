package plugin

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/family/provd"
	"github.com/phoneprovd/phoneprovd/jinja"
)

// JinjaEngine is the Engine phoneprovd renders plugin templates with: its
// own Jinja2 (package jinja), set up as provd sets Jinja2 up.
//
// Load reads every template of the search path once, into memory: the
// parsed set is immutable, whatever happens to the files afterwards, and
// reports what it read (Sources) so that a watcher can tell an edit.
type JinjaEngine struct {
	// Limits bound each render (output size, steps, nesting); the zero
	// value takes package jinja's defaults.
	Limits jinja.Options
}

// maxTemplates bounds the templates one plugin's search path may hold.
const maxTemplates = 4096

// Source is one template file as a template set read it.
type Source struct {
	Name string   // the template name, slash-separated ("base.tpl")
	Path string   // the file
	Sum  [32]byte // SHA-256 of what was read
}

// Sourced is implemented by template sets that can list the files they
// read; a plugin's dependencies include them.
type Sourced interface {
	Sources() []Source
}

// Load implements Engine: every template of dirs is read and parsed; the
// first directory holding a name wins.
func (e JinjaEngine) Load(dirs []string) (Templates, error) {
	ts := &jinjaTemplates{srcs: make(map[string]jinjaSource)}
	for _, dir := range dirs {
		if err := ts.readDir(dir); err != nil {
			return nil, err
		}
	}
	ts.env = jinja.New(ts, e.Limits)
	names := make([]string, 0, len(ts.srcs))
	for n := range ts.srcs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := ts.env.Template(n); err != nil {
			return nil, err
		}
	}
	return ts, nil
}

// jinjaTemplates is a plugin's template set, read once.
type jinjaTemplates struct {
	env  *jinja.Env
	srcs map[string]jinjaSource
}

type jinjaSource struct {
	text string
	Source
}

// readDir adds the templates under dir that an earlier directory did not
// provide. A missing dir has none.
func (ts *jinjaTemplates) readDir(dir string) error {
	root, err := filepath.EvalSymlinks(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		name := filepath.ToSlash(rel)
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() && path != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if _, seen := ts.srcs[name]; seen {
			return nil
		}
		if !d.Type().IsRegular() && !linkInside(root, path) {
			return nil // a link out of the directory is not followed
		}
		if len(ts.srcs) >= maxTemplates {
			return fmt.Errorf("%s: more than %d templates", dir, maxTemplates)
		}
		data, err := readLimited(path)
		if err != nil {
			return err
		}
		file := filepath.Join(dir, filepath.FromSlash(name))
		ts.srcs[name] = jinjaSource{text: string(data), Source: Source{Name: name, Path: file, Sum: sha256.Sum256(data)}}
		return nil
	})
}

// linkInside reports whether path is a symbolic link to a regular file
// inside root.
func linkInside(root, path string) bool {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	fi, err := os.Stat(target)
	return err == nil && fi.Mode().IsRegular()
}

// maxTemplateSize bounds one template file.
const maxTemplateSize = 4 << 20

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxTemplateSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxTemplateSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxTemplateSize)
	}
	return data, nil
}

// Load implements jinja.Loader from the sources read.
func (ts *jinjaTemplates) Load(name string) (string, string, error) {
	s, ok := ts.srcs[name]
	if !ok {
		return "", "", fmt.Errorf("template %q not found: %w", name, fs.ErrNotExist)
	}
	return s.text, s.Path, nil
}

// Has implements Templates.
func (ts *jinjaTemplates) Has(name string) bool {
	_, ok := ts.srcs[name]
	return ok
}

// Sources implements Sourced, sorted by name.
func (ts *jinjaTemplates) Sources() []Source {
	out := make([]Source, 0, len(ts.srcs))
	for _, s := range ts.srcs {
		out = append(out, s.Source)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Render implements Templates.
func (ts *jinjaTemplates) Render(name string, ctx *provd.Dict) ([]byte, error) {
	t, err := ts.env.Template(name)
	if err != nil {
		return nil, err
	}
	vars, err := jinjaDict(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t.RenderDict(context.Background(), vars)
}

// jinjaDict converts a provd Dict, keys and order kept: int keys stay
// ints, so that a template sorting Digium's XX_funckeys sorts them as
// numbers, as Python does.
func jinjaDict(d *provd.Dict, depth int) (*jinja.Dict, error) {
	out := jinja.NewDict()
	for _, k := range d.Keys() {
		v, _ := d.Get(k)
		cv, err := jinjaValue(v, depth+1)
		if err != nil {
			return nil, err
		}
		switch k := k.(type) {
		case string:
			out.Set(k, cv)
		default:
			if err := out.SetKey(k, cv); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// maxContextDepth bounds the nesting of a context.
const maxContextDepth = 64

func jinjaValue(v any, depth int) (any, error) {
	if depth > maxContextDepth {
		return nil, errors.New("context nested too deeply")
	}
	switch v := v.(type) {
	case *provd.Dict:
		return jinjaDict(v, depth)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			c, err := jinjaValue(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}
