package security_test

import (
	"net/http"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// TestUserAgentMACCheck: with ua_mac_check, a phone whose User-Agent carries
// its MAC (Yealink, docs/vendors.md#mac-addresses) cannot fetch another
// phone's sensitive file; its own, shared files and User-Agents without a MAC
// are unaffected, and without the setting nothing is refused.
func TestUserAgentMACCheck(t *testing.T) {
	s := newSite(t)
	on := startServer(t, s, security.Config{UAMACCheck: true, ScanThreshold: 10}, serverOptions{})
	off := startServer(t, s, security.Config{ScanThreshold: 10}, serverOptions{})
	const (
		yealink7001 = "Yealink SIP-T46G 28.72.0.1 00:04:f2:c0:ff:ee"
		t5x7001     = "Yealink SIP-T56A 58.80.0.25 0004f2c0ffee"
		polycom     = "FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application"
		noMAC       = "Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0"
	)
	tests := []struct {
		name   string
		srv    *server
		ua     string
		path   string
		status int
	}{
		{"Yealink asks for another phone's file", on, yealink7001, mac6001 + ".cfg", 403},
		{"T5x form without colons", on, t5x7001, mac6001 + ".cfg", 403},
		{"Yealink asks for its own file", on, yealink7001, mac7001 + ".cfg", 200},
		{"another phone's non-sensitive file", on, yealink7001, mac6001 + "-directory.xml", 200},
		{"firmware", on, yealink7001, "fw.bin", 200},
		{"User-Agent without a MAC", on, polycom, mac6001 + ".cfg", 200},
		{"Yealink User-Agent without a MAC", on, noMAC, mac6001 + ".cfg", 200},
		{"setting off", off, yealink7001, mac6001 + ".cfg", 200},
	}
	for _, tt := range tests {
		r := do(t, nil, http.MethodGet, tt.srv.http+"/phoneprov/"+tt.path, map[string]string{"User-Agent": tt.ua})
		if r.status != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, r.status, tt.status)
		}
	}
	if n := on.log.count("the User-Agent names another phone", `"ua_mac":"`+mac7001+`"`, `"mac":"`+mac6001+`"`); n != 2 {
		t.Errorf("%d refusals logged, want 2", n)
	}
	if c := on.guard.Status().Counters; c.RefusedUserAgent != 2 || c.AuthFailures != 2 {
		t.Errorf("counters %+v", c)
	}
}
