package security_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// TestHTTPAllowlist: an address outside http_allow gets 403 for every
// request, firmware included; inside it, everything is as usual.
func TestHTTPAllowlist(t *testing.T) {
	s := newSite(t)
	closed := startServer(t, s, security.Config{HTTPAllow: prefixes("10.0.0.0/8", "2001:db8::/32")}, serverOptions{})
	open := startServer(t, s, security.Config{HTTPAllow: prefixes("10.0.0.0/8", "127.0.0.0/8")}, serverOptions{})
	for _, path := range []string{mac6001 + ".cfg", "fw.bin", mac6001 + "-directory.xml", "nothing-here", "0004f2123456.cfg"} {
		if r := do(t, nil, http.MethodGet, closed.http+"/phoneprov/"+path, nil); r.status != 403 {
			t.Errorf("outside the allowlist, %s: %d", path, r.status)
		}
	}
	if r := do(t, nil, http.MethodGet, closed.http+"/elsewhere", nil); r.status != 403 {
		t.Errorf("outside the allowlist, not /phoneprov: %d", r.status)
	}
	for path, want := range map[string]int{mac6001 + ".cfg": 200, "fw.bin": 200, "nothing-here": 404} {
		if r := do(t, nil, http.MethodGet, open.http+"/phoneprov/"+path, nil); r.status != want {
			t.Errorf("inside the allowlist, %s: %d, want %d", path, r.status, want)
		}
	}
	if c := closed.guard.Status().Counters; c.RefusedAllowlist != 6 {
		t.Errorf("counters %+v", c)
	}
}

// TestTFTPChecks drives CheckTFTP as the TFTP server calls it: the
// allowlist, unknown-MAC counting and bans, and sensitive routes, which
// TFTP serves only when HTTP does not ask for credentials (tftp_sensitive
// auto) or when told to.
func TestTFTPChecks(t *testing.T) {
	s := newSite(t)
	sink := newLogSink(t)
	snap := s.load(sink.logger())
	guard := func(cfg security.Config) *security.Guard {
		cfg.Snapshots, cfg.Logger = phoneprovtest.Fixed(snap), sink.logger()
		g, err := security.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	lan := addr("10.1.2.3")
	g := guard(security.Config{TFTPAllow: prefixes("10.0.0.0/8"), ScanThreshold: 3, TFTP: true})
	if err := g.CheckTFTP(addr("192.0.2.9"), "fw.bin", true, false); !errors.Is(err, security.ErrNotAllowed) {
		t.Errorf("outside tftp_allow: %v", err)
	}
	if err := g.CheckTFTP(addr("::ffff:192.0.2.9"), "fw.bin", true, false); !errors.Is(err, security.ErrNotAllowed) {
		t.Errorf("IPv4-mapped outside tftp_allow: %v", err)
	}
	if err := g.CheckTFTP(lan, "fw.bin", true, false); err != nil {
		t.Errorf("firmware: %v", err)
	}
	// Known MACs and MAC-less names are not probes.
	for _, name := range []string{mac6001 + "-license.cfg", "SEP" + "0004F2A1B2C3" + ".cnf.xml", "000000000000.cfg", "XMLDefault.cnf.xml", "/" + mac7001 + ".boot"} {
		if err := g.CheckTFTP(lan, name, false, false); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for i := range 3 {
		if err := g.CheckTFTP(lan, fmt.Sprintf("SEP0004F2%06X.cnf.xml", 0x400000+i), false, false); err != nil {
			t.Fatalf("probe %d: %v", i, err)
		}
	}
	if err := g.CheckTFTP(lan, "SEP0004F2ABCDEF.cnf.xml", false, false); !errors.Is(err, security.ErrBanned) {
		t.Errorf("fourth probe: %v", err)
	}
	if err := g.CheckTFTP(lan, mac6001+".cfg", true, true); !errors.Is(err, security.ErrBanned) {
		t.Errorf("banned, sensitive: %v", err)
	}
	if err := g.CheckTFTP(lan, "fw.bin", true, false); err != nil {
		t.Errorf("banned, firmware: %v", err)
	}
	if err := g.CheckTFTP(addr("10.9.9.9"), mac6001+".cfg", true, true); err != nil {
		t.Errorf("another LAN address, sensitive, no auth: %v", err)
	}
	g.FlushAudit()
	if sink.count(`"msg":"sensitive file served"`, `"proto":"tftp"`, `"mac":"`+mac6001+`"`, `"remote":"10.9.9.9"`) != 1 {
		t.Error("TFTP serving not audited")
	}

	// HTTP asks for digest: TFTP cannot, so it refuses sensitive routes
	// unless told to serve them.
	dg := guard(security.Config{Auth: security.AuthDigest, User: globalUser, Password: globalPass, TFTP: true})
	if err := dg.CheckTFTP(lan, mac6001+".cfg", true, true); !errors.Is(err, security.ErrCredentialsRequired) {
		t.Errorf("auto with digest: %v", err)
	}
	if err := dg.CheckTFTP(lan, "fw.bin", true, false); err != nil {
		t.Errorf("auto with digest, firmware: %v", err)
	}
	allow := guard(security.Config{Auth: security.AuthDigest, User: globalUser, Password: globalPass, TFTP: true, TFTPSensitive: "allow", TFTPAllow: prefixes("10.0.0.0/8")})
	if err := allow.CheckTFTP(lan, mac6001+".cfg", true, true); err != nil {
		t.Errorf("allow: %v", err)
	}
	deny := guard(security.Config{TFTPSensitive: "deny"})
	if err := deny.CheckTFTP(lan, mac6001+".cfg", true, true); !errors.Is(err, security.ErrCredentialsRequired) {
		t.Errorf("deny: %v", err)
	}
}

// TestOpenToWorld: the daemon's startup warning fires exactly when
// sensitive files reach public addresses without credentials.
func TestOpenToWorld(t *testing.T) {
	tests := []struct {
		name string
		cfg  security.Config
		open bool
	}{
		{"defaults", security.Config{}, true},
		{"LAN allowlist", security.Config{HTTPAllow: prefixes("10.0.0.0/8", "192.168.0.0/16", "fd00::/8")}, false},
		{"allowlist with a public range", security.Config{HTTPAllow: prefixes("10.0.0.0/8", "198.51.0.0/16")}, true},
		{"allowlist wider than private", security.Config{HTTPAllow: prefixes("10.0.0.0/7")}, true},
		{"digest", security.Config{Auth: security.AuthDigest, User: "u", Password: "p"}, false},
		{"digest but TFTP open to all with secrets", security.Config{Auth: security.AuthDigest, User: "u", Password: "p", TFTP: true, TFTPSensitive: "allow"}, true},
		{"digest, TFTP on LAN", security.Config{Auth: security.AuthDigest, User: "u", Password: "p", TFTP: true, TFTPSensitive: "allow", TFTPAllow: prefixes("10.0.0.0/8")}, false},
		{"digest, TFTP auto", security.Config{Auth: security.AuthDigest, User: "u", Password: "p", TFTP: true}, false},
		{"LAN HTTP, TFTP open", security.Config{HTTPAllow: prefixes("10.0.0.0/8"), TFTP: true}, true},
	}
	for _, tt := range tests {
		g, err := security.New(tt.cfg)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := g.OpenToWorld(); got != tt.open || got != (len(g.Exposure()) > 0) || got != g.Status().OpenToWorld {
			t.Errorf("%s: OpenToWorld %v, want %v (%q)", tt.name, got, tt.open, g.Exposure())
		}
	}
}
