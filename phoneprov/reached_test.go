package phoneprov

import (
	"strings"
	"testing"
)

// TestRequestVariables checks PROV_PORT and PROV_SCHEME, which phoneprovd
// adds like SERVER: per request, to every line of the requesting phone
// only, unless the line sets them; over TFTP (no port known) they are the
// HTTP listener's.
func TestRequestVariables(t *testing.T) {
	const tmpl = "${SERVER}|${PROV_SCHEME}|${PROV_PORT}|${PP_EACH_EXTENSION(${MAC},line.cfg)}|${PP_EACH_USER(%{USERNAME}=%{PROV_PORT};,)}"
	s := renderSite(t, tmpl).tmpl("line.cfg", "${LINE}:${PROV_PORT};")
	s.options.HTTPPort = 8080
	snap := s.load()
	render := func(uri string, at Reached) string {
		t.Helper()
		out, err := snap.RenderReached(snap.Route(uri), at)
		if err != nil {
			t.Fatal(err)
		}
		return string(out.Bytes())
	}
	tests := []struct {
		at   Reached
		want string
	}{
		{Reached{Server: "192.0.2.7", Port: 8443, Scheme: "https"}, "192.0.2.7|https|8443|1:8443;2:8443;|6001=;6002=8443;"},
		{Reached{Server: "2001:db8::1", Port: 80, Scheme: "http"}, "2001:db8::1|http|80|1:80;2:80;|6001=;6002=80;"},
		// TFTP: the address is known, the HTTP listener gives the rest.
		{Reached{Server: "192.0.2.7"}, "192.0.2.7|http|8080|1:8080;2:8080;|6001=;6002=8080;"},
		// Cached per place reached: the first render is served again.
		{Reached{Server: "192.0.2.7", Port: 8443, Scheme: "https"}, "192.0.2.7|https|8443|1:8443;2:8443;|6001=;6002=8443;"},
	}
	for _, tt := range tests {
		if got := render("0004f2000002.cfg", tt.at); got != tt.want {
			t.Errorf("%+v:\n got %q\nwant %q", tt.at, got, tt.want)
		}
	}

	// Without an HTTP listener to fall back on, nothing is invented.
	s.options.HTTPPort = 0
	snap = s.load()
	if got := render("0004f2000002.cfg", Reached{Server: "192.0.2.7"}); !strings.HasPrefix(got, "192.0.2.7|||") {
		t.Errorf("no HTTP port: %q", got)
	}
}

// TestConfiguredRequestVariablesWin checks that a line's own PROV_PORT
// (here a setvar, e.g. for a reverse proxy) beats the port reached, as a
// configured SERVER does.
func TestConfiguredRequestVariablesWin(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", dumpProfile+"\tsetvar => PROV_PORT=443\n\tsetvar => PROV_SCHEME=https\n").
		tmpl("dump.cfg", "${PROV_SCHEME}://${SERVER}:${PROV_PORT}").cf("users.conf", oneUser)
	snap := s.load()
	out, err := snap.RenderReached(snap.Route("0004f2000001.cfg"), Reached{Server: "10.0.0.5", Port: 8080, Scheme: "http"})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out.Bytes()); got != "https://10.0.0.5:443" {
		t.Errorf("got %q", got)
	}
}
