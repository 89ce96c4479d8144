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
// The engine's own tests (package phoneprov) cannot import it — it
// imports the engine — and write their sites with internal/testsite, on
// which this package is built.
package phoneprovtest

import (
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testsite"
	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Now is the clock of every site: 22 Nov 2026 07:17:42 UTC, between the
// end of daylight saving time in the USA (1 Nov) and its start (14 Mar
// 2027), so the DST_* variables a site renders never change with the day
// the tests run.
var Now = testsite.Now

// Site is an Asterisk configuration directory and data directory under a
// temporary root that is removed when the test ends. Files are named by
// their path under the root: "etc/…" is the configuration directory
// (phoneprov.conf, users.conf, pjsip.conf), "lib/…" the data directory,
// whose templates and static files live in "lib/phoneprov/…". Path, Write
// and Edit address them.
type Site struct {
	*testsite.Dir

	// Options load the site: ConfigDir and DataDir, the clock Now and
	// UTC as the server's zone. A test may change them before Load.
	Options phoneprov.Options

	t testing.TB
}

// NewSite writes files (path under the root → content) into a new site.
func NewSite(t testing.TB, files map[string]string) *Site {
	t.Helper()
	d := testsite.New(t, files)
	return &Site{
		Dir: d,
		Options: phoneprov.Options{
			ConfigDir: d.ConfigDir,
			DataDir:   d.DataDir,
			Now:       func() time.Time { return Now },
			LocalZone: time.UTC,
		},
		t: t,
	}
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
func Dedent(text string) string { return testsite.Dedent(text) }

// Fixed returns a SnapshotSource that always hands out snap; nil stands
// for nothing loaded yet.
func Fixed(snap *phoneprov.Snapshot) phoneprov.SnapshotSource { return fixed{snap} }

type fixed struct{ snap *phoneprov.Snapshot }

func (f fixed) Snapshot() *phoneprov.Snapshot { return f.snap }
