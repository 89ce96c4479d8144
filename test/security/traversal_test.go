package security_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// TestNothingOutsideTheDataDir: request targets that climb out of the data
// directory, name absolute paths, go through a symbolic link or name a
// directory reach nothing over HTTP: only configured routes exist
// (docs/asterisk.md#request-paths), and static files are confined to
// DATA-DIR/phoneprov. The site has routes "../outside.txt" (a static file
// above the data dir), "link.bin" (a symlink out of it) and "dir" (a
// directory); no response body may hold the outside file's content or list
// the directory.
func TestNothingOutsideTheDataDir(t *testing.T) {
	s := newSite(t)
	s.Write("lib/phoneprov/dir/listing-marker.txt", "x")
	srv := startServer(t, s, security.Config{ScanThreshold: 1000}, serverOptions{})
	abs := s.Path("outside-root.txt")
	targets := []struct {
		target string
		status int
	}{
		{"/phoneprov/../outside.txt", 500},         // the configured route, refused by the confinement
		{"/phoneprov/%2e%2e/outside.txt", 500},     // decoded to the same route
		{"/phoneprov/%2E%2E%2Foutside.txt", 500},   // encoded slash too
		{"/phoneprov/..%2foutside.txt", 500},       //
		{"/phoneprov/link.bin", 500},               // symlink out of the data dir
		{"/phoneprov/dir", 500},                    // a directory: no listing
		{"/phoneprov/dir/", 404},                   //
		{"/phoneprov/dir/listing-marker.txt", 404}, // not a route
		{"/phoneprov/../../outside-root.txt", 404}, //
		{"/phoneprov/%2e%2e/%2e%2e/outside-root.txt", 404},
		{"/phoneprov/" + abs, 404}, // absolute path
		{"/phoneprov/" + strings.TrimPrefix(abs, "/"), 404},
		{"/phoneprov/..\\outside.txt", 404},          // backslash is not a separator
		{"/phoneprov/%00../outside.txt", 404},        // NUL ends the C string: route ""
		{"/phoneprov/./fw.bin", 404},                 // no normalisation
		{"/phoneprov//etc/passwd", 404},              //
		{"/../outside.txt", 404},                     // not under /phoneprov
		{"/phoneprov/..", 404},                       //
		{"/phoneprov/fw.bin/../../outside.txt", 404}, //
	}
	for _, tt := range targets {
		status, body := rawGet(t, srv.http, tt.target)
		if status != tt.status {
			t.Errorf("GET %s: %d, want %d", tt.target, status, tt.status)
		}
		listed := strings.Contains(body, "listing-marker") && !strings.Contains(tt.target, "listing-marker")
		if strings.Contains(body, outsideSecret) || listed {
			t.Errorf("GET %s reached outside the data dir: %q", tt.target, body)
		}
	}
	// The absolute-form request target (RFC 9112 §3.2.2) too.
	status, body := rawGet(t, srv.http, srv.http+"/phoneprov/%2e%2e/outside.txt")
	if status == 200 || strings.Contains(body, outsideSecret) {
		t.Errorf("absolute-form: %d %q", status, body)
	}
	// And the outside file is really there, so the test would notice.
	if b, err := os.ReadFile(s.Path("lib/outside.txt")); err != nil || string(b) != outsideSecret {
		t.Fatal("the outside file is missing")
	}
	if r := do(t, nil, http.MethodGet, srv.http+"/phoneprov/fw.bin", nil); r.status != 200 {
		t.Errorf("firmware: %d", r.status)
	}
}
