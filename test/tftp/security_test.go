package tftp_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
)

// TestNothingOutsideTheRoutes asks for unknown names, traversals in every
// spelling, absolute paths, a static route that climbs out with "..", one
// that is a symbolic link out of the data directory, a missing static file
// and a directory. Every one gets TFTP error 1 and no data: only routes exist
// (docs/asterisk.md#request-paths), names are not URL-decoded, and static
// files are confined to the data directory.
func TestNothingOutsideTheRoutes(t *testing.T) {
	leavesNothing(t)
	s := newSite(t, 1000)
	var rec recorder
	_, addr := startTFTP(t, s, tftpserver.Config{OnServe: rec.Record}, "127.0.0.1")

	names := []string{
		"nonexistent.cfg",
		"000000000000.cfg",
		"../outside.txt",   // a configured route, refused by the data-dir check
		"/../outside.txt",  // the same after the leading "/"
		"..\\outside.txt",  // backslash is an ordinary byte
		"../../etc/passwd", // no such route
		"polycom/../../outside.txt",
		"polycom/firmware.bin", // the file exists, but the route is "firmware.bin"
		s.outside,              // absolute path of the secret
		"/" + s.outside,
		"%2e%2e/outside.txt",     // no URL decoding…
		"0004f2000001%2Ecfg",     // …so this is not 0004f2000001.cfg
		"link.bin",               // symbolic link out of the data directory
		"missing.bin",            // configured, absent
		"dir",                    // configured, a directory
		"0004F2000001.CFG",       // routes are case-sensitive by default
		"0004f2000001.cfg\x7f",   // control byte
		"",                       // empty name
		strings.Repeat("A", 400), // long name
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			// The first packet that answers is error 1, from the raw
			// client's point of view…
			c := newRawClient(t, addr)
			c.request(opRRQ, name, "tsize", "0", "blksize", "1468")
			p, ok := c.receive(5 * time.Second)
			if !ok {
				t.Fatal("no answer")
			}
			if code, msg := p.errorCode(); code != 1 || msg != "File not found" {
				t.Errorf("first packet: op %d, code %d %q", p.op(), code, msg)
			}
			if containsOutside(p.data) {
				t.Error("the secret leaked")
			}
			if name == "" || strings.ContainsAny(name, "\x7f") {
				return // not expressible on tftp-hpa's prompt
			}
			// …and from tftp-hpa's.
			data, out := hpaGet(t, addr, name)
			if data != nil || !strings.Contains(out, "Error code 1: File not found") {
				t.Errorf("tftp-hpa got %q:\n%s", data, out)
			}
		})
	}
	// The log says why a configured static file is not served.
	for _, name := range []string{"../outside.txt", "link.bin", "missing.bin", "dir"} {
		for _, r := range waitServed(t, &rec, name, 1) {
			if r.Outcome != tftpserver.NotFound || r.Route == nil || r.Err == nil || r.Bytes != 0 {
				t.Errorf("%s: report %+v", name, r)
			}
		}
	}
	for _, r := range waitServed(t, &rec, "nonexistent.cfg", 2) {
		if r.Outcome != tftpserver.NotFound || r.Route != nil || r.URI != "nonexistent.cfg" {
			t.Errorf("report %+v", r)
		}
	}
}

// TestNotLoaded: before any configuration is loaded, requests get error 0
// (HTTP answers 503), not "file not found", so phones retry rather than
// fall back to another file.
func TestNotLoaded(t *testing.T) {
	empty := &site{}
	_, addr := startTFTP(t, empty, tftpserver.Config{}, "127.0.0.1")
	out := hpa(t, addr, "binary", "get 0004f2000001.cfg "+t.TempDir()+"/x")
	if !strings.Contains(out, "Error code 0: No configuration loaded") {
		t.Errorf("tftp-hpa:\n%s", out)
	}
}

// leavesNothing fails t if the package directory holds other files when
// t ends than when it started: a client run with a relative local name
// would write into it.
func leavesNothing(t *testing.T) {
	t.Helper()
	list := func() []string {
		entries, err := os.ReadDir(".")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	before := list()
	t.Cleanup(func() {
		if after := list(); !slices.Equal(before, after) {
			t.Errorf("the test left files in the package directory: before %q, after %q", before, after)
		}
	})
}
