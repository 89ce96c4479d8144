package security

import (
	"crypto/tls"
	"crypto/x509"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReconfigure changes a running Guard's configuration: the new rules
// apply to the next request, bans and nonces survive, and a bad
// configuration is refused whole.
func TestReconfigure(t *testing.T) {
	snap := testSnapshot(t)
	g, now := newTestGuard(t, Config{ScanThreshold: 1, Auth: AuthDigest, User: "u", Password: "p", NonceLifetime: time.Minute})
	admitted := func(remote string) bool { return g.Admit(newHTTPRequest(remote, "/phoneprov/x.cfg")) == nil }
	probe := func(remote, uri string) {
		g.Unmatched(newHTTPRequest(remote, "/phoneprov/"+uri), snap, uri)
	}
	if !admitted("192.0.2.1:5060") {
		t.Fatal("no allowlist: refused")
	}
	probe("198.51.100.9:1", "0004f2000001.cfg")
	probe("198.51.100.9:1", "0004f2000002.cfg")
	if !g.isBanned(mustAddr("198.51.100.9")) {
		t.Fatal("not banned")
	}
	nonce := g.nonces.mint(*now)

	// An allowlist: the next request from outside it is refused.
	if err := g.Reconfigure(Config{ScanThreshold: 1, HTTPAllow: pfx("10.0.0.0/8"), Auth: AuthDigest, User: "u", Password: "p", NonceLifetime: time.Minute}); err != nil {
		t.Fatal(err)
	}
	if admitted("192.0.2.1:5060") || !admitted("10.1.2.3:5060") {
		t.Error("http_allow not applied")
	}
	if !g.isBanned(mustAddr("198.51.100.9")) {
		t.Error("the ban was lost")
	}
	if st, _ := g.nonces.check(nonce, *now); st != nonceValid {
		t.Error("a nonce issued before is no longer ours")
	}
	st := g.Status()
	if len(st.HTTPAllow) != 1 || st.HTTPAllow[0] != "10.0.0.0/8" || st.Auth != AuthDigest {
		t.Errorf("status %+v", st)
	}

	// A shorter nonce lifetime makes an older nonce stale; scan
	// protection off lets the banned source through (its ban is kept
	// dormant).
	if err := g.Reconfigure(Config{NonceLifetime: time.Second}); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(2 * time.Second)
	if st, _ := g.nonces.check(nonce, *now); st != nonceStale {
		t.Error("the new nonce lifetime was not applied")
	}
	if g.isBanned(mustAddr("198.51.100.9")) || g.Status().ScanOn {
		t.Error("scan protection still on")
	}
	if !admitted("192.0.2.1:5060") {
		t.Error("the allowlist removed is still enforced")
	}

	// A bad configuration is refused; the one in force stays.
	if err := g.Reconfigure(Config{User: "u"}); err == nil || !strings.Contains(err.Error(), "user and password go together") {
		t.Errorf("err = %v", err)
	}
	if err := g.Reconfigure(Config{HTTPAllow: pfx("10.0.0.0/8"), TLSCert: "/nonexistent/cert.pem", TLSKey: "/nonexistent/key.pem"}); err == nil {
		t.Error("a certificate that does not load was accepted")
	}
	if !admitted("192.0.2.1:5060") {
		t.Error("a refused configuration was applied")
	}
}

// TestReconfigureTLS: the HTTPS listener's handshakes follow the
// certificate, minimum version and client CAs in force.
func TestReconfigureTLS(t *testing.T) {
	dir := t.TempDir()
	certA, keyA, _ := selfSigned(t, dir, "a", "first")
	certB, keyB, _ := selfSigned(t, dir, "b", "second")
	g, err := New(Config{TLSCert: certA, TLSKey: keyA})
	if err != nil {
		t.Fatal(err)
	}
	tc, err := g.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	served := func() (string, *tls.Config) {
		hc, err := tc.GetConfigForClient(&tls.ClientHelloInfo{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := hc.GetCertificate(&tls.ClientHelloInfo{})
		if err != nil {
			t.Fatal(err)
		}
		leaf, _ := x509.ParseCertificate(c.Certificate[0])
		return leaf.Subject.CommonName, hc
	}
	if cn, hc := served(); cn != "first" || hc.MinVersion != tls.VersionTLS12 || hc.ClientAuth != tls.NoClientCert {
		t.Fatalf("start: %s %+v", cn, hc)
	}
	if err := g.Reconfigure(Config{TLSCert: certB, TLSKey: keyB, TLSMinVersion: tls.VersionTLS13, ClientCA: []string{filepath.Join(dir, "b.pem")}}); err != nil {
		t.Fatal(err)
	}
	if cn, hc := served(); cn != "second" || hc.MinVersion != tls.VersionTLS13 || hc.ClientAuth != tls.RequestClientCert {
		t.Errorf("after Reconfigure: %s %+v", cn, hc)
	}
	// Without a certificate, handshakes fail.
	if err := g.Reconfigure(Config{}); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.GetConfigForClient(&tls.ClientHelloInfo{}); err == nil {
		t.Error("a handshake without a certificate")
	}
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
