package jinja

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// diffCase is one snippet of a testdata/diff/cases/<family>.json file.
type diffCase struct {
	Name    string          `json:"name"`
	Src     string          `json:"src"`
	Context json.RawMessage `json:"context"`
}

// TestDiffCorpus renders the corpus under testdata/diff with Go and with
// Python's Jinja2 and compares the bytes: every *.tpl (files starting with
// "_" are partials) with its *.json context, and every snippet of
// cases/*.json. A snippet that makes Python raise must make Go fail with
// an error of the same exception class.
func TestDiffCorpus(t *testing.T) {
	py := requireOracle(t)
	const dir = "testdata/diff"
	var jobs []oracleJob
	tpls, err := filepath.Glob(filepath.Join(dir, "*.tpl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range tpls {
		name := filepath.Base(p)
		if strings.HasPrefix(name, "_") {
			continue
		}
		ctx := []byte("{}")
		if b, err := os.ReadFile(strings.TrimSuffix(p, ".tpl") + ".json"); err == nil {
			ctx = b
		}
		jobs = append(jobs, oracleJob{ID: name, Name: name, Context: ctx})
	}
	families, err := filepath.Glob(filepath.Join(dir, "cases", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range families {
		var f struct{ Cases []diffCase }
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, c := range f.Cases {
			ctx := c.Context
			if len(ctx) == 0 {
				ctx = []byte("{}")
			}
			src := c.Src
			jobs = append(jobs, oracleJob{ID: c.Name, Source: &src, Context: ctx})
		}
	}
	if len(jobs) < 500 {
		t.Fatalf("corpus has only %d cases", len(jobs))
	}
	want := runOracle(t, py, []string{dir}, jobs)
	env := New(DirLoader(dir), Options{})
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].ID < jobs[j].ID })
	for _, j := range jobs {
		got, err := renderJob(env, j)
		compareResult(t, j.ID, want[j.ID], got, err)
	}
}

// renderJob renders an oracle job with Go.
func renderJob(env *Env, j oracleJob) ([]byte, error) {
	v, err := DecodeJSON(j.Context)
	if err != nil {
		return nil, err
	}
	vars, _ := v.(*Dict)
	if vars == nil {
		vars = NewDict()
	}
	var tpl *Template
	if j.Source != nil {
		tpl, err = env.FromString(*j.Source, j.ID)
	} else {
		tpl, err = env.Template(j.Name)
	}
	if err != nil {
		return nil, err
	}
	return tpl.RenderDict(context.Background(), vars)
}
