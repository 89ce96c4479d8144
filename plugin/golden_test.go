package plugin_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/family/provd"
	"github.com/phoneprovd/phoneprovd/plugin"
	"github.com/phoneprovd/phoneprovd/plugin/plugintest"
)

// sharedProvd is ../shared/provd from this package.
const sharedProvd = "../../shared/provd"

// goldenCase is one case of ../shared/provd/golden: a device, its raw
// config, and the files real wazo-provd served.
type goldenCase struct {
	name, device, config, files string
}

var goldenCases = []goldenCase{
	{"digium-d40-1line", "digium-d40-1line/device.json", "digium-d40-1line/raw_config.json", "digium-d40-1line/files"},
	{"digium-d70-3lines-funckeys", "digium-d70-3lines-funckeys/device.json", "digium-d70-3lines-funckeys/raw_config.json", "digium-d70-3lines-funckeys/files"},
	{"yealink-t46s-1line", "yealink-t46s-1line/device.json", "yealink-t46s-1line/raw_config.json", "yealink-t46s-1line/files"},
	{"yealink-t46s-1line/update", "yealink-t46s-1line/device.json", "yealink-t46s-1line/update/raw_config.json", "yealink-t46s-1line/update/files"},
	{"special/B2-autocreate-digium", "special/B2-autocreate-digium/device.json", "special/B2-autocreate-digium/autocreated-config/raw_config.json", "special/B2-autocreate-digium"},
}

// goldenFiles returns the served files of a golden directory: every file
// but the .headers/.request/.response/.sha256 captures.
func goldenFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || strings.HasSuffix(n, ".headers") || strings.HasSuffix(n, ".request") ||
			strings.HasSuffix(n, ".response") || strings.HasSuffix(n, ".sha256") || strings.HasSuffix(n, ".json") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		out[n] = data
	}
	return out
}

// readGoldenDevice reads a golden device.json.
func readGoldenDevice(t *testing.T, path string) provd.Device {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := provd.DecodeDevice(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return dev
}

// forEngines runs f with phoneprovd's Jinja2 engine and with Python's
// Jinja2 (the oracle: a failure under CI=true without it, a skip
// elsewhere). Python's run checks the Go stand-in for the plugins' Python
// independently of phoneprovd's engine.
func forEngines(t *testing.T, f func(t *testing.T, eng plugin.Engine)) {
	t.Run("go", func(t *testing.T) { f(t, plugin.JinjaEngine{}) })
	t.Run("python", func(t *testing.T) { f(t, plugintest.NewPyEngine(t)) })
}

// TestGolden: the family's XX_ values and file names, rendered by each
// engine, reproduce every golden file byte for byte.
func TestGolden(t *testing.T) { forEngines(t, testGolden) }

func testGolden(t *testing.T, eng plugin.Engine) {
	opts := plugin.Options{Engine: eng, Provd: provd.Options{Now: func() time.Time { return time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC) }}}
	for _, gc := range goldenCases {
		t.Run(gc.name, func(t *testing.T) {
			golden := filepath.Join(sharedProvd, "golden")
			dev := readGoldenDevice(t, filepath.Join(golden, gc.device))
			p, err := plugin.Load(filepath.Join(sharedProvd, "plugins", dev.Plugin), opts)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(golden, gc.config))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := provd.DecodeRawConfig(data)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Configure(dev, raw)
			if err != nil {
				t.Fatal(err)
			}
			want := goldenFiles(t, filepath.Join(golden, gc.files))
			if len(want) == 0 {
				t.Fatal("no golden file")
			}
			var names []string
			for n := range got {
				names = append(names, n)
			}
			sort.Strings(names)
			if len(got) != len(want) {
				t.Errorf("wrote %v, golden has %d files", names, len(want))
			}
			for name, body := range got {
				w, ok := want[filepath.Base(name)]
				if !ok {
					t.Errorf("%s: not in the golden files", name)
					continue
				}
				if !bytes.Equal(body, w) {
					t.Errorf("%s differs from the golden file:\n%s", name, firstDiff(body, w))
				}
			}
		})
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, gl, wl)
		}
	}
	return "(same lines, different bytes)"
}
