package plugin_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/family/provd"
	"github.com/phoneprovd/phoneprovd/plugin"
	"github.com/phoneprovd/phoneprovd/plugin/plugincases"
)

// TestUnseenCases renders cases no golden run covers — more lines,
// function keys of every type, time zones of both hemispheres and without
// DST, per-device templates — with the Go values and Python's Jinja2,
// and checks the lines derived by hand from the plugins' Python.
func TestUnseenCases(t *testing.T) { forEngines(t, testUnseenCases) }

func testUnseenCases(t *testing.T, eng plugin.Engine) {
	opts := plugin.Options{Engine: eng, Provd: provd.Options{
		Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) },
		TZ:  provd.TZDB{Sources: []string{"/usr/share/zoneinfo"}},
	}}
	for _, tc := range plugincases.UnseenCases {
		t.Run(tc.Name, func(t *testing.T) {
			dir := filepath.Join(sharedProvd, "plugins", tc.Plugin)
			if tc.Custom != nil {
				dir = filepath.Join(t.TempDir(), tc.Plugin)
				if err := os.CopyFS(dir, os.DirFS(filepath.Join(sharedProvd, "plugins", tc.Plugin))); err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(filepath.Join(dir, "var/templates"), 0o755); err != nil {
					t.Fatal(err)
				}
				for name, body := range tc.Custom {
					if err := os.WriteFile(filepath.Join(dir, "var/templates", name), []byte(body), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			p, err := plugin.Load(dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			dev, err := provd.DecodeDevice([]byte(tc.Device))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := provd.DecodeRawConfig([]byte(tc.Config))
			if err != nil {
				t.Fatal(err)
			}
			files, err := p.Configure(dev, raw)
			if err != nil {
				t.Fatal(err)
			}
			unseenRendered.Store(tc.Name+"\x00"+engineName(eng), files)
			find := func(key string) string {
				if b, ok := files[key]; ok {
					return string(b)
				}
				if mac, err := provd.NormMAC(key); err == nil {
					return string(files[provd.FormatMAC(mac, "", false)+".cfg"])
				}
				t.Fatalf("no file %s in %d files", key, len(files))
				return ""
			}
			for key, lines := range tc.Want {
				body := find(key)
				for _, l := range lines {
					if l == "gui_lang.url" {
						continue // listed for the reader; checked by absent
					}
					if !strings.Contains(body, l) {
						t.Errorf("%s lacks %q", key, l)
					}
				}
			}
			for key, lines := range tc.Absent {
				body := find(key)
				for _, l := range lines {
					if strings.Contains(body, l) {
						t.Errorf("%s has %q", key, l)
					}
				}
			}
		})
	}
}

// unseenRendered keeps, by case and engine, the files each engine rendered
// for TestUnseenByteForByte.
var unseenRendered sync.Map

func engineName(eng plugin.Engine) string {
	if _, ok := eng.(plugin.JinjaEngine); ok {
		return "go"
	}
	return "python"
}

// TestUnseenByteForByte: for every unseen case, phoneprovd's engine
// renders exactly the bytes Python's Jinja2 renders from the same values.
func TestUnseenByteForByte(t *testing.T) {
	if !t.Run("render", TestUnseenCases) {
		t.Fatal("rendering failed")
	}
	for _, tc := range plugincases.UnseenCases {
		g, okG := unseenRendered.Load(tc.Name + "\x00go")
		p, okP := unseenRendered.Load(tc.Name + "\x00python")
		if !okG || !okP {
			t.Fatalf("%s: not rendered by both engines", tc.Name)
		}
		gf, pf := g.(map[string][]byte), p.(map[string][]byte)
		if len(gf) != len(pf) || len(gf) == 0 {
			t.Errorf("%s: %d files in Go, %d in Python", tc.Name, len(gf), len(pf))
		}
		for name, want := range pf {
			if got := gf[name]; !bytes.Equal(got, want) {
				t.Errorf("%s: %s differs from Python's:\n%s", tc.Name, name, firstDiff(got, want))
			}
		}
	}
}
