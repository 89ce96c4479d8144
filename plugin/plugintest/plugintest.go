// Package plugintest renders Wazo plugin templates with Python's Jinja2
// (python3 and python3-jinja2), the oracle phoneprovd's tests compare
// with. It is for tests only: phoneprovd runs no Python.
package plugintest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family/provd"
	"github.com/phoneprovd/phoneprovd/internal/testtool"
	"github.com/phoneprovd/phoneprovd/plugin"
)

//go:embed jinja2_render.py
var renderScript string

// PyEngine is a plugin.Engine that renders with Python's Jinja2, set up as
// wazo-provd sets it up.
type PyEngine struct{ t testing.TB }

type pyTemplates struct {
	t    testing.TB
	dirs []string
}

// NewPyEngine returns a PyEngine; without python3 and jinja2 the test
// fails under CI=true and is skipped elsewhere.
func NewPyEngine(t testing.TB) PyEngine {
	t.Helper()
	testtool.NeedPython(t, "jinja2")
	return PyEngine{t}
}

// Load checks the syntax of every template of dirs.
func (e PyEngine) Load(dirs []string) (plugin.Templates, error) {
	req, _ := json.Marshal(map[string]any{"dirs": dirs, "check": true})
	out, err := runPy(req)
	if err != nil {
		return nil, fmt.Errorf("%s", strings.TrimSpace(string(out)))
	}
	return pyTemplates{e.t, dirs}, nil
}

// Has reports whether a template exists.
func (p pyTemplates) Has(name string) bool {
	for _, d := range p.dirs {
		if _, err := os.Stat(filepath.Join(d, name)); err == nil {
			return true
		}
	}
	return false
}

// Render renders a template with ctx.
func (p pyTemplates) Render(name string, ctx *provd.Dict) ([]byte, error) {
	req, err := json.Marshal(map[string]any{"dirs": p.dirs, "template": name, "context": encodePy(ctx)})
	if err != nil {
		return nil, err
	}
	out, err := runPy(req)
	if err != nil {
		return nil, fmt.Errorf("jinja2: %v: %s", err, out)
	}
	return out, nil
}

func runPy(req []byte) ([]byte, error) {
	cmd := exec.Command("python3", "-c", renderScript)
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return append(out, stderr.Bytes()...), err
	}
	return out, nil
}

// encodePy encodes a Dict value for jinja2_render.py: dicts as
// {"__dict__": [[key, value], ...]}, keeping int keys and order.
func encodePy(v any) any {
	switch v := v.(type) {
	case *provd.Dict:
		pairs := [][2]any{}
		for _, k := range v.Keys() {
			x, _ := v.Get(k)
			pairs = append(pairs, [2]any{k, encodePy(x)})
		}
		return map[string]any{"__dict__": pairs}
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = encodePy(x)
		}
		return out
	}
	return v
}
