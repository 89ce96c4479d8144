package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func sha1hex(b []byte) string {
	s := sha1.Sum(b)
	return hex.EncodeToString(s[:])
}

// cliServer serves a plugin index, one plugin and one firmware file.
func cliServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("fw/T1-1.0.rom")
	w.Write([]byte("firmware"))
	zw.Close()
	fwZip := zb.Bytes()

	lic := []byte("licence")
	pkgsDB := fmt.Sprintf(`[pkg_fw]
description: Firmware for T1
description_fr: Micrologiciel pour T1
version: 1.0
files: fw
install: fw

[pkg_lic]
description: Licence
version: 2
files: lic
install: lic

[install_fw]
a-b: unzip $FILE1
b-c: cp fw/*.rom firmware/

[install_lic]
a-b: include *.lic

[file_fw]
url: %s/files/fw.zip
size: %d
sha1sum: %s

[file_lic]
filename: x.lic
url:
size: %d
sha1sum: %s
`, srv.URL, len(fwZip), sha1hex(fwZip), len(lic), sha1hex(lic))
	info := `{"version": "1.0", "description": "Test plugin", "capabilities": {"Test, T1, 1.0": {}, "Test, T2, 1.0": {}}}`

	var tb bytes.Buffer
	gz := gzip.NewWriter(&tb)
	tw := tar.NewWriter(gz)
	for _, m := range []struct{ name, body string }{
		{"wazo-test/plugin-info", info}, {"wazo-test/pkgs/pkgs.db", pkgsDB}, {"wazo-test/templates/base.tpl", "base"},
	} {
		tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.body))})
		tw.Write([]byte(m.body))
	}
	tw.Close()
	gz.Close()
	pkg := tb.Bytes()
	index, _ := json.Marshal(map[string]any{"wazo-test": map[string]any{
		"version": "1.0", "description": "Test plugin", "capabilities": map[string]any{"Test, T1, 1.0": map[string]any{}},
		"filename": "wazo-test-1.0.tar.gz", "dsize": len(pkg), "sha1sum": sha1hex(pkg),
	}})
	serve := func(b []byte) http.HandlerFunc { return func(w http.ResponseWriter, r *http.Request) { w.Write(b) } }
	mux.Handle("/provd/plugins.db", serve(index))
	mux.Handle("/provd/wazo-test-1.0.tar.gz", serve(pkg))
	mux.Handle("/files/fw.zip", serve(fwZip))
	return srv
}

// cli runs phoneprovd with args and returns the exit status, stdout and
// stderr.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestPluginsAndPkgsCommands(t *testing.T) {
	t.Setenv("LANG", "fr_FR.UTF-8")
	srv := cliServer(t)
	base := t.TempDir()
	conf, data, state := filepath.Join(base, "etc"), filepath.Join(base, "data"), filepath.Join(base, "state")
	os.MkdirAll(conf, 0o755)
	os.WriteFile(filepath.Join(conf, "phoneprovd.conf"), []byte("[general]\nstate_dir = "+state+"\n[plugins]\nserver = "+srv.URL+"/provd\n"), 0o644)
	dirs := []string{"-config-dir", conf, "-data-dir", data}
	step := func(wantCode int, args ...string) (string, string) {
		t.Helper()
		code, out, errs := cli(t, append(args, dirs...)...)
		if code != wantCode {
			t.Fatalf("phoneprovd %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, wantCode, out, errs)
		}
		return out, errs
	}

	_, errs := step(0, "plugins", "list")
	if !strings.Contains(errs, `run "phoneprovd plugins update" first`) {
		t.Errorf("list without index: %s", errs)
	}
	out, _ := step(0, "plugins", "update")
	if !strings.Contains(out, srv.URL+"/provd/plugins.db: 1 plugins available") {
		t.Errorf("update: %s", out)
	}
	out, _ = step(0, "plugins", "list")
	if !strings.Contains(out, "PLUGIN") || !regexpMatch(`wazo-test\s+-\s+1\.0\s+1\s+Test plugin`, out) {
		t.Errorf("list:\n%s", out)
	}
	out, _ = step(0, "plugins", "install", "wazo-test")
	if !strings.Contains(out, "wazo-test 1.0: installed in "+filepath.Join(data, "plugins", "wazo-test")) {
		t.Errorf("install: %s", out)
	}
	out, _ = step(0, "plugins", "list")
	if !regexpMatch(`wazo-test\s+1\.0\s+1\.0\s+2\s+Test plugin`, out) {
		t.Errorf("list after install:\n%s", out)
	}

	out, _ = step(0, "pkgs", "list", "wazo-test")
	if !regexpMatch(`fw\s+1\.0\s+-\s+\d+ B\s+Micrologiciel pour T1`, out) || !regexpMatch(`lic\s+2\s+-\s+7 B \*\s+Licence`, out) ||
		!strings.Contains(out, "* needs a file put into the download cache by hand") {
		t.Errorf("pkgs list:\n%s", out)
	}
	step(0, "pkgs", "install", "wazo-test", "fw")
	rom := filepath.Join(data, "plugins", "wazo-test", "var", "tftpboot", "firmware", "T1-1.0.rom")
	if b, err := os.ReadFile(rom); err != nil || string(b) != "firmware" {
		t.Errorf("%s: %q %v", rom, b, err)
	}
	if _, err := os.Stat(filepath.Join(state, "cache", "fw.zip")); err != nil {
		t.Errorf("the download is not in STATE-DIR/cache: %v", err)
	}
	_, errs = step(1, "pkgs", "install", "wazo-test", "lic")
	wantErr := "phoneprovd: x.lic has no download URL (pkgs.db leaves it empty): get it from the vendor and copy it to " + filepath.Join(state, "cache", "x.lic") + " (7 bytes, SHA-1 " + sha1hex([]byte("licence")) + ")\n"
	if errs != wantErr {
		t.Errorf("manual file:\n%s\nwant\n%s", errs, wantErr)
	}
	out, _ = step(0, "pkgs", "remove", "wazo-test", "fw")
	if _, err := os.Stat(rom); !os.IsNotExist(err) || !strings.Contains(out, "fw 1.0: removed") {
		t.Errorf("remove: %v\n%s", err, out)
	}

	_, errs = step(1, "plugins", "install", "nope")
	if errs != `phoneprovd: no plugin "nope" in `+filepath.Join(state, "plugins.db")+"\n" {
		t.Errorf("unknown plugin: %q", errs)
	}
	_, errs = step(1, "pkgs", "list", "missing")
	if errs != `phoneprovd: plugin "missing" is not installed in `+filepath.Join(data, "plugins")+"\n" {
		t.Errorf("unknown plugin for pkgs: %q", errs)
	}
	_, errs = step(1, "pkgs", "install", "wazo-test", "nope")
	if !strings.HasPrefix(errs, `phoneprovd: no package "nope" in `) {
		t.Errorf("unknown package: %q", errs)
	}
	step(0, "plugins", "remove", "wazo-test")
	if _, err := os.Stat(filepath.Join(data, "plugins", "wazo-test")); !os.IsNotExist(err) {
		t.Errorf("plugin still there: %v", err)
	}
	step(2, "plugins", "frobnicate")
	step(2, "pkgs", "install", "wazo-test")
}

func TestPluginsServerFlagOverrides(t *testing.T) {
	base := t.TempDir()
	code, _, errs := cli(t, "plugins", "update", "-config-dir", base, "-data-dir", base, "-state-dir", base, "-server", "ftp://x")
	if code != 1 || errs != "phoneprovd: plugin server \"ftp://x\" is not an http(s) URL\n" {
		t.Errorf("exit %d: %q", code, errs)
	}
	code, _, errs = cli(t, "plugins", "update", "-config-dir", base, "-data-dir", base, "-state-dir", base)
	if code != 1 || !strings.Contains(errs, "no plugin server: set server in the [plugins] section of phoneprovd.conf, or pass -server URL") {
		t.Errorf("exit %d: %q", code, errs)
	}
}

func TestParseInterleaved(t *testing.T) {
	fs := newFlagSet(&env{stderr: &bytes.Buffer{}}, "x", "")
	v := fs.String("v", "", "")
	rest, err := parseInterleaved(fs, []string{"a", "-v", "1", "b", "--", "-c", "d"})
	if err != nil || *v != "1" || strings.Join(rest, " ") != "a b -c d" {
		t.Errorf("rest %q v %q err %v", rest, *v, err)
	}
}

func regexpMatch(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }
