package main

import (
	"strings"
	"testing"
)

// FuzzParseRenderURI checks the render command's URI parsing on arbitrary
// input: no panic, a plain route is taken as it is, and a URL's host and
// port come back with its route.
func FuzzParseRenderURI(f *testing.F) {
	for _, s := range []string{"0004f2a1b2c3.cfg", "/phoneprov/x.cfg?y", "http://[::1]:8080/phoneprov/a%20b", "https://h/PhoneProv/", "tftp://x/y", "/pbx/phoneprov/z", "http://%zz"} {
		f.Add(s, "")
		f.Add(s, "pbx")
	}
	f.Fuzz(func(t *testing.T, arg, prefix string) {
		req, err := parseRenderURI(arg, prefix)
		if err != nil {
			return
		}
		if !strings.HasPrefix(arg, "/") && !strings.Contains(arg, "://") && req.route != arg {
			t.Fatalf("route %q from %q", req.route, arg)
		}
		if req.scheme != "http" && req.scheme != "https" {
			t.Fatalf("scheme %q from %q", req.scheme, arg)
		}
		if strings.Contains(arg, "://") && (req.port < 1 || req.port > 65535) {
			t.Fatalf("no port from URL %q", arg)
		}
	})
}
