package plugin_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family/provd"
	"github.com/phoneprovd/phoneprovd/plugin"
	"github.com/phoneprovd/phoneprovd/plugin/plugintest"
)

// TestLoadRealPlugins: the unmodified plugin-info and pkgs.db of both
// plugins load, with what they say.
func TestLoadRealPlugins(t *testing.T) {
	ps, errs := plugin.LoadDir(filepath.Join(sharedProvd, "plugins"), plugin.Options{Engine: plugintest.NewPyEngine(t)})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if len(ps) != 2 {
		t.Fatalf("%d plugins", len(ps))
	}
	dg, yl := ps[0], ps[1]
	if dg.Name != "wazo-digium-1.4.0.0" || dg.Family.Name != "digium" || dg.Info.Version != "1.1.4" || len(dg.Info.Capabilities) != 3 {
		t.Errorf("digium: %s %s %s %d", dg.Name, dg.Family.Name, dg.Info.Version, len(dg.Info.Capabilities))
	}
	if c := dg.Info.Capabilities[2]; c.Vendor != "Digium" || c.Model != "D70" || c.Version != "1.4.0.0" || c.Lines != 6 || c.FunctionKeys != 0 || !c.HighAvailability {
		t.Errorf("D70 capability %+v", c)
	}
	if len(dg.Packages) != 1 || dg.Packages[0].ID != "firmware" || dg.Packages[0].Install != "digium-fw" {
		t.Errorf("digium packages %+v", dg.Packages)
	}
	if yl.Family.Name != "yealink" || yl.Info.Version != "1.4.11" || len(yl.Packages) == 0 {
		t.Errorf("yealink: %s %s %d packages", yl.Family.Name, yl.Info.Version, len(yl.Packages))
	}
	if strings.Join(yl.Static, ",") != "directory_setting.xml" {
		t.Errorf("yealink static files %v", yl.Static)
	}
	models := map[string]string{}
	for _, c := range yl.Info.Models() {
		models[c.Model] = c.Version
	}
	// "T31(P)(G)(W)" names four models.
	for _, m := range []string{"T31", "T31P", "T31G", "T31W", "T46S"} {
		if models[m] == "" {
			t.Errorf("model %s missing from %v", m, models)
		}
	}
	// Every model plugin-info lists is one the Go data rates EXACT, but
	// where the plugin's own files disagree, as provd does: entry.py does
	// not list T54, T56A and T58V (it has T56, T57 and T58), and gives the
	// T58W 150.86.0.11 where plugin-info says 58.86.0.5.
	odd := map[string]provd.Support{"T54": provd.Probable, "T56A": provd.Probable, "T58V": provd.Probable, "T58W": provd.Complete}
	for m, v := range models {
		want, isOdd := odd[m]
		if !isOdd {
			want = provd.Exact
		}
		if s := yl.Behaviour.Associate("Yealink", m, v); s != want {
			t.Errorf("plugin-info lists %s %s, rated %v, want %v", m, v, s, want)
		}
	}
}

// TestBrokenPluginRefused: a plugin with a template syntax error, or a
// malformed plugin-info or pkgs.db, is refused with the file and line,
// and the other plugins load.
func TestBrokenPluginRefused(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"wazo-digium-1.4.0.0", "wazo-yealink-v86"} {
		if err := os.CopyFS(filepath.Join(dir, p), os.DirFS(filepath.Join(sharedProvd, "plugins", p))); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		file, body, want string
	}{
		{"templates/base.tpl", "ok\n{% for x in y %}\nno end\n", "base.tpl:"},
		{"plugin-info", "{\n  \"version\": \"1\",\n  \"description\": \"x\",\n  \"capabilities\": {\"Yealink, T46S\": {}}\n}\n", "plugin-info:4:"},
		{"plugin-info", "{\n  \"version\": \"1\",\n", "plugin-info:"},
		{"pkgs/pkgs.db", "[pkg_x]\nfiles: nothere\n", "pkgs.db:2:"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			target := filepath.Join(dir, "wazo-yealink-v86", tc.file)
			saved, err := os.ReadFile(target)
			if err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(target, saved, 0o644)
			if err := os.WriteFile(target, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			ps, errs := plugin.LoadDir(dir, plugin.Options{Engine: plugintest.NewPyEngine(t)})
			if len(ps) != 1 || ps[0].Name != "wazo-digium-1.4.0.0" {
				t.Errorf("loaded %d plugins", len(ps))
			}
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.want) {
				t.Errorf("errors %v, want one naming %q", errs, tc.want)
			}
		})
	}
}

// TestGoldenSync: the NOTIFY of each golden case is the one provd sent
// (sync/sync-amid-request-1.http).
func TestGoldenSync(t *testing.T) {
	opts := plugin.Options{Engine: plugintest.NewPyEngine(t)}
	for _, c := range []string{"digium-d40-1line", "digium-d70-3lines-funckeys", "yealink-t46s-1line"} {
		dir := filepath.Join(sharedProvd, "golden", c)
		dev := readGoldenDevice(t, filepath.Join(dir, "device.json"))
		p, err := plugin.Load(filepath.Join(sharedProvd, "plugins", dev.Plugin), opts)
		if err != nil {
			t.Fatal(err)
		}
		n, err := p.Behaviour.Synchronize(dev, nil)
		if err != nil {
			t.Fatal(err)
		}
		req, err := os.ReadFile(filepath.Join(dir, "sync", "sync-amid-request-1.http"))
		if err != nil {
			t.Fatal(err)
		}
		_, body, _ := strings.Cut(string(req), "\r\n\r\n")
		if body == "" {
			_, body, _ = strings.Cut(string(req), "\n\n")
		}
		var sent struct {
			Variable []string
			Endpoint string
		}
		if err := json.Unmarshal([]byte(body), &sent); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if n.Endpoint != sent.Endpoint || len(sent.Variable) != 1 || sent.Variable[0] != "Event="+n.Event {
			t.Errorf("%s: %+v, provd sent %+v", c, n, sent)
		}
	}
}

// TestInputs: a plugin records every file it was loaded from, and its
// sum changes when a template does, or when an override appears.
func TestInputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "wazo-digium-1.4.0.0")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(sharedProvd, "plugins", "wazo-digium-1.4.0.0"))); err != nil {
		t.Fatal(err)
	}
	opts := plugin.Options{Engine: plugin.JinjaEngine{}}
	p1, err := plugin.Load(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range p1.Inputs {
		names = append(names, in.Name)
	}
	for _, want := range []string{"plugin-info", "pkgs/pkgs.db", "base.tpl", "contact.tpl", "D40.tpl"} {
		if !slices.Contains(names, want) {
			t.Errorf("inputs %v lack %s", names, want)
		}
	}
	if !slices.Contains(p1.Dirs, filepath.Join(dir, "var/templates")) {
		t.Errorf("dirs %v lack var/templates", p1.Dirs)
	}
	again, _ := plugin.Load(dir, opts)
	if again.Sum != p1.Sum {
		t.Error("the same files give another sum")
	}
	if err := os.WriteFile(filepath.Join(dir, "templates/contact.tpl"), []byte("<phonebooks/>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p2, _ := plugin.Load(dir, opts)
	if p2.Sum == p1.Sum {
		t.Error("a template edit left the sum unchanged")
	}
	if err := os.MkdirAll(filepath.Join(dir, "var/templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "var/templates/base.tpl"), []byte("custom\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p3, _ := plugin.Load(dir, opts)
	if p3.Sum == p2.Sum {
		t.Error("an override left the sum unchanged")
	}
	for _, in := range p3.Inputs {
		if in.Name == "base.tpl" && in.Path != filepath.Join(dir, "var/templates/base.tpl") {
			t.Errorf("base.tpl read from %s, not the override", in.Path)
		}
	}
}
