package phoneprov

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// BenchmarkSubstituteStock measures what a render-cache miss costs: the
// stock 000000000000.cfg (STAT, $[ ], IF) and polycom.xml (5 KB, a
// PP_EACH_EXTENSION, ~60 variables) substituted for a golden phone.
func BenchmarkSubstituteStock(b *testing.B) {
	golden := "../../shared/asterisk/golden/configs"
	abs, _ := filepath.Abs(filepath.Join(golden, "phoneprov-templates"))
	data := b.TempDir()
	if err := os.Symlink(abs, filepath.Join(data, "phoneprov")); err != nil {
		b.Fatal(err)
	}
	snap, err := Load(Options{ConfigDir: filepath.Join(golden, "etc-asterisk"), DataDir: data, LocalZone: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, uri string }{
		{"000000000000.cfg", "0004f2a1b2c3.cfg"},
		{"polycom.xml", "config/0004f2a1b2c3"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r := snap.Route(tc.uri)
			text, err := snap.texts.get(r.File.Template)
			if err != nil {
				b.Fatal(err)
			}
			scope := lineScope{vars: r.Phone.Lines[0].Vars, phone: r.Phone, req: &request{phone: r.Phone}}
			opts := subst.Options{InhibitEscalations: true}
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				if res := snap.engine.Substitute(text, scope, opts); res.Err != nil || len(res.Text) == 0 {
					b.Fatal(res.Err)
				}
			}
		})
	}
}
