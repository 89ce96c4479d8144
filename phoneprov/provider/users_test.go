package provider_test

import (
	"strings"
	"testing"
)

const dumpProfile = `
	[general]
	default_profile = p
	serverport = 5070
	[p]
	${MAC}.cfg => dump.cfg
`

// dump shows every standard variable, then the phone's lines.
const dumpTemplate = "MAC=${MAC} PROFILE=${PROFILE} USERNAME=${USERNAME} DISPLAY_NAME=${DISPLAY_NAME} SECRET=${SECRET} LABEL=${LABEL} CALLERID=${CALLERID} TIMEZONE=${TIMEZONE} LINE=${LINE} LINEKEYS=${LINEKEYS} VOICEMAIL_EXTEN=${VOICEMAIL_EXTEN} EXTENSION_LENGTH=${EXTENSION_LENGTH} SERVER=${SERVER} SERVER_PORT=${SERVER_PORT} context=${context}"

func TestUsersProvider(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", dumpProfile).tmpl("dump.cfg", dumpTemplate).cf("users.conf", `
		[general]
		fullname = New User
		vmexten = 8500
		localextenlength = 4
		[authentication]
		autoprov = yes
		macaddress = 0004f2aaaaaa
		username = auth
		[tmpl](!)
		autoprov = yes
		macaddress = 0004f2bbbbbb
		username = tmpl
		[full]
		username = 6001
		fullname = Alice
		secret = s3cret
		label = A
		cid_number = 6001
		timezone = UTC
		linenumber = 1
		LinEKeys = 2
		vmexten = 9000
		localextenlength = 3
		context = not-a-phoneprov-key
		macaddress = 0004f2000001
		autoprov = TRUE
		[noauto]
		username = 6002
		macaddress = 0004f2000002
		[autono]
		username = 6003
		macaddress = 0004f2000003
		autoprov = no
		[nomac]
		username = 6004
		autoprov = on
		[nouser]
		macaddress = 0004f2000005
		autoprov = 1
		[dups]
		username = first
		username = second
		macaddress = 0004f2000006
		autoprov = y
	`)
	snap := s.Load()
	// Only the standard keys; [general] gives vmexten and
	// localextenlength only (its fullname has no effect); serverport is
	// SERVER_PORT; SERVER comes from the connection.
	got := s.Render(snap, "0004f2000001.cfg", "192.0.2.10")
	want := "MAC=0004f2000001 PROFILE=p USERNAME=6001 DISPLAY_NAME=Alice SECRET=s3cret LABEL=A CALLERID=6001 TIMEZONE=UTC LINE=1 LINEKEYS=2 VOICEMAIL_EXTEN=9000 EXTENSION_LENGTH=3 SERVER=192.0.2.10 SERVER_PORT=5070 context="
	if got != want {
		t.Errorf("full user:\n got %s\nwant %s", got, want)
	}
	// Measured on 20.20.1: the first occurrence wins up to Asterisk 22.
	if got := s.Render(snap, "0004f2000006.cfg", ""); !strings.Contains(got, "USERNAME=first ") || !strings.Contains(got, "VOICEMAIL_EXTEN=8500 EXTENSION_LENGTH=4") {
		t.Errorf("duplicate keys / [general] defaults: %s", got)
	}
	// The skip rules of docs/asterisk.md#the-users-file.
	for _, mac := range []string{"0004f2aaaaaa", "0004f2bbbbbb", "0004f2000002", "0004f2000003", "0004f2000005"} {
		if snap.Route(mac+".cfg") != nil {
			t.Errorf("%s should not be provisioned", mac)
		}
	}
	if !hasDiag(snap, "users.conf:", "[nomac]", "no macaddress") {
		t.Errorf("missing warning for [nomac]: %v", snap.Diagnostics)
	}
	if !hasDiag(snap, "users.conf:", "[nouser]", "no username") {
		t.Errorf("missing warning for [nouser]: %v", snap.Diagnostics)
	}

	// Asterisk 23: the last occurrence wins.
	s.Options.AsteriskVersion = 23
	if got := s.Render(s.Load(), "0004f2000006.cfg", ""); !strings.Contains(got, "USERNAME=second ") {
		t.Errorf("version 23: %s", got)
	}
}

func TestUsersDefaults(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", `
		[general]
		serveraddr = pbx.example.com
		default_profile = p
		default_profile = q
		[p]
		${MAC}.cfg => dump.cfg
	`).tmpl("dump.cfg", dumpTemplate).cf("users.conf", oneUser)
	got := s.Render(s.Load(), "0004f2000001.cfg", "192.0.2.10")
	// serveraddr wins over the connection; serverport defaults to 5060.
	if !strings.Contains(got, "PROFILE=p ") || !strings.Contains(got, "SERVER=pbx.example.com SERVER_PORT=5060") {
		t.Errorf("got %s", got)
	}
}

func TestUsersServerIface(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", `
		[general]
		serveriface = eth7
		default_profile = p
		[p]
		${MAC}.cfg => dump.cfg
	`).tmpl("dump.cfg", "${SERVER}").cf("users.conf", oneUser)
	s.Options.InterfaceAddr = func(name string) (string, error) {
		if name == "eth7" {
			return "10.7.7.7", nil
		}
		t.Fatalf("looked up %q", name)
		return "", nil
	}
	if got := s.Render(s.Load(), "0004f2000001.cfg", "192.0.2.10"); got != "10.7.7.7" {
		t.Errorf("serveriface: %q", got)
	}
}

func TestUsersWithoutDefaultProfile(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", "[general]\n[p]\n${MAC}.cfg => dump.cfg\n").
		tmpl("dump.cfg", "x").cf("users.conf", oneUser+"profile = p\n")
	snap := s.Load()
	// Without default_profile no users.conf user loads, even one
	// that names its profile.
	if len(snap.Phones()) != 0 {
		t.Errorf("%d phones loaded", len(snap.Phones()))
	}
	if !hasDiag(snap, "no default_profile") {
		t.Errorf("diagnostics: %v", snap.Diagnostics)
	}
}

func TestPhoneprovUsersConfPreferred(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", dumpProfile).tmpl("dump.cfg", "${USERNAME}").
		cf("users.conf", oneUser).
		cf("phoneprov_users.conf", strings.Replace(oneUser, "username = 6001", "username = from-23", 1))
	if got := s.Render(s.Load(), "0004f2000001.cfg", ""); got != "from-23" {
		t.Errorf("phoneprov_users.conf should win over users.conf: %q", got)
	}
}

func TestUsersConfSyntaxError(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", dumpProfile+"static_file => fw.bin\n").tmpl("dump.cfg", "x").
		cf("users.conf", oneUser+"\n[broken\n")
	snap := s.Load()
	// The whole file is invalid, as in Asterisk; the error names the line,
	// and the rest (profiles, static routes) keeps working.
	if len(snap.Errors()) == 0 || !hasDiag(snap, "users.conf:7:") {
		t.Errorf("diagnostics: %v", snap.Diagnostics)
	}
	if snap.Route("fw.bin") == nil {
		t.Error("static route lost")
	}
}
