package plugin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family/provd"
	"github.com/phoneprovd/phoneprovd/internal/testtool"
)

// pyEngine renders templates with Python's Jinja2 (the real thing, for
// the tests only): the oracle the Go computations are checked against.
type pyEngine struct{ t testing.TB }

type pyTemplates struct {
	t    testing.TB
	dirs []string
}

func newPyEngine(t testing.TB) pyEngine {
	testtool.NeedPython(t, "jinja2")
	return pyEngine{t}
}

func (e pyEngine) Load(dirs []string) (Templates, error) {
	req, _ := json.Marshal(map[string]any{"dirs": dirs, "check": true})
	out, err := runPy(req)
	if err != nil {
		return nil, fmt.Errorf("%s", strings.TrimSpace(string(out)))
	}
	return pyTemplates{e.t, dirs}, nil
}

func (p pyTemplates) Has(name string) bool {
	for _, d := range p.dirs {
		if _, err := os.Stat(filepath.Join(d, name)); err == nil {
			return true
		}
	}
	return false
}

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
	cmd := exec.Command("python3", "testdata/jinja2_render.py")
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
