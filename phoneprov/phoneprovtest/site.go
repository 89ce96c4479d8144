// Package phoneprovtest provides what tests of phoneprovd's packages
// share, in the style of net/http/httptest: a throwaway Asterisk site
// written from a map of files (NewSite), a SnapshotSource serving one
// snapshot (Fixed), and a Recorder of what a server reports having served.
//
//	site := phoneprovtest.NewSite(t, map[string]string{
//		"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
//		"etc/users.conf":      "[6001]\nusername = 6001\nmacaddress = 0004f2000001\nautoprov = yes\n",
//		"lib/phoneprov/t.cfg": "server=${SERVER}\n",
//	})
//	snap := site.Load()
//	var served phoneprovtest.Recorder[httpserver.Served]
//	h := httpserver.NewHandler(phoneprovtest.Fixed(snap), httpserver.Config{OnServe: served.Record})
//
// The package engine's own tests (package phoneprov) cannot import it —
// it imports the engine — and keep their own helpers.
package phoneprovtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Now is the clock of every site: 22 Nov 2026 07:17:42 UTC, between the
// end of daylight saving time in the USA (1 Nov) and its start (14 Mar
// 2027), so the DST_* variables a site renders never change with the day
// the tests run.
var Now = time.Date(2026, 11, 22, 7, 17, 42, 0, time.UTC)

// Site is an Asterisk configuration directory and data directory under a
// temporary root that is removed when the test ends. Files are named by
// their path under the root: "etc/…" is the configuration directory
// (phoneprov.conf, users.conf, pjsip.conf), "lib/…" the data directory,
// whose templates and static files live in "lib/phoneprov/…".
type Site struct {
	Root      string
	ConfigDir string // Root/etc
	DataDir   string // Root/lib

	// Options load the site: ConfigDir and DataDir, the clock Now and
	// UTC as the server's zone. A test may change them before Load.
	Options phoneprov.Options

	t testing.TB
}

// NewSite writes files (path under the root → content) into a new site.
func NewSite(t testing.TB, files map[string]string) *Site {
	t.Helper()
	root := t.TempDir()
	s := &Site{
		Root:      root,
		ConfigDir: filepath.Join(root, "etc"),
		DataDir:   filepath.Join(root, "lib"),
		t:         t,
	}
	for _, dir := range []string{s.ConfigDir, filepath.Join(s.DataDir, "phoneprov")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s.Options = phoneprov.Options{
		ConfigDir: s.ConfigDir,
		DataDir:   s.DataDir,
		Now:       func() time.Time { return Now },
		LocalZone: time.UTC,
	}
	for name, text := range files {
		s.Write(name, text)
	}
	return s
}

// Path returns the absolute path of name, a path under the root.
func (s *Site) Path(name string) string {
	return filepath.Join(s.Root, filepath.FromSlash(name))
}

// Write writes (or replaces) the file name, a path under the root,
// creating its directories.
func (s *Site) Write(name, text string) *Site {
	s.t.Helper()
	p := s.Path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		s.t.Fatal(err)
	}
	return s
}

// Edit replaces the first old in the file name with new, failing the test
// when the file holds no old.
func (s *Site) Edit(name, old, new string) *Site {
	s.t.Helper()
	b, err := os.ReadFile(s.Path(name))
	if err != nil {
		s.t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		s.t.Fatalf("%s has no %q", name, old)
	}
	return s.Write(name, strings.Replace(string(b), old, new, 1))
}

// Load loads the site with its Options, failing the test on an error.
func (s *Site) Load() *phoneprov.Snapshot {
	s.t.Helper()
	snap, err := phoneprov.Load(s.Options)
	if err != nil {
		s.t.Fatalf("loading the site: %v", err)
	}
	return snap
}

// Render returns the body of route uri of snap for a phone that reached
// the server at address server, failing the test when there is no such
// route or it does not render.
func (s *Site) Render(snap *phoneprov.Snapshot, uri, server string) string {
	s.t.Helper()
	r := snap.Route(uri)
	if r == nil {
		var uris []string
		for _, r := range snap.Routes() {
			uris = append(uris, r.URI)
		}
		s.t.Fatalf("no route %q; routes: %q", uri, uris)
	}
	body, err := snap.Render(r, server)
	if err != nil {
		s.t.Fatalf("rendering %q: %v", uri, err)
	}
	return string(body.Bytes())
}

// Dedent removes a leading newline and one leading tab from every line,
// so that a test can write a file as an indented raw string.
func Dedent(text string) string {
	lines := strings.Split(strings.TrimPrefix(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "\t")
	}
	return strings.Join(lines, "\n")
}

// Fixed returns a SnapshotSource that always hands out snap; nil stands
// for nothing loaded yet.
func Fixed(snap *phoneprov.Snapshot) phoneprov.SnapshotSource { return fixed{snap} }

type fixed struct{ snap *phoneprov.Snapshot }

func (f fixed) Snapshot() *phoneprov.Snapshot { return f.snap }
