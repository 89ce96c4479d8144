package phoneprov

import (
	"os"
	"path/filepath"
	"testing"
)

// TestNoReuseAcrossOptions: a reload with other options (phoneprovd.conf
// edited while the daemon runs) renders again what the same template and
// variables rendered before — here STAT, blocked unless
// live_dangerously.
func TestNoReuseAcrossOptions(t *testing.T) {
	root := t.TempDir()
	conf, data := filepath.Join(root, "etc"), filepath.Join(root, "lib")
	for name, text := range map[string]string{
		filepath.Join(conf, "phoneprov.conf"):  "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
		filepath.Join(conf, "users.conf"):      "[6001]\nusername = 6001\nmacaddress = 0004f2000001\nautoprov = yes\n",
		filepath.Join(data, "phoneprov/t.cfg"): "u=${USERNAME} e=${STAT(e," + filepath.Join(data, "phoneprov/t.cfg") + ")}\n",
	} {
		os.MkdirAll(filepath.Dir(name), 0o755)
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	render := func(snap *Snapshot) string {
		t.Helper()
		body, err := snap.Render(snap.Route("0004f2000001.cfg"), "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		return string(body.Bytes())
	}
	opts := Options{ConfigDir: conf, DataDir: data}
	before, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	before.Fingerprints("192.0.2.1", nil)
	if got := render(before); got != "u=6001 e=\n" {
		t.Fatalf("STAT blocked: %q", got)
	}
	opts.LiveDangerously = true
	opts.Previous = func() *Snapshot { return before }
	after, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	after.Fingerprints("192.0.2.1", before)
	if got := render(after); got != "u=6001 e=1\n" {
		t.Errorf("after live_dangerously = yes: %q", got)
	}
}
