package security

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// selfSigned writes a self-signed CA certificate and key named cn to dir
// and returns the file names and the certificate.
func selfSigned(t *testing.T, dir, base, cn string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, base+".pem"), filepath.Join(dir, base+".key")
	writeFile(t, certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	writeFile(t, keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))
	cert, _ = x509.ParseCertificate(der)
	return certFile, keyFile, cert
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// handshakeConfig returns the configuration the HTTPS listener of g would
// use for a handshake now.
func handshakeConfig(t *testing.T, g *Guard) *tls.Config {
	t.Helper()
	tc, err := g.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := tc.GetConfigForClient(&tls.ClientHelloInfo{})
	if err != nil {
		t.Fatal(err)
	}
	return hc
}

func TestTLSConfigReloads(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := selfSigned(t, dir, "server", "first")
	g, err := New(Config{TLSCert: certFile, TLSKey: keyFile, TLSMinVersion: tls.VersionTLS13})
	if err != nil {
		t.Fatal(err)
	}
	tc := handshakeConfig(t, g)
	if tc.MinVersion != tls.VersionTLS13 || tc.ClientAuth != tls.NoClientCert {
		t.Errorf("config %+v", tc)
	}
	cn := func() string {
		c, err := tc.GetCertificate(&tls.ClientHelloInfo{})
		if err != nil {
			t.Fatal(err)
		}
		leaf, _ := x509.ParseCertificate(c.Certificate[0])
		return leaf.Subject.CommonName
	}
	if cn() != "first" {
		t.Fatal("first certificate not served")
	}
	// A new pair is picked up once the recheck interval has passed.
	newCert, newKey, _ := selfSigned(t, dir, "next", "second")
	os.Rename(newKey, keyFile)
	os.Rename(newCert, certFile)
	time.Sleep(minRecheck + 50*time.Millisecond)
	if got := cn(); got != "second" {
		t.Errorf("after the change: %q", got)
	}
	// A certificate without its key does not load: the old pair stays.
	third, _, _ := selfSigned(t, dir, "third", "third")
	os.Rename(third, certFile)
	time.Sleep(minRecheck + 50*time.Millisecond)
	if got := cn(); got != "second" {
		t.Errorf("after a mismatched certificate: %q", got)
	}
}

func TestTLSConfigErrors(t *testing.T) {
	g, _ := newTestGuard(t, Config{})
	if _, err := g.TLSConfig(); !errors.Is(err, ErrNoCertificate) {
		t.Errorf("no certificate: %v", err)
	}
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	os.WriteFile(junk, []byte("junk"), 0o600)
	certFile, keyFile, _ := selfSigned(t, dir, "s", "s")
	for name, cfg := range map[string]Config{
		"missing certificate": {TLSCert: filepath.Join(dir, "nope.pem"), TLSKey: keyFile},
		"junk key":            {TLSCert: certFile, TLSKey: junk},
		"junk client CA":      {TLSCert: certFile, TLSKey: keyFile, ClientCA: []string{junk}},
		"missing client CA":   {TLSCert: certFile, TLSKey: keyFile, ClientCA: []string{filepath.Join(dir, "nope.pem")}},
		"client CA, no cert":  {ClientCA: []string{certFile}},
		"certificate alone":   {TLSCert: certFile},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestClientCAReload(t *testing.T) {
	// The client CA bundle is re-read when it changes: a phone CA added
	// to it is trusted without a restart.
	dir := t.TempDir()
	serverCert, serverKey, _ := selfSigned(t, dir, "server", "server")
	caFile, _, caA := selfSigned(t, dir, "caA", "A")
	_, _, caB := selfSigned(t, dir, "caB", "B")
	g, err := New(Config{TLSCert: serverCert, TLSKey: serverKey, ClientCA: []string{caFile}})
	if err != nil {
		t.Fatal(err)
	}
	if tc := handshakeConfig(t, g); tc.ClientAuth != tls.RequestClientCert {
		t.Errorf("client auth %v", tc.ClientAuth)
	}
	trusted := func(c *x509.Certificate) bool {
		return g.peerCertificate(&tls.ConnectionState{PeerCertificates: []*x509.Certificate{c}}).verified
	}
	if !trusted(caA) || trusted(caB) {
		t.Fatal("initial pool wrong")
	}
	both := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caA.Raw}), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caB.Raw})...)
	writeFile(t, caFile, both)
	time.Sleep(minRecheck + 50*time.Millisecond)
	if !trusted(caB) {
		t.Error("new CA not trusted after the bundle changed")
	}
	// A broken bundle keeps the previous pool.
	writeFile(t, caFile, []byte("broken"))
	time.Sleep(minRecheck + 50*time.Millisecond)
	if !trusted(caA) || !trusted(caB) {
		t.Error("broken bundle dropped the pool")
	}
}
