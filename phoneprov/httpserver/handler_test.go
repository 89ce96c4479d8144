package httpserver

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
)

func TestURIDecode(t *testing.T) {
	// main/utils.c ast_uri_decode with ast_uri_http_legacy, as measured on
	// 20.20.1 (docs/asterisk.md#request-paths).
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a+b", "a b"},
		{"%41%62", "Ab"},
		{"%2F", "/"},
		{"%zz", "%zz"},
		{"50%", "50%"},
		{"%4", "%4"},
		{"x%4", "x%4"},
		{"%4z", "\x04"},
		{"%41z", "Az"},
		{"a%00b", "a"},
		{"a\x00b", "a"}, // a raw NUL ends the C string too, with nothing to decode
		{"%%41", "%A"},
		{"%-1", "\xff"},
	}
	for _, tt := range tests {
		if got := uriDecode(tt.in); got != tt.want {
			t.Errorf("uriDecode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestXMLEscape(t *testing.T) {
	// main/utils.c ast_xml_escape.
	if got := xmlEscape(`<a href="x">'&'</a>`, 512); got != "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;" {
		t.Errorf("got %q", got)
	}
	// 511 bytes at most; an entity that does not fit is dropped whole.
	long := strings.Repeat("a", 508) + "&b"
	if got := xmlEscape(long, 512); got != strings.Repeat("a", 508) {
		t.Errorf("entity across the limit: %q", got[500:])
	}
	if got := xmlEscape(strings.Repeat("b", 600), 512); len(got) != 511 {
		t.Errorf("len %d", len(got))
	}
}

// testSite is a one-phone configuration with a directory in a route.
func testSite(t *testing.T) *phoneprovtest.Site {
	return phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf":        "[general]\ndefault_profile = p\n[p]\nstatic_file => fw/boot.bin\n${MAC}.cfg => t.cfg\ncfg/${MAC}.xml => t.cfg\n",
		"etc/users.conf":            "[u]\nusername = 6001\nmacaddress = 0004f2000001\nautoprov = yes\n",
		"lib/phoneprov/t.cfg":       "server=${SERVER}\n",
		"lib/phoneprov/fw/boot.bin": "\x00\x01binary\xff",
	})
}

// testSnapshot loads testSite.
func testSnapshot(t *testing.T) *phoneprov.Snapshot { return testSite(t).Load() }

func get(t *testing.T, method, url string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestHandlerPaths(t *testing.T) {
	srv := httptest.NewServer(NewHandler(phoneprovtest.Fixed(testSnapshot(t)), Config{ServerName: "pp"}))
	defer srv.Close()
	tests := []struct {
		path   string
		status int
		body   string // substring
	}{
		{"/phoneprov/0004f2000001.cfg", 200, "server=127.0.0.1\n"},
		{"/PhoneProv/0004f2000001.cfg", 200, "server="},                 // handler name matched case-insensitively
		{"/phoneprov/0004f2000001.cfg?x=1&y", 200, "server="},           // query removed
		{"/phoneprov/%30004f2000001.cfg", 200, "server="},               // decoded before lookup
		{"/phoneprov/cfg%2F0004f2000001.xml", 200, "server="},           // %2F decoded after the handler matched
		{"/phoneprov/cfg/0004f2000001.xml", 200, "server="},             // a directory in a route
		{"/phoneprov/0004F2000001.cfg", 404, "<p>0004F2000001.cfg</p>"}, // routes are case-sensitive
		{"/phoneprov//0004f2000001.cfg", 404, "<p>/0004f2000001.cfg</p>"},
		{"/phoneprov/<script>", 404, "<p>&lt;script&gt;</p>"}, // escaped (GHSA-4pgv-j3mr-3rcp)
		{"/phoneprov/a+b%3Cc", 404, "<p>a b&lt;c</p>"},
		{"/phoneprov", 404, "<p></p>"},
		{"/phoneprovx/0004f2000001.cfg", 404, "The requested URL was not found on this server."},
		{"/other", 404, "The requested URL was not found on this server."},
		{"/phoneprov/fw/boot.bin", 200, "\x00\x01binary\xff"},
	}
	for _, tt := range tests {
		status, hdr, body := get(t, http.MethodGet, srv.URL+tt.path)
		if status != tt.status || !strings.Contains(body, tt.body) {
			t.Errorf("GET %s = %d %q; want %d containing %q", tt.path, status, body, tt.status, tt.body)
		}
		if hdr.Get("Cache-Control") != "no-cache, no-store" || hdr.Get("Server") != "pp" {
			t.Errorf("GET %s headers %v", tt.path, hdr)
		}
	}
	// Methods other than GET and HEAD get 501.
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, "PROPFIND"} {
		if status, _, body := get(t, m, srv.URL+"/phoneprov/0004f2000001.cfg"); status != 501 || !strings.Contains(body, "Attempt to use unimplemented / unsupported method") {
			t.Errorf("%s: %d %q", m, status, body)
		}
	}
	// HEAD: the GET's headers, no body.
	status, hdr, body := get(t, http.MethodHead, srv.URL+"/phoneprov/0004f2000001.cfg")
	if status != 200 || body != "" || hdr.Get("Content-Length") != "17" || hdr.Get("Content-Type") != "text/plain" {
		t.Errorf("HEAD: %d %q %v", status, body, hdr)
	}
}

func TestHandlerPrefix(t *testing.T) {
	srv := httptest.NewServer(NewHandler(phoneprovtest.Fixed(testSnapshot(t)), Config{Prefix: "asterisk"}))
	defer srv.Close()
	if status, _, _ := get(t, http.MethodGet, srv.URL+"/ASTERISK/phoneprov/0004f2000001.cfg"); status != 200 {
		t.Errorf("with prefix: %d", status)
	}
	if status, _, _ := get(t, http.MethodGet, srv.URL+"/phoneprov/0004f2000001.cfg"); status != 404 {
		t.Errorf("without prefix: %d", status)
	}
}

// TestServerIPv6 checks that SERVER is right on an IPv6 connection, where
// Asterisk formats the socket address as IPv4, a bug
// (docs/asterisk.md#server).
func TestServerIPv6(t *testing.T) {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	srv := httptest.NewUnstartedServer(NewHandler(phoneprovtest.Fixed(testSnapshot(t)), Config{}))
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	if _, _, body := get(t, http.MethodGet, srv.URL+"/phoneprov/0004f2000001.cfg"); body != "server=::1\n" {
		t.Errorf("body %q", body)
	}
}

func TestMissingStatic(t *testing.T) {
	site := testSite(t)
	site.Load()
	if err := os.Remove(site.Path("lib/phoneprov/fw/boot.bin")); err != nil {
		t.Fatal(err)
	}
	// The snapshot keeps a copy of small static files; one loaded after the
	// file went away has none (in the daemon the watcher reloads).
	snap := site.Load()
	for _, tt := range []struct {
		cfg    Config
		status int
	}{{Config{}, 500}, {Config{MissingStatic404: true}, 404}} {
		srv := httptest.NewServer(NewHandler(phoneprovtest.Fixed(snap), tt.cfg))
		if status, _, _ := get(t, http.MethodGet, srv.URL+"/phoneprov/fw/boot.bin"); status != tt.status {
			t.Errorf("%+v: status %d, want %d", tt.cfg, status, tt.status)
		}
		srv.Close()
	}
}

func FuzzRoutePath(f *testing.F) {
	for _, s := range []string{"/phoneprov/a", "/phoneprov/%2e%2e/etc/passwd", "/PHONEPROV", "/phoneprov/a%00b?c", "/x/phoneprov/", "/phoneprov/%4", "/phoneprov/+%zz%"} {
		f.Add(s)
	}
	h := NewHandler(phoneprovtest.Fixed(nil), Config{})
	f.Fuzz(func(t *testing.T, target string) {
		uri, ok := h.routePath(target)
		if !ok {
			return
		}
		if strings.IndexByte(uri, 0) >= 0 {
			t.Fatalf("decoded URI %q holds a NUL", uri)
		}
		if len(uri) > len(target) {
			t.Fatalf("decoding grew %q to %q", target, uri)
		}
	})
}
