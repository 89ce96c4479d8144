package e2e

import (
	"github.com/phoneprovd/phoneprovd/internal/testtool"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// TestMakeInstall runs `make install` twice: with DESTDIR (a staged root,
// as packagers do) and with a PREFIX of its own, whose unit file systemd
// then verifies.
func TestMakeInstall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary again")
	}
	make := func(args ...string) {
		t.Helper()
		cmd := exec.Command("make", append([]string{"-C", "../..", "install"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("make install %v: %v\n%s", args, err, out)
		}
	}

	staged := t.TempDir()
	make("DESTDIR="+staged, "PREFIX=/usr")
	for _, f := range []string{
		"usr/bin/phoneprovd",
		"usr/lib/systemd/system/phoneprovd.service",
		"usr/share/phoneprovd/conf/phoneprov.conf",
		"usr/share/phoneprovd/templates/phoneprov/polycom/master.cfg",
		"usr/share/doc/phoneprovd/README.md",
		"etc/asterisk/phoneprovd.conf.sample",
	} {
		if _, err := os.Stat(filepath.Join(staged, f)); err != nil {
			t.Errorf("DESTDIR install: %v", err)
		}
	}
	// The sample, copied as is, serves phones on an address they reach.
	sample, _ := os.ReadFile(filepath.Join(staged, "etc/asterisk/phoneprovd.conf.sample"))
	etc := t.TempDir()
	os.WriteFile(filepath.Join(etc, "phoneprovd.conf"), sample, 0o644)
	if s, err := settings.Load(etc); err != nil {
		t.Errorf("the installed sample does not load: %v", err)
	} else if host, _, _ := net.SplitHostPort(s.General.HTTP); host != "" && host != "0.0.0.0" && host != "::" {
		t.Errorf("the installed sample serves phones on %s: phones cannot reach it", s.General.HTTP)
	}
	if m, _ := filepath.Glob(filepath.Join(staged, "usr/share/phoneprovd/templates/*.go")); len(m) != 0 {
		t.Errorf("test files installed: %v", m)
	}

	// Installed again (an upgrade): the shipped samples are replaced whole
	// — nothing nests, a file no longer shipped goes — and the
	// administrator's configuration is not touched.
	stale := filepath.Join(staged, "usr/share/phoneprovd/templates/phoneprov/stale.cfg")
	os.WriteFile(stale, []byte("old"), 0o644)
	mine := filepath.Join(staged, "etc/asterisk/phoneprovd.conf")
	os.WriteFile(mine, []byte("; mine\n"), 0o644)
	make("DESTDIR="+staged, "PREFIX=/usr")
	for _, nested := range []string{"usr/share/phoneprovd/conf/conf", "usr/share/phoneprovd/templates/templates"} {
		if _, err := os.Stat(filepath.Join(staged, nested)); err == nil {
			t.Errorf("a second install nested %s", nested)
		}
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a second install kept a file no longer shipped")
	}
	if b, _ := os.ReadFile(mine); string(b) != "; mine\n" {
		t.Errorf("a second install changed phoneprovd.conf: %q", b)
	}
	unit, _ := os.ReadFile(filepath.Join(staged, "usr/lib/systemd/system/phoneprovd.service"))
	if !strings.Contains(string(unit), "ExecStart=/usr/bin/phoneprovd serve") || strings.Contains(string(unit), "@BINDIR@") {
		t.Errorf("unit ExecStart not set to the installed binary:\n%s", unit)
	}
	for _, want := range []string{"Type=notify", "ProtectSystem=strict", "ReadOnlyPaths=/etc/asterisk /var/lib/asterisk",
		"ReadWritePaths=/var/lib/phoneprovd", "NoNewPrivileges=yes", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE"} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("unit lacks %q", want)
		}
	}

	prefix := t.TempDir()
	make("PREFIX="+prefix, "ASTETCDIR="+filepath.Join(prefix, "etc"))
	verify, err := exec.LookPath("systemd-analyze")
	if err != nil {
		testtool.Missing(t, "systemd-analyze (Debian package systemd)")
	}
	out, err := exec.Command(verify, "verify", filepath.Join(prefix, "lib/systemd/system/phoneprovd.service")).CombinedOutput()
	if err != nil {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
