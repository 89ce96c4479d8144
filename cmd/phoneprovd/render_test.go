package main

import (
	"strings"
	"testing"
)

// renderSite is a one-phone configuration whose template shows what a
// render received.
func renderSite(t *testing.T, settingsFile string) (conf, data string) {
	t.Helper()
	files := goodSite()
	files["lib/phoneprov/t.xml"] = "${PROV_SCHEME}://${IF($[\"${SERVER}\" =~ \":\"]?[${SERVER}]:${SERVER})}:${PROV_PORT}/phoneprov/${MAC}.xml"
	if settingsFile != "" {
		files["etc/phoneprovd.conf"] = settingsFile
	}
	return writeSite(t, files)
}

func TestRenderURIs(t *testing.T) {
	conf, data := renderSite(t, "[general]\nhttp = 192.0.2.44:8081\n")
	dirs := []string{"-config-dir", conf, "-data-dir", data}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"route", []string{"-server", "192.0.2.9", "0004f2000001.xml"}, "http://192.0.2.9:8081/phoneprov/0004f2000001.xml"},
		{"the path a phone requests", []string{"-server", "192.0.2.9", "/phoneprov/0004f2000001.xml"}, "http://192.0.2.9:8081/phoneprov/0004f2000001.xml"},
		{"path with a query, case-insensitive", []string{"-server", "192.0.2.9", "/PhoneProv/0004f2000001.xml?mac=1"}, "http://192.0.2.9:8081/phoneprov/0004f2000001.xml"},
		{"URL", []string{"http://192.0.2.7:8080/phoneprov/0004f2000001.xml"}, "http://192.0.2.7:8080/phoneprov/0004f2000001.xml"},
		{"IPv6 HTTPS URL", []string{"https://[2001:db8::7]:8443/phoneprov/0004f2000001.xml"}, "https://[2001:db8::7]:8443/phoneprov/0004f2000001.xml"},
		{"URL without port", []string{"http://192.0.2.7/phoneprov/0004f2000001.xml"}, "http://192.0.2.7:80/phoneprov/0004f2000001.xml"},
		{"flags after the URI", []string{"0004f2000001.xml", "-server", "2001:db8::9", "-port", "80"}, "http://[2001:db8::9]:80/phoneprov/0004f2000001.xml"},
		{"flags win over the URL", []string{"http://192.0.2.7:8080/phoneprov/0004f2000001.xml", "-port", "9999"}, "http://192.0.2.7:9999/phoneprov/0004f2000001.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, append(append([]string{"render"}, dirs...), tt.args...)...)
			if r.code != 0 || r.stdout != tt.want {
				t.Errorf("exit %d, stdout %q, want %q\nstderr: %s", r.code, r.stdout, tt.want, r.stderr)
			}
		})
	}
}

// TestRenderDefaultServer checks that without -server SERVER is not left
// empty: the http listener's address, and the command says so.
func TestRenderDefaultServer(t *testing.T) {
	conf, data := renderSite(t, "[general]\nhttp = 192.0.2.44:8081\n")
	r := runCmd(t, "render", "-config-dir", conf, "-data-dir", data, "0004f2000001.xml")
	if r.code != 0 || r.stdout != "http://192.0.2.44:8081/phoneprov/0004f2000001.xml" {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "SERVER = 192.0.2.44 (the http listener's address; -server to choose)") ||
		!strings.Contains(r.stderr, "PROV_PORT = 8081 (the http listener's; -port to choose)") {
		t.Errorf("the defaults are not said: %q", r.stderr)
	}

	// A listener on every address: this host's address, never empty.
	conf, data = renderSite(t, "[general]\nhttp = :8080\n")
	r = runCmd(t, "render", "-config-dir", conf, "-data-dir", data, "0004f2000001.xml")
	if r.code != 0 || strings.Contains(r.stdout, "://:") || !strings.Contains(r.stderr, "SERVER = ") {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestRenderErrors(t *testing.T) {
	conf, data := renderSite(t, "[general]\nprefix = pbx\n")
	dirs := []string{"-config-dir", conf, "-data-dir", data}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no URI", nil, 2, "want one URI, got 0"},
		{"two URIs", []string{"a.xml", "b.xml"}, 2, `want one URI, got 2 ("a.xml" "b.xml")`},
		{"unknown flag after the URI", []string{"0004f2000001.xml", "-sever", "x"}, 2, "flag provided but not defined: -sever"},
		{"path outside the prefix", []string{"/phoneprov/0004f2000001.xml"}, 1, `"/phoneprov/0004f2000001.xml" is not under /pbx/phoneprov/`},
		{"not http", []string{"tftp://192.0.2.1/0004f2000001.xml"}, 1, "phones fetch over http or https, not tftp"},
		{"unknown route", []string{"/pbx/phoneprov/nope.xml"}, 1, `no route "nope.xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, append(append([]string{"render"}, dirs...), tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d (want %d), stderr %q, want %q", r.code, tt.code, r.stderr, tt.want)
			}
		})
	}
	// Under the prefix, the path works.
	r := runCmd(t, append(append([]string{"render"}, dirs...), "-server", "192.0.2.1", "/pbx/phoneprov/0004f2000001.xml")...)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "http://192.0.2.1:") {
		t.Errorf("prefixed path: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
}
