package provider_test

import (
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// The providers are tested through the engine: a site's files, loaded,
// and the variables a template renders.

// site is a phoneprovtest.Site written with indented raw strings.
type site struct{ *phoneprovtest.Site }

func newSite(t *testing.T) site { return site{phoneprovtest.NewSite(t, nil)} }

// cf writes a config file (etc/name), dedented.
func (s site) cf(name, text string) site {
	s.Write("etc/"+name, phoneprovtest.Dedent(text))
	return s
}

// tmpl writes a template (lib/phoneprov/name), dedented.
func (s site) tmpl(name, text string) site {
	s.Write("lib/phoneprov/"+name, phoneprovtest.Dedent(text))
	return s
}

// A minimal users.conf user on profile p.
const oneUser = `
	[6001]
	username = 6001
	secret = pw6001
	macaddress = 0004f2000001
	autoprov = yes
`

// hasDiag reports whether snap has a diagnostic containing all of parts.
func hasDiag(snap *phoneprov.Snapshot, parts ...string) bool {
	for _, d := range snap.Diagnostics {
		s, ok := d.String(), true
		for _, p := range parts {
			ok = ok && strings.Contains(s, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// fakeLive stands in for the running Asterisk.
type fakeLive map[string]provider.LiveEndpoint

func (f fakeLive) Endpoint(name string) (provider.LiveEndpoint, bool) { e, ok := f[name]; return e, ok }
