// Package security_test checks phoneprovd's protection of SIP secrets end
// to end: a real HTTP(S) server (httpserver with a security.Guard) on a
// kernel-chosen loopback port, driven by real clients (curl, net/http, raw
// TCP), with every log line captured and searched for secrets.
package security_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// Secrets of the test site. No log line may ever contain one.
const (
	secret6001    = "sip-6001-Zq8wPz"     // SIP secret, global-credential phone
	secret7001    = "sip-7001-Kx3vRt"     // SIP secret, per-phone-credential phone
	provUser7001  = "prov-7001-user"      // PROV_USER of 7001
	provPass7001  = "prov-7001-Pw9sLm"    // PROV_PASSWORD of 7001
	globalUser    = "site-prov"           // auth_user
	globalPass    = "site-prov-Gh4nBv"    // auth_password
	outsideSecret = "OUTSIDE-DATA-DIR-42" // content of a file outside the data dir
)

// MACs of the test site.
const (
	mac6001 = "0004f2a1b2c3" // users.conf, global credentials
	mac7001 = "0004f2c0ffee" // pjsip.conf, PROV_USER/PROV_PASSWORD
)

// allSecrets are what logs are searched for.
var allSecrets = []string{secret6001, secret7001, provPass7001, globalPass, outsideSecret}

// site is a throwaway Asterisk config dir and data dir with two phones:
// 6001 from users.conf and 7001 from pjsip.conf with its own provisioning
// credentials. Their <mac>.cfg carries SECRET; <mac>-directory.xml does
// not; fw.bin is a static firmware file.
type site struct {
	*phoneprovtest.Site
	extraUsers []string // more users.conf sections
}

func newSite(t testing.TB) *site {
	t.Helper()
	s := &site{Site: phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf": `[general]
default_profile = polycom
[polycom]
mime_type => text/xml
static_file => fw.bin,application/octet-stream
static_file => link.bin
static_file => ../outside.txt
static_file => dir
${MAC}.cfg => sip.cfg
${MAC}-directory.xml => directory.xml
`,
		"etc/pjsip.conf": `[udp]
type = transport
bind = 0.0.0.0:5060
[7001]
type = endpoint
transport = udp
auth = 7001-auth
callerid = "Per Phone" <7001>
[7001-auth]
type = auth
username = 7001
password = ` + secret7001 + `
[pp7001]
type = phoneprov
endpoint = 7001
MAC = ` + mac7001 + `
PROFILE = polycom
PROV_USER = ` + provUser7001 + `
PROV_PASSWORD = ` + provPass7001 + `
`,
		"lib/phoneprov/sip.cfg":       "<sip user=\"${USERNAME}\" secret=\"${SECRET}\" server=\"${SERVER}\"/>\n",
		"lib/phoneprov/directory.xml": "<directory owner=\"${USERNAME}\"/>\n",
		"lib/phoneprov/fw.bin":        "\x00firmware\xff",
		"lib/outside.txt":             outsideSecret,
		"outside-root.txt":            outsideSecret,
	})}
	s.writeUsers()
	if err := os.MkdirAll(s.Path("lib/phoneprov/dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(s.Path("outside-root.txt"), s.Path("lib/phoneprov/link.bin")); err != nil {
		t.Fatal(err)
	}
	return s
}

// addUsers adds n users.conf phones with MACs 0004f2 0000xx and secrets
// "bulk-secret-<i>".
func (s *site) addUsers(n int) []string {
	var macs []string
	for i := range n {
		mac := fmt.Sprintf("0004f2%06x", 0x100000+i)
		macs = append(macs, mac)
		s.extraUsers = append(s.extraUsers, fmt.Sprintf("[%d]\nusername = %d\nsecret = bulk-secret-%d\nmacaddress = %s\nautoprov = yes\n", 8000+i, 8000+i, i, mac))
	}
	s.writeUsers()
	return macs
}

func (s *site) writeUsers() {
	s.Write("etc/users.conf", "[6001]\nusername = 6001\nfullname = Global Creds\nsecret = "+secret6001+"\nmacaddress = "+mac6001+"\nautoprov = yes\n"+strings.Join(s.extraUsers, ""))
}

// load builds a snapshot, logging to log.
func (s *site) load(log *slog.Logger) *phoneprov.Snapshot {
	s.Options.Logger = log
	return s.Load()
}

// logSink captures JSON log lines; at the end of the test it fails if one
// holds a secret.
type logSink struct{ testlog.Buffer }

func newLogSink(t testing.TB) *logSink {
	l := &logSink{}
	t.Cleanup(func() {
		text := l.String()
		l.NoSecrets(t, allSecrets...)
		// Bulk users' secrets, and anything that looks like an
		// Authorization header.
		bad := []string{"bulk-secret-", "Authorization:", "response="}
		for _, pair := range [][2]string{{provUser7001, provPass7001}, {globalUser, globalPass}} {
			bad = append(bad, base64.StdEncoding.EncodeToString([]byte(pair[0]+":"+pair[1])))
		}
		for _, bad := range bad {
			if strings.Contains(text, bad) {
				t.Errorf("a log line holds %q", bad)
			}
		}
		if t.Failed() {
			t.Logf("log:\n%s", text)
		}
	})
	return l
}

func (l *logSink) logger() *slog.Logger { return l.Logger() }

// served sums the counts of the audit lines that contain all of parts:
// the sensitive files served, as the aggregated audit log reports them.
func (l *logSink) served(parts ...string) int {
	n := 0
	for _, line := range strings.Split(l.String(), "\n") {
		ok := strings.Contains(line, `"msg":"sensitive file served"`)
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if !ok {
			continue
		}
		var v struct{ Count int }
		if json.Unmarshal([]byte(line), &v) == nil {
			n += v.Count
		}
	}
	return n
}

// count returns how many lines contain all of parts.
func (l *logSink) count(parts ...string) int {
	n := 0
	for _, line := range strings.Split(l.String(), "\n") {
		ok := line != ""
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			n++
		}
	}
	return n
}

// clock is a settable clock for the guard.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// server is a running phone-facing server with a guard.
type server struct {
	guard  *security.Guard
	log    *logSink
	http   string // base URL, e.g. http://127.0.0.1:1234
	https  string // "" without TLS
	pool   *x509.CertPool
	limit  *security.ConnLimit
	srv    *http.Server
	tlsSrv *http.Server
}

// serverOptions tune startServer.
type serverOptions struct {
	tls      *testPKI // serve HTTPS with its server certificate
	maxConns int
	tune     func(*http.Server) // adjust timeouts
	snap     *phoneprov.Snapshot
}

// startServer serves s with a guard made from cfg, on 127.0.0.1 ports
// the kernel chooses.
func startServer(t *testing.T, s *site, cfg security.Config, o serverOptions) *server {
	t.Helper()
	sink := newLogSink(t)
	log := sink.logger()
	snap := o.snap
	if snap == nil {
		snap = s.load(log)
	}
	src := phoneprovtest.Fixed(snap)
	cfg.Logger = log
	cfg.Snapshots = src
	if o.tls != nil {
		cfg.TLSCert, cfg.TLSKey = o.tls.serverCert, o.tls.serverKey
	}
	g, err := security.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := httpserver.NewHandler(src, httpserver.Config{ServerName: "phoneprovd", Logger: log, Guard: g})
	out := &server{guard: g, log: sink, limit: security.NewConnLimit(o.maxConns)}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	out.srv = httpserver.NewServer(h)
	out.srv.ConnState = out.limit.ConnState
	out.srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelDebug)
	if o.tune != nil {
		o.tune(out.srv)
	}
	out.http = "http://" + ln.Addr().String()
	go out.srv.Serve(out.limit.Listener(ln))
	t.Cleanup(func() { shutdown(out.srv) })

	if o.tls != nil {
		tc, err := g.TLSConfig()
		if err != nil {
			t.Fatal(err)
		}
		tln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		out.tlsSrv = httpserver.NewTLSServer(h, tc)
		out.tlsSrv.ConnState = out.limit.ConnState
		out.tlsSrv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelDebug)
		if o.tune != nil {
			o.tune(out.tlsSrv)
		}
		out.https = "https://" + tln.Addr().String()
		out.pool = o.tls.pool()
		go out.tlsSrv.ServeTLS(out.limit.Listener(tln), "", "")
		t.Cleanup(func() { shutdown(out.tlsSrv) })
	}
	return out
}

func shutdown(s *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		s.Close()
	}
}

// response is what a request got.
type response struct {
	status int
	header http.Header
	body   string
}

// do sends a request with a fresh connection (no keep-alive between
// tests' requests) and optional headers.
func do(t *testing.T, client *http.Client, method, url string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if client == nil {
		client = plainClient()
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(b)}
}

// plainClient is an HTTP client without keep-alive.
func plainClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
}

// tlsClient trusts pool and presents cert, if any.
func tlsClient(pool *x509.CertPool, cert *tls.Certificate) *http.Client {
	tc := &tls.Config{RootCAs: pool}
	if cert != nil {
		tc.Certificates = []tls.Certificate{*cert}
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: tc, DisableKeepAlives: true}, Timeout: 10 * time.Second}
}

// rawGet sends request target as is (no client-side cleaning of "..") and
// returns the status and body.
func rawGet(t *testing.T, base, target string) (int, string) {
	t.Helper()
	u, _ := url.Parse(base)
	c, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, u.Host)
	b, _ := io.ReadAll(c)
	head, body, _ := strings.Cut(string(b), "\r\n\r\n")
	var status int
	fmt.Sscanf(head, "HTTP/1.1 %d", &status)
	return status, body
}

// testPKI is a CA with a server certificate for 127.0.0.1 and whatever
// client certificates a test asks for, written to a temp dir.
type testPKI struct {
	t                     *testing.T
	dir                   string
	ca                    *x509.Certificate
	caKey                 *ecdsa.PrivateKey
	caFile                string
	serverCert, serverKey string
}

func newPKI(t *testing.T, name string) *testPKI {
	t.Helper()
	p := &testPKI{t: t, dir: t.TempDir()}
	p.caKey = newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name + " Test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &p.caKey.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	p.ca, _ = x509.ParseCertificate(der)
	p.caFile = filepath.Join(p.dir, "ca.pem")
	writePEM(t, p.caFile, "CERTIFICATE", der)
	p.serverCert, p.serverKey = p.issueServer("server", "phoneprovd test server")
	return p
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

var serial struct {
	mu sync.Mutex
	n  int64
}

func nextSerial() *big.Int {
	serial.mu.Lock()
	defer serial.mu.Unlock()
	serial.n++
	return big.NewInt(100 + serial.n)
}

// issueServer writes a server certificate for 127.0.0.1 and ::1 with the
// given common name and returns the cert and key file names.
func (p *testPKI) issueServer(base, cn string) (string, string) {
	key := newKey(p.t)
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	if err != nil {
		p.t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	cert, keyFile := filepath.Join(p.dir, base+".pem"), filepath.Join(p.dir, base+"-key.pem")
	writePEM(p.t, cert, "CERTIFICATE", der)
	writePEM(p.t, keyFile, "EC PRIVATE KEY", kder)
	return cert, keyFile
}

// issueClient returns a client certificate with the given subject and
// subject alternative names.
func (p *testPKI) issueClient(subject pkix.Name, dns []string, uris []string) tls.Certificate {
	key := newKey(p.t)
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(),
		Subject:      subject,
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		DNSNames:     dns,
	}
	for _, s := range uris {
		u, err := url.Parse(s)
		if err != nil {
			p.t.Fatal(err)
		}
		tmpl.URIs = append(tmpl.URIs, u)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	if err != nil {
		p.t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

func (p *testPKI) pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.ca)
	return pool
}

// addr parses an address.
func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

// prefixes parses CIDR prefixes.
func prefixes(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
