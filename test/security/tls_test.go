package security_test

import (
	"crypto/tls"
	"crypto/x509/pkix"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// TestClientCertificates: with client_ca set, a sensitive route needs a
// client certificate from that CA naming the route's phone MAC, in any of the
// notations vendors use (docs/vendors.md#client-certificates: Polycom/Yealink
// common name, Cisco MPP S=<mac>, SANs); another phone's certificate, one
// without a MAC, one from another CA or none at all are refused, while
// firmware is served to all.
func TestClientCertificates(t *testing.T) {
	s := newSite(t)
	pki := newPKI(t, "phones")
	other := newPKI(t, "other")
	srv := startServer(t, s, security.Config{ClientCA: []string{pki.caFile}, ScanThreshold: 100}, serverOptions{tls: pki})
	path := "/phoneprov/" + mac6001 + ".cfg"
	tests := []struct {
		name   string
		cert   *tls.Certificate
		path   string
		status int
	}{
		{"CN 0004F2A1B2C3", cert(pki.issueClient(pkix.Name{CommonName: "0004F2A1B2C3"}, nil, nil)), path, 200},
		{"CN 00:04:f2:a1:b2:c3", cert(pki.issueClient(pkix.Name{CommonName: "00:04:f2:a1:b2:c3"}, nil, nil)), path, 200},
		{"CN 00-04-F2-A1-B2-C3", cert(pki.issueClient(pkix.Name{CommonName: "00-04-F2-A1-B2-C3"}, nil, nil)), path, 200},
		{"Cisco MPP S=<mac>", cert(pki.issueClient(pkix.Name{OrganizationalUnit: []string{"CP-8841-3PCC"}, Locality: []string{"FCH2236ABCD"}, Province: []string{"0004f2a1b2c3"}}, nil, nil)), path, 200},
		{"SAN DNS SEP<MAC>", cert(pki.issueClient(pkix.Name{CommonName: "phone"}, []string{"SEP0004F2A1B2C3.phones.example"}, nil)), path, 200},
		{"SAN URI urn:dev:mac", cert(pki.issueClient(pkix.Name{}, nil, []string{"urn:dev:mac:0004f2a1b2c3"})), path, 200},
		{"another phone's certificate", cert(pki.issueClient(pkix.Name{CommonName: "0004F2C0FFEE"}, nil, nil)), path, 403},
		{"a certificate naming two MACs", cert(pki.issueClient(pkix.Name{CommonName: "0004F2A1B2C3"}, []string{"0004f2c0ffee.phones.example"}, nil)), path, 403},
		{"a certificate without a MAC (Yealink generic)", cert(pki.issueClient(pkix.Name{CommonName: "Yealink Generic"}, nil, nil)), path, 403},
		{"the right MAC from another CA", cert(other.issueClient(pkix.Name{CommonName: "0004F2A1B2C3"}, nil, nil)), path, 403},
		{"no certificate", nil, path, 403},
		{"no certificate, firmware", nil, "/phoneprov/fw.bin", 200},
		{"another CA, firmware", cert(other.issueClient(pkix.Name{CommonName: "x"}, nil, nil)), "/phoneprov/fw.bin", 200},
		{"own certificate, other phone's file", cert(pki.issueClient(pkix.Name{CommonName: "0004F2C0FFEE"}, nil, nil)), "/phoneprov/" + mac7001 + ".cfg", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, tlsClient(srv.pool, tt.cert), http.MethodGet, srv.https+tt.path, nil)
			if r.status != tt.status {
				t.Errorf("status %d, want %d", r.status, tt.status)
			}
			if tt.status != 200 && (strings.Contains(r.body, secret6001) || strings.Contains(r.body, secret7001)) {
				t.Error("secret in a refusal")
			}
		})
	}
	// Plain HTTP cannot carry a certificate: sensitive routes are refused.
	if r := do(t, nil, http.MethodGet, srv.http+path, nil); r.status != 403 {
		t.Errorf("plain HTTP with client_ca: %d", r.status)
	}
	srv.guard.FlushAudit()
	if n := srv.log.served(`"auth":"mtls"`, `"proto":"https"`); n != 7 {
		t.Errorf("the audit counts %d files served over mtls, want 7", n)
	}
	if n := srv.log.count("client certificate names another phone"); n != 2 {
		t.Errorf("%d mismatch warnings, want 2", n)
	}
}

// TestClientCertificateOrDigest: with client_ca and auth = digest, either
// proves the phone.
func TestClientCertificateOrDigest(t *testing.T) {
	requireCurl(t)
	s := newSite(t)
	pki := newPKI(t, "phones")
	cfg := digestConfig()
	cfg.ClientCA = []string{pki.caFile}
	srv := startServer(t, s, cfg, serverOptions{tls: pki})
	path := "/phoneprov/" + mac6001 + ".cfg"
	if r := do(t, tlsClient(srv.pool, cert(pki.issueClient(pkix.Name{CommonName: "0004f2a1b2c3"}, nil, nil))), http.MethodGet, srv.https+path, nil); r.status != 200 {
		t.Errorf("certificate alone: %d", r.status)
	}
	if code, body := curl(t, "--cacert", pki.caFile, "--digest", "-u", globalUser+":"+globalPass, srv.https+path); code != 200 || !strings.Contains(body, secret6001) {
		t.Errorf("digest alone over HTTPS: %d", code)
	}
	if code, _ := curl(t, "--digest", "-u", globalUser+":"+globalPass, srv.http+path); code != 200 {
		t.Errorf("digest alone over HTTP: %d", code)
	}
	// A certificate naming another phone is refused even with the right
	// password: it is an impersonation attempt.
	c := pki.issueClient(pkix.Name{CommonName: "0004f2c0ffee"}, nil, nil)
	first := do(t, tlsClient(srv.pool, &c), http.MethodGet, srv.https+path, nil)
	if first.status != 403 {
		t.Errorf("another phone's certificate: %d", first.status)
	}
}

// TestCertificateReload: a new server certificate written over the old
// files is served to the next connection without a restart; one that does
// not load is logged and the previous one stays.
func TestCertificateReload(t *testing.T) {
	s := newSite(t)
	pki := newPKI(t, "reload")
	srv := startServer(t, s, security.Config{}, serverOptions{tls: pki})
	served := func() string {
		t.Helper()
		c, err := tls.Dial("tcp", strings.TrimPrefix(srv.https, "https://"), &tls.Config{RootCAs: srv.pool})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.ConnectionState().PeerCertificates[0].Subject.CommonName
	}
	if cn := served(); cn != "phoneprovd test server" {
		t.Fatalf("first certificate %q", cn)
	}
	// Renamed into place, as certbot and deployment tools do.
	newCert, newKey := pki.issueServer("second", "second certificate")
	if err := os.Rename(newKey, pki.serverKey); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(newCert, pki.serverCert); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return served() == "second certificate" })

	// Rewritten in place with garbage: the second certificate stays.
	if err := os.WriteFile(pki.serverCert, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if cn := served(); cn != "second certificate" {
		t.Errorf("after a broken write: %q", cn)
	}
	waitFor(t, func() bool { return srv.log.count("cannot reload the TLS certificate") == 1 })
	if srv.log.count("TLS certificate reloaded") != 1 {
		t.Error("reload not logged once")
	}
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 10s")
}

func cert(c tls.Certificate) *tls.Certificate { return &c }
