package phoneprov

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testsite"
)

const twoPhones = `
	[6001]
	username = 6001
	fullname = Alice "A"
	cid_number = 6001
	secret = pw1
	macaddress = 0004f2000001
	autoprov = yes
	[6002]
	username = 6002
	fullname = Bob
	cid_number = 6002
	macaddress = 0004f2000002
	autoprov = yes
	[6003]
	username = 6003
	fullname = Bob2
	macaddress = 0004f2000002
	linenumber = 2
	autoprov = yes
`

func renderSite(t *testing.T, template string) *site {
	return newSite(t).cf("phoneprov.conf", dumpProfile).tmpl("dump.cfg", template).cf("users.conf", twoPhones)
}

func TestServerFromConnection(t *testing.T) {
	s := renderSite(t, "${SERVER}|${PP_EACH_EXTENSION(${MAC},line.cfg)}|${PP_EACH_USER(%{USERNAME}@%{SERVER};,)}").
		tmpl("line.cfg", "${LINE}=${SERVER};")
	snap := s.load()
	// SERVER is the address the phone reached, appended to every
	// line of the requesting phone only — other phones in PP_EACH_USER do
	// not see it.
	got := s.render(snap, "0004f2000002.cfg", "192.0.2.7")
	want := "192.0.2.7|1=192.0.2.7;2=192.0.2.7;|6001@;6002@192.0.2.7;"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// Not cached across addresses (multihomed servers, ASTERISK-30388).
	if got := s.render(snap, "0004f2000002.cfg", "2001:db8::1"); !strings.HasPrefix(got, "2001:db8::1|") {
		t.Errorf("IPv6: %q", got)
	}
	if got := s.render(snap, "0004f2000002.cfg", "192.0.2.7"); got != want {
		t.Errorf("cached render: %q", got)
	}
}

func TestConfiguredServerWins(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", strings.Replace(dumpProfile, "[general]", "[general]\nserveraddr = 10.0.0.1", 1)).
		tmpl("dump.cfg", "${SERVER}").cf("users.conf", oneUser)
	var n renderCounter
	s.options.Observer = &n
	snap := s.load()
	for _, addr := range []string{"192.0.2.7", "192.0.2.8"} {
		if got := s.render(snap, "0004f2000001.cfg", addr); got != "10.0.0.1" {
			t.Errorf("reached at %s: got %q", addr, got)
		}
	}
	// The address reached plays no part: one body serves them all.
	if got := n.renders.Load(); got != 1 {
		t.Errorf("%d renders for two addresses, want 1", got)
	}
}

func TestEachUser(t *testing.T) {
	const tmpl = `${PP_EACH_USER(<i n="%{DISPLAY_NAME}" c=%{CALLERID}\,/>,${MAC})}`
	s := renderSite(t, tmpl)
	snap := s.load()
	// Measured on 20.20.1: quotes and backslashes are removed from the
	// template argument (not from the values), the exclude MAC is compared
	// case-insensitively, and only each phone's first line is used.
	got := s.render(snap, "0004f2000002.cfg", "")
	if got != `<i n=Alice "A" c=6001,/>` {
		t.Errorf("exclude own MAC: %q", got)
	}
	s.tmpl("dump.cfg", `${PP_EACH_USER(%{USERNAME};,0004F2000002)}|${PP_EACH_USER(%{USERNAME};, 0004f2000002)}|${PP_EACH_USER(%{USERNAME};,)}`)
	got = s.render(s.load(), "0004f2000001.cfg", "")
	if got != "6001;|6001;6002;|6001;6002;" {
		t.Errorf("exclude rules: %q", got)
	}
	// Opt-in: keep the quotes.
	s.tmpl("dump.cfg", tmpl)
	s.options.EachUserKeepsQuotes = true
	got = s.render(s.load(), "0004f2000002.cfg", "")
	if got != `<i n="Alice "A"" c=6001,/>` {
		t.Errorf("keep quotes: %q", got)
	}
}

func TestEachExtension(t *testing.T) {
	s := renderSite(t, "[${PP_EACH_EXTENSION(${MAC},line.cfg)}][${PP_EACH_EXTENSION(${MAC}, line.cfg)}][${PP_EACH_EXTENSION(0004F2000002,line.cfg)}][${PP_EACH_EXTENSION(${MAC},missing.cfg)}][${PP_EACH_EXTENSION(${MAC})}]").
		tmpl("line.cfg", "${LINE}:${DISPLAY_NAME};")
	// Measured on 20.20.1: a space after the comma is part of the file name;
	// the MAC is case-sensitive; unknown MAC or file renders empty.
	if got := s.render(s.load(), "0004f2000002.cfg", ""); got != "[1:Bob;2:Bob2;][][][][]" {
		t.Errorf("got %q", got)
	}
}

func TestTemplateNUL(t *testing.T) {
	// Measured on 20.20.1: a NUL ends the template.
	s := renderSite(t, "before\x00after ${USERNAME}")
	if got := s.render(s.load(), "0004f2000001.cfg", ""); got != "before" {
		t.Errorf("got %q", got)
	}
}

func TestVolatileNotCached(t *testing.T) {
	now := testsite.Now
	s := renderSite(t, "${STRFTIME(,UTC,%H:%M:%S)} ${USERNAME}")
	s.options.Now = func() time.Time { return now }
	snap := s.load()
	r := snap.Route("0004f2000001.cfg")
	a, _ := snap.Render(r, "")
	now = now.Add(time.Second)
	b, _ := snap.Render(r, "")
	if !a.Volatile || string(a.Bytes()) == string(b.Bytes()) {
		t.Errorf("time-dependent body was cached: %q then %q", a.Bytes(), b.Bytes())
	}
	s.tmpl("dump.cfg", "${USERNAME}")
	snap = s.load()
	a, _ = snap.Render(snap.Route("0004f2000001.cfg"), "")
	b, _ = snap.Render(snap.Route("0004f2000001.cfg"), "")
	if a.Volatile || a != b {
		t.Error("a static body was not cached")
	}
}

func TestEscalationsBlockedInTemplates(t *testing.T) {
	// STAT is blocked on HTTP threads, so the stock
	// 000000000000.cfg never lists custom.cfg; live_dangerously allows it.
	s := renderSite(t, "[${STAT(e,${ASTDATADIR}/phoneprov/dump.cfg)}]")
	if got := s.render(s.load(), "0004f2000001.cfg", ""); got != "[]" {
		t.Errorf("blocked: %q", got)
	}
	s.options.LiveDangerously = true
	if got := s.render(s.load(), "0004f2000001.cfg", ""); got != "[1]" {
		t.Errorf("live_dangerously: %q", got)
	}
}

func TestSensitive(t *testing.T) {
	s := renderSite(t, "${USERNAME}").tmpl("secret.cfg", "${PP_EACH_EXTENSION(${MAC},line.cfg)}").tmpl("line.cfg", "${SECRET}")
	s.cf("phoneprov.conf", dumpProfile+"${MAC}-s.cfg => secret.cfg\n${MAC}-via.cfg => via.cfg\nsetvar => PW=x${SECRET}\nsetvar => PW2=${PW}\n").
		tmpl("via.cfg", "${PW2}")
	snap := s.load()
	plain, _ := snap.Render(snap.Route("0004f2000001.cfg"), "")
	secret, _ := snap.Render(snap.Route("0004f2000001-s.cfg"), "")
	via, _ := snap.Render(snap.Route("0004f2000001-via.cfg"), "")
	if plain.Sensitive || !secret.Sensitive {
		t.Errorf("sensitive: plain %v, secret %v", plain.Sensitive, secret.Sensitive)
	}
	// A setvar computed from SECRET (even through another setvar) carries it.
	if !via.Sensitive || string(via.Bytes()) != "xpw1" {
		t.Errorf("through setvars: %v %q", via.Sensitive, via.Bytes())
	}
}

func TestRouteCollisions(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", `
		[general]
		default_profile = p
		[p]
		static_file => shared.cfg
		${MAC}.cfg => dump.cfg
		[q]
		static_file => shared.cfg,text/q
		static_file => 0004f2000001.cfg,text/static
	`).tmpl("dump.cfg", "dynamic").cf("users.conf", oneUser)
	snap := s.load()
	// Static routes come first and the first one wins.
	if r := snap.Route("shared.cfg"); r.Profile.Name != "p" {
		t.Errorf("shared.cfg from %s", r.Profile.Name)
	}
	if r := snap.Route("0004f2000001.cfg"); !r.Static() || r.File.MIME != "text/static" {
		t.Errorf("static route should shadow the dynamic one: %+v", r)
	}
}

func TestCaseInsensitiveRoutes(t *testing.T) {
	s := renderSite(t, "x")
	if s.load().Route("0004F2000001.cfg") != nil {
		t.Error("routes are case-sensitive by default (docs/asterisk.md#routes)")
	}
	s.options.CaseInsensitiveRoutes = true
	snap := s.load()
	if r := snap.Route("0004F2000001.CFG"); r == nil || r.Phone.MAC != "0004f2000001" {
		t.Errorf("case_insensitive_routes: %v", r)
	}
}

func TestMissingTemplate(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", dumpProfile+"${MAC}-gone.cfg => gone.cfg\n").tmpl("dump.cfg", "ok").cf("users.conf", oneUser)
	snap := s.load()
	// An error naming phoneprov.conf and the line; the route answers 500
	// (an error from Render) and the other routes keep working.
	if !hasDiag(snap, "phoneprov.conf:6:", `template "gone.cfg"`, "no such file") || len(snap.Errors()) != 1 {
		t.Errorf("diagnostics: %v", snap.Diagnostics)
	}
	if _, err := snap.Render(snap.Route("0004f2000001-gone.cfg"), ""); err == nil {
		t.Error("rendering a missing template succeeded")
	}
	if got := s.render(snap, "0004f2000001.cfg", ""); got != "ok" {
		t.Errorf("other route: %q", got)
	}
}

func TestDataDirConfinement(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", dumpProfile+"${MAC}-up.cfg => ../outside.cfg\n${MAC}-link.cfg => link.cfg\nstatic_file => link.cfg\n").
		tmpl("dump.cfg", "${PP_EACH_EXTENSION(${MAC},../outside.cfg)}").cf("users.conf", oneUser)
	s.Write("lib/outside.cfg", "SECRET FILE")
	if err := os.Symlink(s.Path("lib/outside.cfg"), s.Path("lib/phoneprov/link.cfg")); err != nil {
		t.Fatal(err)
	}
	snap := s.load()
	for _, uri := range []string{"0004f2000001-up.cfg", "0004f2000001-link.cfg"} {
		if _, err := snap.Render(snap.Route(uri), ""); !errors.Is(err, ErrOutsideDataDir) {
			t.Errorf("%s: err = %v", uri, err)
		}
	}
	if _, err := snap.StaticPath(snap.Route("link.cfg")); !errors.Is(err, ErrOutsideDataDir) {
		t.Errorf("static symlink: err = %v", err)
	}
	if got := s.render(snap, "0004f2000001.cfg", ""); got != "" {
		t.Errorf("PP_EACH_EXTENSION read outside the data dir: %q", got)
	}
}

// TestFingerprintsShareUnchangedBodies: a reload keeps one copy of a body that
// did not change, and a new copy of one that did.
func TestFingerprintsShareUnchangedBodies(t *testing.T) {
	s := renderSite(t, "name=${DISPLAY_NAME}")
	first := s.load()
	first.Fingerprints("192.0.2.1", nil)
	s.cf("users.conf", strings.Replace(twoPhones, "fullname = Bob\n", "fullname = Robert\n", 1))
	second := s.load()
	second.Fingerprints("192.0.2.1", first)
	body := func(snap *Snapshot, uri string) []byte {
		b, err := snap.Render(snap.Route(uri), "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	same1, same2 := body(first, "0004f2000001.cfg"), body(second, "0004f2000001.cfg")
	if &same1[0] != &same2[0] {
		t.Error("an unchanged body is held twice")
	}
	changed1, changed2 := body(first, "0004f2000002.cfg"), body(second, "0004f2000002.cfg")
	if &changed1[0] == &changed2[0] || string(changed2) != "name=Robert" {
		t.Errorf("a changed body: %q", changed2)
	}
}

func TestRenderedBodiesDoNotAliasScratch(t *testing.T) {
	// Templates render into a reused buffer; each body must be its own
	// copy, or the next render would overwrite a cached one.
	s := renderSite(t, "name=${DISPLAY_NAME} when=${STRFTIME(,,%Y)}")
	snap := s.load()
	var bodies [][]byte
	var want []string
	for _, uri := range []string{"0004f2000001.cfg", "0004f2000002.cfg", "0004f2000001.cfg"} {
		b, err := snap.Render(snap.Route(uri), "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if !b.Volatile {
			t.Fatal("a STRFTIME template should be volatile")
		}
		bodies = append(bodies, b.Bytes())
		want = append(want, string(b.Bytes()))
	}
	for i, b := range bodies {
		if string(b) != want[i] {
			t.Errorf("body %d changed after later renders: %q, was %q", i, b, want[i])
		}
	}
	if !strings.HasPrefix(want[0], "name=Alice ") || !strings.HasPrefix(want[1], "name=Bob ") {
		t.Errorf("bodies = %q", want)
	}
}

// renderCounter is a RenderObserver counting renders.
type renderCounter struct{ renders, hits atomic.Int64 }

func (c *renderCounter) CacheHit()                    { c.hits.Add(1) }
func (c *renderCounter) Rendered(time.Duration, bool) { c.renders.Add(1) }

func TestReloadReusesPureBodies(t *testing.T) {
	// A reload renders again only what may have changed: a body whose
	// template and variables are the same, and that called only pure
	// functions, is taken from the previous snapshot as it is.
	for _, tt := range []struct {
		name     string
		template string
		line     string // line.cfg, the template of PP_EACH_EXTENSION
		edit     func(*site)
		// renders on the reload, and the bodies after it
		renders int
		want    map[string]string
	}{{
		name:     "one user edited",
		template: "name=${TOUPPER(${DISPLAY_NAME})}",
		edit: func(s *site) {
			s.cf("users.conf", strings.Replace(twoPhones, "fullname = Bob\n", "fullname = Robert\n", 1))
		},
		renders: 1,
		want:    map[string]string{"0004f2000001.cfg": `name=ALICE "A"`, "0004f2000002.cfg": "name=ROBERT"},
	}, {
		name:     "template edited",
		template: "name=${DISPLAY_NAME}",
		edit:     func(s *site) { s.tmpl("dump.cfg", "n=${DISPLAY_NAME}") },
		renders:  2,
		want:     map[string]string{"0004f2000001.cfg": `n=Alice "A"`, "0004f2000002.cfg": "n=Bob"},
	}, {
		// Phone 1's own variables do not change, but PP_EACH_USER reads
		// every phone's: it must be rendered again.
		name:     "function reading other phones",
		template: "${PP_EACH_USER(%{DISPLAY_NAME};)}",
		edit: func(s *site) {
			s.cf("users.conf", strings.Replace(twoPhones, "fullname = Bob\n", "fullname = Robert\n", 1))
		},
		renders: 2,
		want:    map[string]string{"0004f2000001.cfg": `Alice "A";Robert;`, "0004f2000002.cfg": `Alice "A";Robert;`},
	}, {
		name:     "function reading the environment",
		template: "${ENV(PHONEPROVD_TEST_REUSE)}",
		edit:     func(s *site) { s.options.LookupEnv = func(string) (string, bool) { return "after", true } },
		renders:  2,
		want:     map[string]string{"0004f2000001.cfg": "after", "0004f2000002.cfg": "after"},
	}, {
		name:     "nothing changed",
		template: "${CUT(DISPLAY_NAME, ,1)} ${LEN(${SECRET})} $[1+2]",
		edit:     func(*site) {},
		renders:  0,
		want:     map[string]string{"0004f2000001.cfg": "Alice 3 3", "0004f2000002.cfg": "Bob 0 3"},
	}, {
		// PP_EACH_EXTENSION reads the phone's lines and line.cfg, which
		// it declares: with both unchanged its bodies are reused.
		name:     "PP_EACH_EXTENSION, nothing changed",
		template: "${PP_EACH_EXTENSION(${MAC},line.cfg)}",
		line:     "${LINE}=${DISPLAY_NAME};",
		edit:     func(*site) {},
		renders:  0,
		want:     map[string]string{"0004f2000001.cfg": `1=Alice "A";`, "0004f2000002.cfg": "1=Bob;2=Bob2;"},
	}, {
		// Only phone 2's second line changes: its first line's variables
		// are the same, but the lines PP_EACH_EXTENSION reads are not.
		name:     "PP_EACH_EXTENSION, a second line edited",
		template: "${PP_EACH_EXTENSION(${MAC},line.cfg)}",
		line:     "${LINE}=${DISPLAY_NAME};",
		edit: func(s *site) {
			s.cf("users.conf", strings.Replace(twoPhones, "fullname = Bob2\n", "fullname = Robert2\n", 1))
		},
		renders: 1,
		want:    map[string]string{"0004f2000001.cfg": `1=Alice "A";`, "0004f2000002.cfg": "1=Bob;2=Robert2;"},
	}, {
		name:     "PP_EACH_EXTENSION, its template edited",
		template: "${PP_EACH_EXTENSION(${MAC},line.cfg)}",
		line:     "${LINE}=${DISPLAY_NAME};",
		edit:     func(s *site) { s.tmpl("line.cfg", "${LINE}:${USERNAME};") },
		renders:  2,
		want:     map[string]string{"0004f2000001.cfg": "1:6001;", "0004f2000002.cfg": "1:6002;2:6003;"},
	}, {
		// Phone 1 lists phone 2's lines: an edit of phone 2 changes it.
		name:     "PP_EACH_EXTENSION, another phone's lines",
		template: "${PP_EACH_EXTENSION(0004f2000002,line.cfg)}",
		line:     "${DISPLAY_NAME};",
		edit: func(s *site) {
			s.cf("users.conf", strings.Replace(twoPhones, "fullname = Bob\n", "fullname = Robert\n", 1))
		},
		renders: 2,
		want:    map[string]string{"0004f2000001.cfg": "Robert;Bob2;", "0004f2000002.cfg": "Robert;Bob2;"},
	}, {
		// A phone that did not exist rendered nothing; once added, every
		// body that named it renders its lines.
		name:     "PP_EACH_EXTENSION, a phone appears",
		template: "[${PP_EACH_EXTENSION(0004f2000009,line.cfg)}]",
		line:     "${DISPLAY_NAME};",
		edit: func(s *site) {
			s.cf("users.conf", twoPhones+"[6009]\nusername = 6009\nfullname = Carol\nmacaddress = 0004f2000009\nautoprov = yes\n")
		},
		renders: 3,
		want:    map[string]string{"0004f2000001.cfg": "[Carol;]", "0004f2000009.cfg": "[Carol;]"},
	}, {
		// A template PP_EACH_EXTENSION could not read rendered nothing;
		// once it exists, the bodies that name it render it.
		name:     "PP_EACH_EXTENSION, its missing template appears",
		template: "[${PP_EACH_EXTENSION(${MAC},line.cfg)}]",
		edit:     func(s *site) { s.tmpl("line.cfg", "${LINE};") },
		renders:  2,
		want:     map[string]string{"0004f2000001.cfg": "[1;]", "0004f2000002.cfg": "[1;2;]"},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			s := renderSite(t, tt.template)
			if tt.line != "" {
				s.tmpl("line.cfg", tt.line)
			}
			var n renderCounter
			s.options.Observer = &n
			s.options.LookupEnv = func(string) (string, bool) { return "before", true }
			first := s.load()
			first.Fingerprints("192.0.2.1", nil)
			tt.edit(s)
			second := s.load()
			before := n.renders.Load()
			second.Fingerprints("192.0.2.1", first)
			if got := n.renders.Load() - before; got != int64(tt.renders) {
				t.Errorf("the reload rendered %d bodies, want %d", got, tt.renders)
			}
			for uri, want := range tt.want {
				if got := s.render(second, uri, "192.0.2.1"); got != want {
					t.Errorf("%s = %q, want %q", uri, got, want)
				}
			}
			// A reused body still ties the new snapshot to every file
			// it was made from, so that the watcher follows them.
			if tt.line != "" && !slices.ContainsFunc(second.Dependencies().Files, func(f FileState) bool {
				return filepath.Base(f.Path) == "line.cfg"
			}) {
				t.Error("line.cfg is not among the dependencies after the reload")
			}
		})
	}
}

func TestReuseKeepsSensitive(t *testing.T) {
	// A setvar that starts to carry the secret makes a body that uses it
	// sensitive, though the body's template did not change.
	// TOKEN's value stays "pw6": only where it comes from changes.
	const profile = "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => dump.cfg\nsetvar => TOKEN=pw6\n"
	s := newSite(t).cf("phoneprov.conf", profile).tmpl("dump.cfg", "${LEN(${TOKEN})}").cf("users.conf", oneUser)
	first := s.load()
	first.Fingerprints("", nil)
	s.cf("phoneprov.conf", strings.Replace(profile, "TOKEN=pw6", "TOKEN=${SECRET:0:3}", 1))
	second := s.load()
	second.Fingerprints("", first)
	b, err := second.Render(second.Route("0004f2000001.cfg"), "")
	if err != nil {
		t.Fatal(err)
	}
	if !b.Sensitive {
		t.Errorf("body %q reused as not sensitive after TOKEN was made from SECRET", b.Bytes())
	}
}

func TestHoldsSecret(t *testing.T) {
	s := renderSite(t, "user ${USERNAME} ${SECRET}")
	body := func(snap *Snapshot, uri string) *Rendered {
		b, err := snap.Render(snap.Route(uri), "")
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := s.load()
	if b := body(first, "0004f2000001.cfg"); !b.HoldsSecret {
		t.Errorf("%q holds its phone's secret but is not marked", b.Bytes())
	}
	s.tmpl("dump.cfg", "user ${USERNAME}")
	second := s.load()
	second.Fingerprints("", nil)
	if b := body(second, "0004f2000002.cfg"); b.HoldsSecret {
		t.Errorf("%q is marked though it holds no secret of its phone", b.Bytes())
	}
	// Phone 2's body is reused when its second line gains a secret the
	// body happens to contain: the flag must follow all the lines, not
	// only the first line's variables that decide the reuse.
	s.cf("users.conf", strings.Replace(twoPhones, "fullname = Bob2\n", "fullname = Bob2\n\tsecret = user 6002\n", 1))
	var n renderCounter
	s.options.Observer = &n
	third := s.load()
	third.Fingerprints("", second)
	if got := n.renders.Load(); got != 0 {
		t.Fatalf("the reload rendered %d bodies; the test needs them reused", got)
	}
	if b := body(third, "0004f2000002.cfg"); !b.HoldsSecret {
		t.Errorf("%q holds the secret of line 2 but is not marked", b.Bytes())
	}
	if b := body(second, "0004f2000002.cfg"); b.HoldsSecret {
		t.Errorf("the previous snapshot's %q changed", b.Bytes())
	}
}
