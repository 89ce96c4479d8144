package phoneprov

import (
	"slices"
	"testing"
)

func TestSecretValues(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", `
	[general]
	default_profile = p
	[p]
	setvar = HASH=x${SECRET}y
	setvar = PLAIN=${USERNAME}z
	${MAC}.cfg => a.cfg
	`).tmpl("a.cfg", "${SECRET}\n").cf("users.conf", `
	[6001]
	username = 6001
	secret = pw1
	macaddress = 0004f2000001
	autoprov = yes
	[6002]
	username = 6002
	secret = pw1
	macaddress = 0004f2000001
	linenumber = 2
	autoprov = yes
	[6003]
	username = 6003
	secret = longer-pw3
	macaddress = 0004f2000003
	autoprov = yes
	[6004]
	username = 6004
	macaddress = 0004f2000004
	autoprov = yes
	`)
	snap := s.load()
	p := snap.Phone("0004f2000001")
	// Both lines share pw1: listed once; the setvar computed from SECRET
	// is a secret too, and listed before the shorter value it contains.
	if got, want := snap.SecretValues(p), []string{"xpw1y", "pw1"}; !slices.Equal(got, want) {
		t.Errorf("phone 1: %q, want %q", got, want)
	}
	if got := snap.SecretValues(snap.Phone("0004f2000003")); !slices.Equal(got, []string{"xlonger-pw3y", "longer-pw3"}) {
		t.Errorf("phone 3: %q", got)
	}
	// No secret: only the setvar computed from an empty SECRET, "xy".
	if got := snap.SecretValues(snap.Phone("0004f2000004")); !slices.Equal(got, []string{"xy"}) {
		t.Errorf("phone 4: %q", got)
	}
}

func TestPhoneRoutes(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", `
	[general]
	default_profile = p
	[p]
	static_file = shared.cfg
	${MAC}.cfg => a.cfg
	${MAC}-dir.xml => a.cfg
	shared.cfg => a.cfg
	`).tmpl("a.cfg", "x\n").tmpl("shared.cfg", "s\n").cf("users.conf", `
	[6001]
	username = 6001
	macaddress = 0004f2000001
	autoprov = yes
	[6002]
	username = 6002
	macaddress = 0004f2000002
	autoprov = yes
	`)
	snap := s.load()
	p := snap.Phone("0004f2000002")
	var uris []string
	for _, r := range snap.PhoneRoutes(p) {
		uris = append(uris, r.URI)
		if r.Phone != p {
			t.Errorf("%s belongs to %v", r.URI, r.Phone)
		}
	}
	if want := []string{"0004f2000002.cfg", "0004f2000002-dir.xml", "shared.cfg"}; !slices.Equal(uris, want) {
		t.Errorf("routes %q, want %q", uris, want)
	}
	// The static file shadows the phone's dynamic shared.cfg.
	if r := snap.PhoneRoutes(p)[2]; snap.Route(r.URI) == r {
		t.Error("the shadowed route is the one served")
	}
}
