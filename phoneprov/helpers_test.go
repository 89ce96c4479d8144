package phoneprov

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// testClock is the fixed "now" of engine tests: 22 Nov 2026, between the
// end of DST in the USA (1 Nov) and its start (14 Mar 2027).
var testClock = time.Date(2026, 11, 22, 7, 17, 42, 0, time.UTC)

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

// site is a throwaway Asterisk config dir and data dir.
type site struct {
	t       *testing.T
	conf    string
	data    string
	options Options
}

func newSite(t *testing.T) *site {
	t.Helper()
	root := t.TempDir()
	s := &site{t: t, conf: filepath.Join(root, "etc"), data: filepath.Join(root, "lib")}
	for _, d := range []string{s.conf, filepath.Join(s.data, "phoneprov")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s.options = Options{
		ConfigDir: s.conf,
		DataDir:   s.data,
		Now:       func() time.Time { return testClock },
		LocalZone: time.UTC,
	}
	return s
}

// conf writes a config file; text is dedented by one leading tab per line.
func (s *site) cf(name, text string) *site {
	s.write(filepath.Join(s.conf, name), text)
	return s
}

// tmpl writes a file under DATA-DIR/phoneprov.
func (s *site) tmpl(name, text string) *site {
	s.write(filepath.Join(s.data, "phoneprov", name), text)
	return s
}

func (s *site) write(path, text string) {
	s.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(dedent(text)), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func dedent(s string) string {
	lines := strings.Split(strings.TrimPrefix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "\t")
	}
	return strings.Join(lines, "\n")
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
