package phoneprov

import (
	"strings"
	"testing"
)

// A minimal users.conf user on profile p.
const oneUser = `
	[6001]
	username = 6001
	secret = pw6001
	macaddress = 0004f2000001
	autoprov = yes
`

func TestProfileFileLines(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", `
		[general]
		default_profile = p
		[p]
		static_file => early.bin
		mime_type => text/xml
		static_file => late.cfg
		static_file => typed.cfg, application/x-y
		staticdir => fw
		static_file => in-dir.ld
		staticdir => fw/
		static_file => sub/in-dir.ld
		${MAC}.cfg => mac.cfg
		${MAC}.txt => mac.cfg,text/plain
		static_files => mac.cfg
	`).cf("users.conf", oneUser).tmpl("mac.cfg", "x")
	snap := s.load()
	p := snap.Profiles[0]
	// mime_type applies to later lines only; text/plain otherwise.
	wantStatic := []struct{ uri, template, mime string }{
		{"early.bin", "early.bin", "text/plain"},
		{"late.cfg", "late.cfg", "text/xml"},
		// MIMETYPE is the raw remainder, not trimmed.
		{"typed.cfg", "typed.cfg", " application/x-y"},
		// Staticdir is joined by plain concatenation.
		{"in-dir.ld", "fwin-dir.ld", "text/xml"},
		{"sub/in-dir.ld", "fw/sub/in-dir.ld", "text/xml"},
	}
	if len(p.Static) != len(wantStatic) {
		t.Fatalf("%d static files", len(p.Static))
	}
	for i, w := range wantStatic {
		f := p.Static[i]
		if f.Format != w.uri || f.Template != w.template || f.MIME != w.mime {
			t.Errorf("static %d = %q %q %q, want %+v", i, f.Format, f.Template, f.MIME, w)
		}
	}
	// Any other key is a dynamic file; a typo like static_files
	// becomes one whose URI is literally the key.
	got := []string{}
	for _, f := range p.Dynamic {
		got = append(got, f.Format+"="+f.Template+"="+f.MIME)
	}
	want := "${MAC}.cfg=mac.cfg=text/xml ${MAC}.txt=mac.cfg=text/plain static_files=mac.cfg=text/xml"
	if strings.Join(got, " ") != want {
		t.Errorf("dynamic = %v, want %s", got, want)
	}
	if snap.Route("static_files") == nil || snap.Route("0004f2000001.cfg") == nil {
		t.Errorf("routes: %v", routeURIs(snap))
	}
}

func TestMIMEByExtensionOptIn(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", `
		[general]
		default_profile = p
		[p]
		static_file => logo.png
		static_file => dict.xml,text/x-explicit
		${MAC}.cfg => mac.cfg
	`).cf("users.conf", oneUser).tmpl("mac.cfg", "x")
	// Measured on 20.20.1: Asterisk never derives the type from the name.
	snap := s.load()
	if m := snap.Route("logo.png").File.MIME; m != "text/plain" {
		t.Errorf("default: logo.png is %q", m)
	}
	s.options.MIMEByExtension = true
	snap = s.load()
	for uri, want := range map[string]string{"logo.png": "image/png", "dict.xml": "text/x-explicit", "0004f2000001.cfg": "text/plain"} {
		if m := snap.Route(uri).File.MIME; m != want {
			t.Errorf("mime_by_extension: %s is %q, want %q", uri, m, want)
		}
	}
}

func TestSetvar(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", `
		[general]
		default_profile = p
		[p]
		setvar => A=B=C
		setvar =>  SPACED  =  value with spaces  
		setvar => "QUOTED\,NAME"=x
		setvar => FIRST=one
		setvar => FIRST=two
		setvar => EMPTY=
		setvar => =novalue
		setvar => DERIVED=${USERNAME}-${FIRST}-${LATER}
		setvar => LATER=later
		setvar => SECRET=overridden?
		setvar => STATTED=${STAT(e,${ASTDATADIR}/phoneprov/mac.cfg)}
		${MAC}.cfg => mac.cfg
	`).cf("users.conf", oneUser).tmpl("mac.cfg", "${A}|${SPACED}|${QUOTED,NAME}|${FIRST}|[${EMPTY}]|${DERIVED}|${SECRET}|${STATTED}")
	got := s.render(s.load(), "0004f2000001.cfg", "192.0.2.1")
	// docs/asterisk.md#setvars: split at the first '=', NAME
	// unquoted, both trimmed, empty dropped, first wins, sees only earlier
	// setvars, never overrides a provider variable; load-time substitution
	// may use escalating functions (STAT).
	want := "B=C|value with spaces|x|one|[]|6001-one-|pw6001|1"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestProfileNames(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", `
		[GENERAL]
		default_profile = p
		[p]
		${MAC}.cfg => mac.cfg
		[P]
		${MAC}-upper.cfg => mac.cfg
	`).cf("users.conf", oneUser+`
		[6002]
		username = 6002
		macaddress = 0004f2000002
		autoprov = yes
		profile = P
		[6003]
		username = 6003
		macaddress = 0004f2000003
		autoprov = yes
		profile = nosuch
	`).tmpl("mac.cfg", "${PROFILE}")
	snap := s.load()
	// [general] matches case-insensitively, so [GENERAL] is no
	// profile; profile names are case-sensitive.
	if len(snap.Profiles) != 2 {
		t.Fatalf("%d profiles", len(snap.Profiles))
	}
	if got := s.render(snap, "0004f2000002-upper.cfg", ""); got != "P" {
		t.Errorf("profile P: %q", got)
	}
	if snap.Route("0004f2000003.cfg") != nil {
		t.Error("user with an unknown profile got a route")
	}
	if !hasDiag(snap, "users.conf:", "[6003]", `profile "nosuch" does not exist`) {
		t.Errorf("no diagnostic for the unknown profile: %v", snap.Diagnostics)
	}
}

func TestNoProfiles(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", "[general]\ndefault_profile = p\n")
	if _, err := Load(s.options); err != ErrNoProfiles {
		t.Fatalf("err = %v", err)
	}
}

func TestPhoneprovConfSyntaxError(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", "[general]\ndefault_profile = p\n[p\n")
	_, err := Load(s.options)
	if err == nil || !strings.Contains(err.Error(), "phoneprov.conf:3:") {
		t.Fatalf("err = %v, want one naming phoneprov.conf:3", err)
	}
}
