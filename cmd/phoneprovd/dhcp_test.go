package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

func TestHookArgs(t *testing.T) {
	if got := hookArgs("/usr/local/bin/phoneprovd-dhcp-event", []string{"add", "m", "i"}); strings.Join(got, " ") != "dhcp event add m i" {
		t.Errorf("as the hook: %q", got)
	}
	if got := hookArgs("/usr/local/bin/phoneprovd", []string{"serve"}); strings.Join(got, " ") != "serve" {
		t.Errorf("as phoneprovd: %q", got)
	}
}

func TestProvisioningURL(t *testing.T) {
	for _, c := range []struct {
		http, prefix, url, want string
	}{
		{"192.0.2.10:8080", "", "", "http://192.0.2.10:8080/phoneprov"},
		{"192.0.2.10:8080", "/asterisk/", "", "http://192.0.2.10:8080/asterisk/phoneprov"},
		{"[2001:db8::1]:8080", "", "", "http://[2001:db8::1]:8080/phoneprov"},
		{":8080", "", "http://prov.example.com/phoneprov", "http://prov.example.com/phoneprov"},
	} {
		s := settings.Defaults()
		s.General.HTTP, s.General.Prefix, s.DHCP.URL = c.http, c.prefix, c.url
		if got, err := provisioningURL(s); err != nil || got != c.want {
			t.Errorf("%+v: %q, %v", c, got, err)
		}
	}
	for _, wildcard := range []string{":8080", "0.0.0.0:8080", "[::]:8080"} {
		s := settings.Defaults()
		s.General.HTTP = wildcard
		if _, err := provisioningURL(s); err == nil || !strings.Contains(err.Error(), "-url") {
			t.Errorf("%s: %v", wildcard, err)
		}
	}
}

// runOut is runCmd's result as its three parts.
func runOut(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	r := runCmd(t, args...)
	return r.code, r.stdout, r.stderr
}

func TestDHCPConfigCommand(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "phoneprovd.conf"), []byte("[general]\nhttp = 192.0.2.10:8080\n"), 0o644)
	code, out, errs := runOut(t, "dhcp", "config", "-format", "isc", "-config-dir", dir, "-command", "/opt/pp/phoneprovd")
	if code != 0 || !strings.Contains(out, `option tftp-server-name "http://192.0.2.10:8080/phoneprov"`) ||
		!strings.Contains(out, `execute("/opt/pp/phoneprovd", "dhcp", "event", "-config-dir", "`+dir+`", "commit",`) {
		t.Errorf("isc: %d %s\n%s", code, errs, out)
	}
	code, out, _ = runOut(t, "dhcp", "config", "-format", "dnsmasq", "-url", "http://10.1.2.3:8080/phoneprov", "-hook", "/opt/pp/hook")
	if code != 0 || !strings.Contains(out, "dhcp-script=/opt/pp/hook\n") || !strings.Contains(out, `66,"http://10.1.2.3:8080/phoneprov"`) {
		t.Errorf("dnsmasq: %d\n%s", code, out)
	}
	if code, _, errs := runOut(t, "dhcp", "config", "-format", "pxe", "-url", "http://h/p"); code != 2 || !strings.Contains(errs, "dnsmasq, kea or isc") {
		t.Errorf("a bad format: %d %s", code, errs)
	}
	if code, _, errs := runOut(t, "dhcp", "config", "-format", "kea", "-config-dir", t.TempDir()); code != 1 || !strings.Contains(errs, "give -url") {
		t.Errorf("no URL to be had: %d %s", code, errs)
	}
	if code, _, _ := runOut(t, "dhcp"); code != 2 {
		t.Errorf("no subcommand: %d", code)
	}
}

// TestDHCPEventCommand runs the hook as dnsmasq would, against a handler
// that requires a token read from phoneprovd.conf.
func TestDHCPEventCommand(t *testing.T) {
	const token = "tok-0123456789abcdef"
	var (
		mu   sync.Mutex
		got  []dhcp.Event
		vend []string
	)
	h := dhcp.NewHandler(dhcp.HandlerConfig{Families: families.List(), RequireToken: true, Token: token,
		Record: func(e dhcp.Event, id dhcp.Identity) bool {
			mu.Lock()
			defer mu.Unlock()
			got, vend = append(got, e), append(vend, id.Vendor+" "+id.Model+" "+id.Firmware)
			return true
		}})
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "phoneprovd.conf"), []byte("[general]\nadmin = "+strings.TrimPrefix(srv.URL, "http://")+"\n[dhcp]\ntoken = "+token+"\n"), 0o644)

	t.Setenv("DNSMASQ_VENDOR_CLASS", "digium_D40_1_1_0_0_48178")
	t.Setenv("DNSMASQ_LEASE_EXPIRES", "1795000000")
	if code, _, errs := runOut(t, "dhcp", "event", "-config-dir", dir, "add", "00:0f:d3:aa:bb:01", "10.99.0.51", "d40"); code != 0 {
		t.Fatalf("add: %d %s", code, errs)
	}
	if len(got) != 1 || got[0].MAC != "000fd3aabb01" || vend[0] != "Digium D40 1.1.0.0.48178" || got[0].Expires.Unix() != 1795000000 {
		t.Errorf("received %+v %q", got, vend)
	}
	// What dnsmasq runs that is not a lease does nothing, successfully.
	if code, out, errs := runOut(t, "dhcp", "event", "-config-dir", dir, "tftp", "1234", "10.99.0.51", "/srv/x"); code != 0 || out != "" || errs != "" || len(got) != 1 {
		t.Errorf("tftp: %d %q %q", code, out, errs)
	}
	// A wrong token file: refused, and the token is not printed.
	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte("not-the-token-xyz\n"), 0o600)
	code, out, errs := runOut(t, "dhcp", "event", "-config-dir", dir, "-token-file", bad, "add", "00:15:65:aa:bb:cc", "10.99.0.52")
	if code != 1 || !strings.Contains(errs, "401") || strings.Contains(errs+out, "not-the-token") || strings.Contains(errs+out, token) {
		t.Errorf("a wrong token: %d %q %q", code, out, errs)
	}
	// Nobody listening: it fails within -timeout.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	if code, _, errs := runOut(t, "dhcp", "event", "-admin", addr, "-timeout", "500ms", "add", "00:15:65:aa:bb:cc", "10.99.0.52"); code != 1 || !strings.Contains(errs, "is phoneprovd running?") {
		t.Errorf("nobody listening: %d %s", code, errs)
	}
	// Bad arguments from a DHCP server.
	if code, _, errs := runOut(t, "dhcp", "event", "-admin", addr, "add", "nonsense"); code != 1 || !strings.Contains(errs, "want MAC IP") {
		t.Errorf("bad arguments: %d %s", code, errs)
	}
}
