package phoneprov

import (
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testsite"
	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// dumpProfile is a profile whose phones get dump.cfg, with the [general]
// defaults of users.conf lines.
const dumpProfile = `
	[general]
	default_profile = p
	serverport = 5070
	[p]
	${MAC}.cfg => dump.cfg
`

// dump shows every standard variable, then the phone's lines.
const dumpTemplate = "MAC=${MAC} PROFILE=${PROFILE} USERNAME=${USERNAME} DISPLAY_NAME=${DISPLAY_NAME} SECRET=${SECRET} LABEL=${LABEL} CALLERID=${CALLERID} TIMEZONE=${TIMEZONE} LINE=${LINE} LINEKEYS=${LINEKEYS} VOICEMAIL_EXTEN=${VOICEMAIL_EXTEN} EXTENSION_LENGTH=${EXTENSION_LENGTH} SERVER=${SERVER} SERVER_PORT=${SERVER_PORT} context=${context}"

// fakeLive stands in for the running Asterisk.
type fakeLive map[string]provider.LiveEndpoint

func (f fakeLive) Endpoint(name string) (provider.LiveEndpoint, bool) { e, ok := f[name]; return e, ok }

// site is a throwaway Asterisk config dir and data dir (the engine's
// tests cannot import phoneprovtest, which imports the engine).
type site struct {
	*testsite.Dir
	t       *testing.T
	options Options
}

func newSite(t *testing.T) *site {
	t.Helper()
	d := testsite.New(t, nil)
	return &site{Dir: d, t: t, options: Options{
		ConfigDir: d.ConfigDir,
		DataDir:   d.DataDir,
		Now:       func() time.Time { return testsite.Now },
		LocalZone: time.UTC,
	}}
}

// cf writes a config file, dedented.
func (s *site) cf(name, text string) *site {
	s.Write("etc/"+name, testsite.Dedent(text))
	return s
}

// tmpl writes a file under DATA-DIR/phoneprov, dedented.
func (s *site) tmpl(name, text string) *site {
	s.Write("lib/phoneprov/"+name, testsite.Dedent(text))
	return s
}

func (s *site) load() *Snapshot {
	s.t.Helper()
	snap, err := Load(s.options)
	if err != nil {
		s.t.Fatalf("Load: %v", err)
	}
	return snap
}

// render renders uri for a phone that reached server.
func (s *site) render(snap *Snapshot, uri, server string) string {
	s.t.Helper()
	r := snap.Route(uri)
	if r == nil {
		s.t.Fatalf("no route %q; routes: %v", uri, routeURIs(snap))
	}
	out, err := snap.Render(r, server)
	if err != nil {
		s.t.Fatalf("Render(%q): %v", uri, err)
	}
	return string(out.Bytes())
}

func routeURIs(snap *Snapshot) []string {
	var out []string
	for _, r := range snap.Routes() {
		out = append(out, r.URI)
	}
	return out
}

// hasDiag reports whether snap has a diagnostic containing all of parts.
func hasDiag(snap *Snapshot, parts ...string) bool {
	for _, d := range snap.Diagnostics {
		s := d.String()
		ok := true
		for _, p := range parts {
			if !strings.Contains(s, p) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
