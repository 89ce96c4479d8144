package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/plugin"
	"github.com/phoneprovd/phoneprovd/plugin/plugintest"
)

// sharedProvd is ../shared/provd from this package.
const sharedProvd = "../../../shared/provd"

// renderCmd runs "phoneprovd plugin render" with eng and returns the exit
// status, stdout and stderr.
func renderCmd(t *testing.T, eng plugin.Engine, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}
	code := pluginCommand(context.Background(), e, append([]string{"render"}, args...), eng)
	return code, out.String(), errb.String()
}

// forEngines runs f with each template engine: phoneprovd's own, and
// Python's Jinja2, the oracle (a failure under CI=true without it, a skip
// elsewhere).
func forEngines(t *testing.T, f func(t *testing.T, eng plugin.Engine)) {
	t.Run("go", func(t *testing.T) { f(t, defaultPluginEngine()) })
	t.Run("python", func(t *testing.T) { f(t, plugintest.NewPyEngine(t)) })
}

// TestPluginRenderGolden: every golden case of ../shared/provd is
// reproduced byte for byte through the command, by phoneprovd's Jinja2
// engine (and by Python's, the oracle).
func TestPluginRenderGolden(t *testing.T) {
	forEngines(t, testPluginRenderGolden)
}

func testPluginRenderGolden(t *testing.T, eng plugin.Engine) {
	golden := filepath.Join(sharedProvd, "golden")
	cases := []struct{ name, plugin, device, config, files string }{
		{"digium-d40-1line", "wazo-digium-1.4.0.0", "digium-d40-1line/device.json", "digium-d40-1line/raw_config.json", "digium-d40-1line/files"},
		{"digium-d70-3lines-funckeys", "wazo-digium-1.4.0.0", "digium-d70-3lines-funckeys/device.json", "digium-d70-3lines-funckeys/raw_config.json", "digium-d70-3lines-funckeys/files"},
		{"yealink-t46s-1line", "wazo-yealink-v86", "yealink-t46s-1line/device.json", "yealink-t46s-1line/raw_config.json", "yealink-t46s-1line/files"},
		{"yealink-t46s-1line update", "wazo-yealink-v86", "yealink-t46s-1line/device.json", "yealink-t46s-1line/update/raw_config.json", "yealink-t46s-1line/update/files"},
		{"B2-autocreate-digium", "wazo-digium-1.4.0.0", "special/B2-autocreate-digium/device.json", "special/B2-autocreate-digium/autocreated-config/raw_config.json", "special/B2-autocreate-digium"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			code, stdout, stderr := renderCmd(t, eng, "-plugins-dir", filepath.Join(sharedProvd, "plugins"), "-plugin", tc.plugin,
				"-device", filepath.Join(golden, tc.device), "-config", filepath.Join(golden, tc.config), "-out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			written := strings.Fields(stdout)
			if len(written) == 0 {
				t.Fatal("no file written")
			}
			for _, name := range written {
				got, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				want, err := os.ReadFile(filepath.Join(golden, tc.files, filepath.Base(name)))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s", name, filepath.Join(tc.files, filepath.Base(name)))
				}
				if _, err := os.Stat(filepath.Join(out, name+".tmp")); err == nil {
					t.Errorf("%s.tmp left behind", name)
				}
			}
		})
	}
}

// TestPluginRenderErrors: an unknown model, a device without a MAC, a
// template with a syntax error and bad arguments exit non-zero with a
// message that says what is wrong (and, for the template, where).
func TestPluginRenderErrors(t *testing.T) {
	forEngines(t, testPluginRenderErrors)
}

func testPluginRenderErrors(t *testing.T, eng plugin.Engine) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	raw := filepath.Join(sharedProvd, "golden/yealink-t46s-1line/raw_config.json")
	plugins := filepath.Join(sharedProvd, "plugins")

	// A copy of the Yealink plugin with a broken per-device template.
	broken := filepath.Join(dir, "plugins", "wazo-yealink-v86")
	if err := os.CopyFS(broken, os.DirFS(filepath.Join(plugins, "wazo-yealink-v86"))); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(broken, "var/templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "var/templates/805ec0aabb01.cfg.tpl"), []byte("line one\n{% if x %}\nno end\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name    string
		args    []string
		code    int
		message []string
	}{
		{"unknown model", []string{"-plugins-dir", plugins, "-plugin", "wazo-yealink-v86",
			"-device", write("t99.json", `{"mac": "80:5e:c0:aa:bb:01", "vendor": "Yealink", "model": "T99X"}`), "-config", raw, "-out", dir},
			1, []string{"unknown model", "T99X"}},
		{"other vendor's model", []string{"-plugins-dir", plugins, "-plugin", "wazo-digium-1.4.0.0",
			"-device", write("yl.json", `{"mac": "80:5e:c0:aa:bb:01", "vendor": "Yealink", "model": "T46S"}`), "-config", raw, "-out", dir},
			1, []string{"unknown model", "T46S"}},
		{"no MAC", []string{"-plugins-dir", plugins, "-plugin", "wazo-yealink-v86",
			"-device", write("nomac.json", `{"vendor": "Yealink", "model": "T46S"}`), "-config", raw, "-out", dir},
			1, []string{"no MAC"}},
		{"template syntax error", []string{"-plugins-dir", filepath.Join(dir, "plugins"), "-plugin", "wazo-yealink-v86",
			"-device", write("ok.json", `{"mac": "80:5e:c0:aa:bb:01", "vendor": "Yealink", "model": "T46S"}`), "-config", raw, "-out", dir},
			1, []string{"805ec0aabb01.cfg.tpl:2"}},
		{"unknown plugin", []string{"-plugins-dir", plugins, "-plugin", "wazo-acme-1",
			"-device", write("ok2.json", `{"mac": "80:5e:c0:aa:bb:01"}`), "-config", raw, "-out", dir},
			1, []string{"acme"}},
		{"bad device JSON", []string{"-plugins-dir", plugins, "-plugin", "wazo-yealink-v86",
			"-device", write("bad.json", "{\n\"mac\": }"), "-config", raw, "-out", dir},
			1, []string{"bad.json", "line 2"}},
		{"missing flag", []string{"-plugin", "wazo-yealink-v86"}, 2, []string{"usage"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := renderCmd(t, eng, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			for _, m := range tc.message {
				if !strings.Contains(stderr, m) {
					t.Errorf("message %q does not say %q", stderr, m)
				}
			}
		})
	}
}
