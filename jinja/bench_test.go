package jinja

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkRenderT46S renders the Yealink T46S template (base.tpl with
// 16 accounts) with the golden raw config and the plugin's XX_ values.
func BenchmarkRenderT46S(b *testing.B) {
	plugin := filepath.Join(pluginsDir, "wazo-yealink-v86")
	env := New(DirLoader(filepath.Join(plugin, "var", "templates"), filepath.Join(plugin, "templates")), Options{})
	tpl, err := env.Template("T46S.tpl")
	if err != nil {
		b.Fatal(err)
	}
	vars := yealinkContexts(b)["t46s-golden"]
	out, err := tpl.RenderDict(context.Background(), vars)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.RenderDict(context.Background(), vars); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseT46S measures loading and parsing base.tpl and T46S.tpl.
func BenchmarkParseT46S(b *testing.B) {
	plugin := filepath.Join(pluginsDir, "wazo-yealink-v86")
	l := DirLoader(filepath.Join(plugin, "var", "templates"), filepath.Join(plugin, "templates"))
	b.ReportAllocs()
	for b.Loop() {
		env := New(l, Options{})
		if _, err := env.Template("base.tpl"); err != nil {
			b.Fatal(err)
		}
	}
}
