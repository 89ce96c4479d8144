package console

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
)

func TestCheckExposure(t *testing.T) {
	creds := Access{User: "admin", Password: "pw"}
	tests := []struct {
		reachable bool
		a         Access
		tls       bool
		want      string // "" when allowed
	}{
		{false, Access{}, false, ""},
		{false, creds, false, ""},
		{true, creds, true, ""},
		{true, Access{}, false, "without credentials or HTTPS"},
		{true, Access{}, true, "without credentials:"},
		{true, creds, false, "without HTTPS:"},
		{true, Access{User: "admin"}, true, "without credentials:"},
	}
	for _, tt := range tests {
		err := CheckExposure("0.0.0.0:8081", tt.reachable, tt.a, tt.tls)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%+v: %v", tt, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "0.0.0.0:8081")):
			t.Errorf("%+v: %v, want %q", tt, err, tt.want)
		}
	}
}

func TestProtect(t *testing.T) {
	var logs testlog.Buffer
	posted := 0
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posted++
		}
		w.Write([]byte("ok"))
	})
	srv := httptest.NewServer(Protect(inner, Access{User: "admin", Password: "correct horse", Logger: logs.Logger()}))
	defer srv.Close()
	do := func(method, path, user, pw string, header map[string]string) int {
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		if user != "" {
			req.SetBasicAuth(user, pw)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 401 && !strings.Contains(resp.Header.Get("WWW-Authenticate"), `Basic realm="phoneprovd admin"`) {
			t.Errorf("401 without a Basic challenge: %q", resp.Header.Get("WWW-Authenticate"))
		}
		return resp.StatusCode
	}
	tests := []struct {
		method, path, user, pw string
		header                 map[string]string
		want                   int
	}{
		{"GET", "/", "", "", nil, 401},
		{"GET", "/status", "admin", "wrong", nil, 401},
		{"GET", "/status", "root", "correct horse", nil, 401},
		{"GET", "/", "admin", "correct horse", nil, 200},
		{"GET", "/healthz", "", "", nil, 200}, // health checks need no credentials
		{"GET", "/readyz", "", "", nil, 200},
		{"POST", "/resync", "", "", nil, 401},
		// The CLI (no Origin, no Sec-Fetch-Site) and the console's own pages.
		{"POST", "/resync", "admin", "correct horse", nil, 200},
		{"POST", "/resync", "admin", "correct horse", map[string]string{"Sec-Fetch-Site": "same-origin"}, 200},
		// A page of another origin, even with the browser's credentials.
		{"POST", "/resync", "admin", "correct horse", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"POST", "/unban", "admin", "correct horse", map[string]string{"Origin": "http://127.0.0.1:9"}, 403},
	}
	for _, tt := range tests {
		if got := do(tt.method, tt.path, tt.user, tt.pw, tt.header); got != tt.want {
			t.Errorf("%s %s as %q/%q %v: %d, want %d", tt.method, tt.path, tt.user, tt.pw, tt.header, got, tt.want)
		}
	}
	if posted != 2 {
		t.Errorf("%d POSTs reached the handler, want 2", posted)
	}
	// Wrong credentials are logged (once per 10 s), never the password tried.
	out := logs.String()
	if !strings.Contains(out, "admin authentication failed") || strings.Contains(out, "wrong") || strings.Contains(out, "correct horse") {
		t.Errorf("log:\n%s", out)
	}
	// Without credentials configured (loopback), only forgery is refused.
	open := httptest.NewServer(Protect(inner, Access{}))
	defer open.Close()
	for _, tt := range []struct {
		header map[string]string
		want   int
	}{{nil, 200}, {map[string]string{"Sec-Fetch-Site": "cross-site"}, 403}} {
		req, _ := http.NewRequest("POST", open.URL+"/resync", nil)
		for k, v := range tt.header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("open listener, %v: %d", tt.header, resp.StatusCode)
		}
	}
}

// writeCert writes a self-signed certificate for name and its key.
func writeCert(t *testing.T, dir, name string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		DNSNames: []string{name}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "admin.pem"), filepath.Join(dir, "admin.key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

func TestTLSConfigReloads(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writeCert(t, dir, "one.example")
	var logs testlog.Buffer
	files, err := loadCertFiles(certFile, keyFile, logs.Logger())
	if err != nil {
		t.Fatal(err)
	}
	name := func() string {
		c, err := files.get(&tls.ClientHelloInfo{})
		if err != nil {
			t.Fatal(err)
		}
		leaf, _ := x509.ParseCertificate(c.Certificate[0])
		return leaf.Subject.CommonName
	}
	if got := name(); got != "one.example" {
		t.Fatalf("certificate %q", got)
	}
	// Renewed: served after the next look at the files.
	time.Sleep(10 * time.Millisecond)
	writeCert(t, dir, "two.example")
	files.mu.Lock()
	files.checked = time.Time{}
	files.mu.Unlock()
	if got := name(); got != "two.example" {
		t.Errorf("after renewal: %q", got)
	}
	// A broken file keeps the previous certificate.
	os.WriteFile(keyFile, []byte("not a key"), 0o600)
	files.mu.Lock()
	files.checked = time.Time{}
	files.mu.Unlock()
	if got := name(); got != "two.example" || !strings.Contains(logs.String(), "does not load") {
		t.Errorf("after a broken key: %q\n%s", got, logs.String())
	}
	if _, err := TLSConfig(filepath.Join(dir, "none.pem"), keyFile, nil); err == nil {
		t.Error("a missing certificate was accepted")
	}
	// Unchanged files are not read again.
	before := files.pair
	files.mu.Lock()
	files.checked = time.Time{}
	files.mu.Unlock()
	name()
	if files.pair != before {
		t.Error("unchanged files loaded again")
	}
}

// TestProtectOwnAuth checks that paths authenticating requests themselves
// (DHCP lease events, by the [dhcp] token) are let through without the
// admin's Basic credentials, and that nothing else is.
func TestProtectOwnAuth(t *testing.T) {
	reached := ""
	h := Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = r.URL.Path }),
		Access{User: "ops", Password: "pw", OwnAuth: []string{"/dhcp/leases"}})
	for _, tt := range []struct {
		path string
		want int
	}{{"/dhcp/leases", http.StatusOK}, {"/status", http.StatusUnauthorized}, {"/dhcp/leases/x", http.StatusUnauthorized}} {
		reached = ""
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "http://admin"+tt.path, strings.NewReader("{}")))
		if rec.Code != tt.want || (tt.want == http.StatusOK) != (reached == tt.path) {
			t.Errorf("POST %s: %d (reached %q), want %d", tt.path, rec.Code, reached, tt.want)
		}
	}
}
