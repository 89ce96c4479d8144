package phoneprov

import (
	"testing"
)

// BenchmarkPluginFile measures what a plugin file costs on a render-cache
// miss: the raw config from the phone's variables, the plugin's
// configure() and the Jinja2 render (the T54W: 4 lines, 6 function keys,
// 208 keys laid out; the D70: 3 lines), and, during a reload, taking the
// previous body when nothing changed (the raw config, configure() and the
// key's digest, no render).
func BenchmarkPluginFile(b *testing.B) {
	snap, err := Load(pluginSite(b, nil))
	if err != nil {
		b.Fatal(err)
	}
	for _, uri := range []string{"805ec0000054.cfg", "Digium/000fd3aabb02.cfg"} {
		r := snap.Route(uri)
		at := snap.reached(r.Phone, Reached{Server: "192.0.2.1"})
		b.Run("render/"+uri, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := snap.plugins.renderFile(r.plugin.plugin, r.plugin.pp.dev, r.Phone, uri, at, 1, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		prev, _, err := snap.plugins.renderFile(r.plugin.plugin, r.plugin.pp.dev, r.Phone, uri, at, 1, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("reuse/"+uri, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if body, _, err := snap.plugins.renderFile(r.plugin.plugin, r.plugin.pp.dev, r.Phone, uri, at, 2, prev); err != nil || body.Flat() == nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("cached/"+uri, func(b *testing.B) {
			b.ReportAllocs()
			snap.Render(r, "192.0.2.1")
			for b.Loop() {
				if _, err := snap.Render(r, "192.0.2.1"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
