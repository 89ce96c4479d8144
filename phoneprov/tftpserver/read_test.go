package tftpserver

import (
	"errors"
	"fmt"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/pin/tftp/v3"
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestResolve(t *testing.T) {
	s := newTestSite(t)
	tests := []struct {
		filename, uri string
		found         bool
	}{
		// The route URI is what HTTP has after /phoneprov/
		// (docs/asterisk.md#request-paths), looked up exactly and
		// case-sensitively.
		{"0004f2000001.cfg", "0004f2000001.cfg", true},
		{"fw/boot.bin", "fw/boot.bin", true},
		// One leading "/" is ignored, as TFTP clients often send one…
		{"/0004f2000001.cfg", "0004f2000001.cfg", true},
		// …but only one: "//x" is the URI "/x" (no path normalisation).
		{"//0004f2000001.cfg", "/0004f2000001.cfg", false},
		// No URL decoding: TFTP names are not URLs.
		{"0004f2000001%2Ecfg", "0004f2000001%2Ecfg", false},
		{"fw%2Fboot.bin", "fw%2Fboot.bin", false},
		{"0004f2000001.cfg+", "0004f2000001.cfg+", false},
		{"0004F2000001.cfg", "0004F2000001.cfg", false},
		{"fw/./boot.bin", "fw/./boot.bin", false},
		{"", "", false},
		{"/", "", false},
		// A configured route that climbs out still resolves; openStatic
		// refuses it (TestOpenStatic).
		{"../outside.txt", "../outside.txt", true},
	}
	for _, tt := range tests {
		uri, route := resolve(s.snap, tt.filename)
		if uri != tt.uri || (route != nil) != tt.found {
			t.Errorf("resolve(%q) = %q, %v; want %q, found %v", tt.filename, uri, route, tt.uri, tt.found)
		}
		if route != nil && route.URI != uri {
			t.Errorf("resolve(%q) found route %q", tt.filename, route.URI)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	s := newTestSite(t)
	tests := []struct {
		uri  string
		want string // content; "" when refused
	}{
		{"fw/boot.bin", "\x00\x01binary\xff"}, // binary-safe
		{"../outside.txt", ""},                // ".." out of the data directory
		{"link.bin", ""},                      // a symbolic link out of it
		{"missing.bin", ""},
	}
	for _, tt := range tests {
		sf, err := s.snap.Static(s.snap.Route(tt.uri))
		if tt.want == "" {
			if err == nil {
				t.Errorf("%s: served", tt.uri)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.uri, err)
			continue
		}
		if string(sf.Data) != tt.want || sf.Size != int64(len(tt.want)) {
			t.Errorf("%s: %q (%d bytes)", tt.uri, sf.Data, sf.Size)
		}
	}
}

func TestServerAddressFormat(t *testing.T) {
	// Formatted as httpserver's localAddress: IPv4 dotted, IPv6 without
	// brackets or zone, IPv4-mapped unmapped, unknown empty.
	tests := []struct {
		ip   net.IP
		want string
	}{
		{net.IPv4(192, 0, 2, 7), "192.0.2.7"},        // 16-byte form
		{net.IP{192, 0, 2, 7}, "192.0.2.7"},          // 4-byte form
		{net.ParseIP("::ffff:10.1.2.3"), "10.1.2.3"}, // IPv4-mapped
		{net.ParseIP("2001:db8::1"), "2001:db8::1"},  // IPv6
		{net.ParseIP("fe80::1"), "fe80::1"},          // link-local, no zone
		{net.ParseIP("::1"), "::1"},                  // loopback
		{nil, ""},                                    // unknown
		{net.IPv4zero, ""},                           // broadcast reception: unknown
		{net.IPv6unspecified, ""},                    // unknown
		{net.IP{1, 2, 3}, ""},                        // malformed
	}
	for _, tt := range tests {
		if got := serverAddress(tt.ip); got != tt.want {
			t.Errorf("serverAddress(%v) = %q, want %q", tt.ip, got, tt.want)
		}
	}
}

// FuzzFilename resolves arbitrary file names: it never panics, a route it
// finds is the one named (after one leading "/"), and a static file it
// would open is always inside the data directory.
func FuzzFilename(f *testing.F) {
	s := newTestSite(f)
	root, err := filepath.EvalSymlinks(filepath.Join(s.data, "phoneprov"))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		"", "/", "0004f2000001.cfg", "/fw/boot.bin", "../outside.txt", "/../outside.txt",
		"link.bin", "..\\outside.txt", "%2e%2e/outside.txt", "fw/../../outside.txt",
		"\x00", strings.Repeat("../", 100) + "etc/passwd",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, filename string) {
		uri, route := resolve(s.snap, filename)
		if want := strings.TrimPrefix(filename, "/"); uri != want {
			t.Fatalf("resolve(%q) looked up %q", filename, uri)
		}
		if route == nil {
			return
		}
		if route.URI != uri {
			t.Fatalf("resolve(%q) found route %q", filename, route.URI)
		}
		if !route.Static() {
			return
		}
		sf, err := s.snap.Static(route)
		if err != nil {
			return
		}
		real, err := filepath.EvalSymlinks(sf.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(real, root+string(filepath.Separator)) {
			t.Fatalf("resolve(%q) opened %s, outside %s", filename, real, root)
		}
	})
}

// TestCheckHook checks that a security check refuses with an access
// violation at each point: an unknown name, a static route (before opening
// it), a dynamic route (after rendering, with its body's sensitivity).
func TestCheckHook(t *testing.T) {
	s := newTestSite(t)
	var mu sync.Mutex
	var calls []string
	addr := serveTest(t, s, Config{
		Check: func(remote netip.Addr, filename string, found, sensitive bool) error {
			mu.Lock()
			calls = append(calls, fmt.Sprintf("%s %s found=%v sensitive=%v", remote, filename, found, sensitive))
			mu.Unlock()
			if sensitive || filename == "fw/boot.bin" {
				return errors.New("denied")
			}
			return nil
		},
		Sensitive: func(r *phoneprov.Route, b *phoneprov.Rendered) bool { return b != nil && b.Sensitive },
	})
	c, err := tftp.NewClient(addr)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"0004f2000001.cfg", "fw/boot.bin"} {
		_, err := c.Receive(name, "octet")
		if err == nil || !strings.Contains(err.Error(), "Access violation") {
			t.Errorf("%s: err = %v, want an access violation", name, err)
		}
	}
	if _, err := c.Receive("0004f2ffffff.cfg", "octet"); err == nil || !strings.Contains(err.Error(), "File not found") {
		t.Errorf("unknown name: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{
		"127.0.0.1 0004f2000001.cfg found=true sensitive=true",
		"127.0.0.1 fw/boot.bin found=true sensitive=false",
		"127.0.0.1 0004f2ffffff.cfg found=false sensitive=false",
	}
	got := strings.Join(calls, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("no check %q in\n%s", w, got)
		}
	}
}
