package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/console/browsertest"
)

// The web console on the admin listener of the real binary.

// consoleSite is a phoneprovd with one phone, the files in root.
func consoleSite(t *testing.T, conf string) (root string) {
	root = t.TempDir()
	writeFiles(t, root, map[string]string{
		"etc/phoneprovd.conf": conf,
		"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => a.cfg\n",
		"etc/users.conf":      "[6001]\nusername = 6001\nsecret = console-pw-6001\nmacaddress = 0004f2000001\nautoprov = yes\nprofile = p\n",
		"lib/phoneprov/a.cfg": "user=${USERNAME} password=${SECRET}\n",
	})
	return root
}

func TestConsoleRefusesAnExposedAdminListener(t *testing.T) {
	for _, tt := range []struct{ conf, want string }{
		{"", "without credentials or HTTPS"},
		{"[admin]\nuser = admin\npassword = long-admin-pw\n", "without HTTPS"},
	} {
		root := consoleSite(t, tt.conf)
		// Refused before any listener is opened.
		r := run(t, "", "serve", "-config-dir", filepath.Join(root, "etc"), "-data-dir", filepath.Join(root, "lib"),
			"-http", freeAddr(t), "-admin", "0.0.0.0:0", "-state-dir", t.TempDir())
		if r.code != 1 || !strings.Contains(r.stderr, "the admin listener 0.0.0.0:0 is reachable from other hosts "+tt.want) || !strings.Contains(r.stderr, "[admin] user and password") {
			t.Errorf("%q: exit %d\n%s", tt.conf, r.code, r.stderr)
		}
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key under dir.
func selfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "phoneprovd admin"},
		DNSNames: []string{"pbx.example.com"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(k)
	cert, key = filepath.Join(dir, "admin.pem"), filepath.Join(dir, "admin.key")
	writeFiles(t, dir, map[string]string{
		"admin.pem": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		"admin.key": string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})),
	})
	return cert, key
}

func TestConsoleCredentialsOverHTTPS(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	root := consoleSite(t, fmt.Sprintf("[admin]\nuser = admin\npassword = long-admin-pw\ntls_cert = %s\ntls_key = %s\n", cert, key))
	d := startDaemon(t, "-config-dir", filepath.Join(root, "etc"), "-data-dir", filepath.Join(root, "lib"))
	d.waitBody(t, "/phoneprov/0004f2000001.cfg", "user=6001 password=console-pw-6001\n")

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	get := func(path, user, pw string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, "https://"+d.admin+path, nil)
		if user != "" {
			req.SetBasicAuth(user, pw)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/", "", ""); code != http.StatusUnauthorized {
		t.Errorf("the console without credentials: %d", code)
	}
	if code, _ := get("/status", "admin", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("/status with a wrong password: %d", code)
	}
	if code, _ := get("/readyz", "", ""); code != http.StatusOK {
		t.Errorf("/readyz: %d", code)
	}
	code, body := get("/phones/0004f2000001", "admin", "long-admin-pw")
	if code != http.StatusOK || !strings.Contains(body, "a.cfg") || !strings.Contains(body, "password=••••••••") || strings.Contains(body, "console-pw-6001") {
		t.Errorf("the phone page: %d\n%s", code, body)
	}
	// Plain HTTP is not served.
	if resp, err := http.Get("http://" + d.admin + "/"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("the console answers over plain HTTP")
		}
	}
	// The commands use the credentials and trust the configured certificate.
	r := run(t, "", "phones", "-config-dir", filepath.Join(root, "etc"), "-admin", d.admin)
	if r.code != 0 || !strings.Contains(r.stdout, "0004f2000001") {
		t.Errorf("phoneprovd phones: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(d.stderr.String(), "long-admin-pw") || strings.Contains(d.stderr.String(), "wrong") {
		t.Error("the log shows a password tried")
	}
}

// TestConsoleResyncInBrowser clicks the re-sync button of a phone's page
// in Chromium: one NOTIFY through the AMI fake. A page of another origin
// posting the same form is refused.
func TestConsoleResyncInBrowser(t *testing.T) {
	s := newResyncSite(t, 2, "[resync]\njitter = 0s\n")
	s.d.waitBody(t, "/phoneprov/0004f2000001.cfg", "a 7001\n")
	b := browsertest.Need(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	console := "http://" + s.d.admin
	if err := p.Navigate(ctx, console+"/"); err != nil {
		t.Fatal(err)
	}
	var macs []string
	p.Eval(ctx, `[...document.querySelectorAll("#fleet tr.phone")].map(r => r.dataset.mac)`, &macs)
	if strings.Join(macs, " ") != "0004f2000001 0004f2000002" {
		t.Fatalf("the fleet shows %q", macs)
	}
	if err := p.ClickAndWait(ctx, `a[href="/phones/0004f2000001"]`); err != nil {
		t.Fatal(err)
	}
	if err := p.ClickAndWait(ctx, "#resync-button"); err != nil {
		t.Fatal(err)
	}
	got := s.waitNotifies(1, 300*time.Millisecond)
	if len(got) != 1 || !strings.Contains(string(got[0].Raw), "Endpoint: 7001\r\n") {
		t.Fatalf("NOTIFYs after one click: %d %+v", len(got), got)
	}
	if text, _ := p.Text(ctx); !strings.Contains(text, "Re-sync queued") {
		t.Errorf("after the click:\n%s", text)
	}

	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!DOCTYPE html><form id="f" method="post" action="%s/phones/0004f2000001/resync"></form>
<script>document.getElementById("f").submit()</script>`, console)
	}))
	defer evil.Close()
	if err := p.Navigate(ctx, evil.URL); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `location.href.startsWith("`+console+`") && document.body && document.body.innerText.includes("refused")`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(s.notifies()); n != 1 {
		t.Errorf("%d NOTIFYs after the forged POST, want still 1", n)
	}
	if strings.Contains(s.d.stderr.String(), "pw7001") {
		t.Error("the log shows a SIP password")
	}
}
