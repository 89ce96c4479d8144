package phoneprov

import (
	"bytes"
	"strings"
	"testing"
)

// TestLineReuse checks that a users.conf edit computes the setvars of the
// edited user's line only, and that what is served is exactly what a full
// load serves.
func TestLineReuse(t *testing.T) {
	st := newSite(t)
	ppconf := `
		[general]
		default_profile = p
		[p]
		setvar = XML1_NAME=${STRREPLACE(DISPLAY_NAME,&,&amp\;)}
		setvar = TZH=${MATH(${TZOFFSET}/3600,int)}
		setvar = SECRET_UP=${TOUPPER(${SECRET})}
		${MAC}.cfg => a.cfg
	`
	st.cf("phoneprov.conf", ppconf)
	users := func(name string) string {
		return "[6001]\nusername = 6001\nfullname = " + name + "\nsecret = sek\nmacaddress = 0004f2000001\ntimezone = Europe/Paris\nautoprov = yes\n" +
			"[6002]\nusername = 6002\nfullname = Bob & Co\nsecret = sek2\nmacaddress = 0004f2000002\nautoprov = yes\n"
	}
	st.cf("users.conf", users("Ann"))
	st.tmpl("a.cfg", "${XML1_NAME} ${TZH} ${SECRET_UP}\n")
	load := func(prev *Snapshot) *Snapshot {
		st.options.Previous = func() *Snapshot { return prev }
		s := st.load()
		s.Fingerprints("192.0.2.1", prev)
		return s
	}
	first := load(nil)
	st.cf("users.conf", users("Ann & Al"))
	next := load(first)
	if next.Derived() {
		t.Fatal("a users.conf edit was derived")
	}
	shared := func(a, b *Snapshot, mac string) bool {
		return &a.Phone(mac).Lines[0].Vars[0] == &b.Phone(mac).Lines[0].Vars[0]
	}
	if !shared(first, next, "0004f2000002") {
		t.Error("the unchanged user's line was built again")
	}
	if shared(first, next, "0004f2000001") {
		t.Error("the edited user's line was taken over")
	}
	if !next.secretVars["SECRET_UP"] {
		t.Error("a setvar computed from SECRET lost its secrecy")
	}
	// Served exactly as a full load serves it.
	st.options.Previous = nil
	full := st.load()
	for _, mac := range []string{"0004f2000001", "0004f2000002"} {
		r := full.Route(mac + ".cfg")
		want, _ := full.Render(r, "192.0.2.1")
		got, _ := next.Render(next.Route(r.URI), "192.0.2.1")
		if !bytes.Equal(got.Bytes(), want.Bytes()) || !got.Sensitive {
			t.Errorf("%s: %q (sensitive %v), a full load serves %q", mac, got.Bytes(), got.Sensitive, want.Bytes())
		}
	}
	if got, _ := next.Render(next.Route("0004f2000001.cfg"), ""); !strings.HasPrefix(string(got.Bytes()), "Ann &amp; Al 1 ") {
		t.Errorf("edited user: %q", got.Bytes())
	}
	// A profile whose setvars changed computes them again for every line.
	st.cf("phoneprov.conf", strings.Replace(ppconf, "int)}", "int)}h", 1))
	again := load(next)
	if shared(next, again, "0004f2000002") {
		t.Error("a line was taken over although its profile's setvars changed")
	}
	if got, _ := again.Render(again.Route("0004f2000002.cfg"), ""); !strings.Contains(string(got.Bytes()), " 0h ") {
		t.Errorf("after the setvar edit: %q", got.Bytes())
	}
}
