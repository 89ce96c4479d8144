package phoneprov

import (
	"bytes"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// TestDerive checks when a load takes the phones over from the snapshot
// being served, and that what it serves is then exactly what a full load
// serves.
func TestDerive(t *testing.T) {
	newTestSite := func(t *testing.T) *site {
		st := newSite(t)
		st.cf("phoneprov.conf", `
			[general]
			default_profile = p
			[p]
			setvar = TZH=${MATH(${TZOFFSET}/3600,int)}
			${MAC}.cfg => a.cfg
			${MAC}-book.xml => book.xml
		`)
		st.cf("users.conf", `
			[6001]
			username = 6001
			fullname = Ann
			macaddress = 0004f2000001
			timezone = America/Chicago
			autoprov = yes
			[6002]
			username = 6002
			fullname = Bob
			macaddress = 0004f2000002
			timezone = Europe/Paris
			autoprov = yes
		`)
		st.tmpl("a.cfg", "${USERNAME} ${TZH} ${DST_START_MDAY}\n")
		st.tmpl("book.xml", "${PP_EACH_USER(%{DISPLAY_NAME};,${MAC})}\n")
		return st
	}
	// same compares every route of a with a full load of the site.
	same := func(t *testing.T, st *site, a *Snapshot) {
		t.Helper()
		opts := st.options
		opts.Previous = nil
		full, err := Load(opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Routes()) != len(full.Routes()) {
			t.Fatalf("%d routes, a full load has %d", len(a.Routes()), len(full.Routes()))
		}
		for _, r := range full.Routes() {
			if r.Static() {
				continue
			}
			want, _ := full.Render(r, "192.0.2.1")
			got, err := a.Render(a.Route(r.URI), "192.0.2.1")
			if err != nil || !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%s: %q (%v), a full load serves %q", r.URI, got.Bytes(), err, want.Bytes())
			}
		}
	}
	load := func(t *testing.T, st *site, prev *Snapshot) *Snapshot {
		t.Helper()
		st.options.Previous = func() *Snapshot { return prev }
		s := st.load()
		s.Fingerprints("192.0.2.1", prev)
		return s
	}

	t.Run("a template edit derives", func(t *testing.T) {
		st := newTestSite(t)
		first := load(t, st, nil)
		st.tmpl("a.cfg", "edited ${USERNAME}\n")
		next := load(t, st, first)
		if !next.Derived() {
			t.Fatal("a template edit reloaded everything")
		}
		if next.Phone("0004f2000001") != first.Phone("0004f2000001") {
			t.Error("the phones were built again")
		}
		same(t, st, next)
		// A derived snapshot derives again.
		st.tmpl("book.xml", "${PP_EACH_USER(%{USERNAME},${MAC})}\n")
		again := load(t, st, next)
		if !again.Derived() {
			t.Error("a second template edit reloaded everything")
		}
		same(t, st, again)
		// A template that goes missing is an error of the derived snapshot.
		st.options.DataDir += "-gone"
		gone := load(t, st, again)
		if gone.Derived() {
			t.Error("another data directory derived")
		}
	})
	t.Run("a users.conf edit loads", func(t *testing.T) {
		st := newTestSite(t)
		first := load(t, st, nil)
		st.cf("users.conf", "[6001]\nusername = 6001\nfullname = Renamed\nmacaddress = 0004f2000001\nautoprov = yes\n")
		next := load(t, st, first)
		if next.Derived() {
			t.Fatal("a users.conf edit was derived")
		}
		same(t, st, next)
	})
	t.Run("crossing a DST change loads", func(t *testing.T) {
		st := newTestSite(t)
		first := load(t, st, nil)
		later := time.Date(2027, 3, 20, 0, 0, 0, 0, time.UTC) // after DST began in Chicago
		st.options.Now = func() time.Time { return later }
		next := load(t, st, first)
		if next.Derived() {
			t.Fatal("new time-zone rules were derived")
		}
		same(t, st, next)
	})
	t.Run("a setvar reading the environment loads", func(t *testing.T) {
		st := newTestSite(t)
		st.cf("phoneprov.conf", "[general]\ndefault_profile = p\n[p]\nsetvar = E=${ENV(X)}\n${MAC}.cfg => a.cfg\n")
		env := "one"
		st.options.LookupEnv = func(string) (string, bool) { return env, true }
		first := load(t, st, nil)
		env = "two"
		next := load(t, st, first)
		if next.Derived() {
			t.Fatal("a setvar that read the environment was derived")
		}
	})
	t.Run("another answer from the PBX loads", func(t *testing.T) {
		st := newTestSite(t)
		st.cf("pjsip.conf", "[t]\ntype = transport\nbind = 0.0.0.0:5060\n[pp]\ntype = phoneprov\nendpoint = 7001\nMAC = 0004f2000009\nPROFILE = p\n")
		live := fakeLive{"7001": {Name: "7001", Tech: "PJSIP", Username: "7001", Secret: "one", TransportPort: "5060"}}
		st.options.Live = live
		first := load(t, st, nil)
		if next := load(t, st, first); !next.Derived() {
			t.Fatal("the same answers reloaded everything")
		}
		live["7001"] = provider.LiveEndpoint{Name: "7001", Tech: "PJSIP", Username: "7001", Secret: "two", TransportPort: "5060"}
		next := load(t, st, first)
		if next.Derived() {
			t.Fatal("a new secret from the PBX was derived")
		}
		same(t, st, next)
	})
}
