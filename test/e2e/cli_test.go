package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRoutesCommand(t *testing.T) {
	conf, data := goldenDirs(t)
	r := run(t, "", "routes", "-config-dir", conf, "-data-dir", data)
	want, err := os.ReadFile(filepath.Join(golden, "phoneprov-show-routes.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if r.code != 0 || r.stdout != string(want) {
		t.Errorf("exit %d, stdout differs from phoneprov show routes:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestRenderCommand(t *testing.T) {
	conf, data := goldenDirs(t)
	// 0004f2a1b2c3 has no timezone, so its body does not depend on the date.
	r := run(t, "", "render", "-config-dir", conf, "-data-dir", data, "-server", "127.0.0.1", "config/0004f2a1b2c3")
	want, _ := os.ReadFile(filepath.Join(golden, "phoneprov-http/config_0004f2a1b2c3.body"))
	if r.code != 0 || r.stdout != string(want) {
		t.Errorf("exit %d, body differs from Asterisk's\n%s", r.code, r.stderr)
	}
	r = run(t, "", "render", "-config-dir", conf, "-data-dir", data, "no/such/route")
	if r.code != 1 || !strings.Contains(r.stderr, `no route "no/such/route"`) {
		t.Errorf("unknown route: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestCheckCommand(t *testing.T) {
	conf, data := goldenDirs(t)
	// Asterisk's stock samples hold real faults that check reports, with exit
	// status 1: snom-mac.xml loses its attribute quotes through PP_EACH_USER
	// (docs/asterisk.md#pp_each_user-and-pp_each_extension) and the captured
	// 000000000000-phone.cfg is only an XML declaration. All 3 phones are
	// read.
	if r := run(t, "", "check", "-config-dir", conf, "-data-dir", data); r.code != 1 || !strings.Contains(r.stdout, "3 phones") ||
		!strings.Contains(r.stdout, "snom-mac.xml:18: not well-formed XML") || !strings.Contains(r.stdout, "000000000000-phone.cfg:1: not well-formed XML: no root element") {
		t.Errorf("golden config: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => missing.cfg\n",
		"etc/users.conf":      "[6001]\nusername = 6001\nmacaddress = 0004f2000001\nautoprov = yes\n[6002]\nmacaddress = 0004f2000002\nautoprov = yes\n",
		"lib/phoneprov/.keep": "",
	})
	r := run(t, "", "check", "-config-dir", filepath.Join(dir, "etc"), "-data-dir", filepath.Join(dir, "lib"))
	if r.code != 1 {
		t.Errorf("missing template: exit %d", r.code)
	}
	for _, want := range []string{`phoneprov.conf:4: template "missing.cfg"`, "users.conf:5: user [6002] skipped: no username"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, r.stdout)
		}
	}

	writeFiles(t, dir, map[string]string{"etc/phoneprov.conf": "[general]\n[p\n"})
	r = run(t, "", "check", "-config-dir", filepath.Join(dir, "etc"), "-data-dir", filepath.Join(dir, "lib"))
	if r.code != 1 || !strings.Contains(r.stderr, "phoneprov.conf:2: missing ']'") {
		t.Errorf("syntax error: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestSubstCommand(t *testing.T) {
	// Variables in the order given; the first of a name wins; nothing added.
	r := run(t, "${A}-${B}-${TOUPPER(${C})}-$[${N} / 2]", "subst", "-var", "A=1", "-var", "B=x=y", "-var", "A=ignored", "-var", "C=mac", "-var", "N=7")
	if r.code != 0 || r.stdout != "1-x=y-MAC-3.5" {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	f := filepath.Join(t.TempDir(), "t.cfg")
	os.WriteFile(f, []byte("line ${LINE}\n"), 0o644)
	if r := run(t, "", "subst", "-var", "LINE=2", f); r.stdout != "line 2\n" {
		t.Errorf("from a file: %q", r.stdout)
	}
	if r := run(t, "", "subst", "-var", "novalue"); r.code != 2 {
		t.Errorf("bad -var: exit %d", r.code)
	}
}

func TestServeGolden(t *testing.T) {
	conf, data := goldenDirs(t)
	d := startDaemon(t, "-config-dir", conf, "-data-dir", data)
	// The real curl client: every time-independent golden body, byte for
	// byte (the New York user's DST values depend on the date).
	for _, name := range []string{"0004f2a1b2c3.cfg", "config/0004f2a1b2c3", "config/0004f2c0ffee", "snom-0004f2c0ffee.xml", "0004f2d4e5f6-phone.cfg"} {
		want, _ := os.ReadFile(filepath.Join(golden, "phoneprov-http", strings.ReplaceAll(name, "/", "_")+".body"))
		if got := curl(t, d.url("/phoneprov/"+name)); got != string(want) {
			t.Errorf("%s: body differs from Asterisk's", name)
		}
	}
	if got := curl(t, "-o", "/dev/null", "-w", "%{http_code} %{content_type}", d.url("/phoneprov/0004F2A1B2C3.cfg")); got != "404 text/html" {
		t.Errorf("unknown route: %q", got)
	}
	// SIGTERM: a clean exit.
	d.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- d.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("phoneprovd did not stop on SIGTERM")
	}
	if _, err := http.Get(d.url("/phoneprov/")); err == nil {
		t.Error("still serving after SIGTERM")
	}
}
