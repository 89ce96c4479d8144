package jinja

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGoldenDigium renders the Digium files that a real wazo-provd served
// (../shared/provd/golden) from the same raw configs, with the XX_ values
// the Digium plugin computes, and expects the same bytes.
func TestGoldenDigium(t *testing.T) {
	plugin := filepath.Join(pluginsDir, "wazo-digium-1.4.0.0")
	env := New(DirLoader(filepath.Join(plugin, "var", "templates"), filepath.Join(plugin, "templates")), Options{})
	ctxs := digiumContexts(t)
	cases := []struct {
		golden, ctx, tpl, file string
	}{
		{"digium-d70-3lines-funckeys", "d70-golden", "D70.tpl", "000fd3aabb02.cfg"},
		{"digium-d70-3lines-funckeys", "d70-golden", "contact.tpl", "000fd3aabb02-contacts.xml"},
		{"digium-d40-1line", "d40-golden", "D40.tpl", "000fd3aabb01.cfg"},
		{"digium-d40-1line", "d40-golden", "contact.tpl", "000fd3aabb01-contacts.xml"},
	}
	for _, c := range cases {
		want, err := os.ReadFile(filepath.Join(goldenDir, c.golden, "files", c.file))
		if err != nil {
			t.Fatalf("golden file (../shared/provd beside the repository): %v", err)
		}
		tpl, err := env.Template(c.tpl)
		if err != nil {
			t.Fatal(err)
		}
		vars := intKeys(ctxs[c.ctx]).(*Dict)
		got, err := tpl.RenderDict(t0(), vars)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s/%s differs from what provd served:\n--- go\n%s\n--- provd\n%s", c.golden, c.file, got, want)
		}
	}
}
