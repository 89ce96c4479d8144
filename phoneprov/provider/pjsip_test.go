package provider_test

import (
	"strings"
	"testing"
)

const pjsipDump = "USERNAME=${USERNAME} SECRET=${SECRET} CALLERID=${CALLERID} DISPLAY_NAME=${DISPLAY_NAME} LABEL=${LABEL} SERVER_PORT=${SERVER_PORT} ENDPOINT_ID=${ENDPOINT_ID} TRANSPORT_ID=${TRANSPORT_ID} AUTH_ID=${AUTH_ID} endpoint=${endpoint} type=${type} Custom=${Custom} VOICEMAIL_EXTEN=${VOICEMAIL_EXTEN} PROFILE=${PROFILE} ctx=${PJSIP_ENDPOINT(${ENDPOINT_ID},context)}"

const pjsipBase = `
	[tls]
	type = transport
	protocol = tls
	bind = 0.0.0.0
	[udp]
	type = transport
	bind = 127.0.0.1:5062
	[7001]
	type = endpoint
	transport = udp
	callerid = "Carol Pjsip" <7001>
	auth = 7001-auth, other
	context = office
	[7001-auth]
	type = auth
	username = carol
	password = s3cret7001
	[7002]
	type = endpoint
	transport = tls
	[7003]
	type = endpoint
`

func pjsipSite(t *testing.T, sections string) site {
	return newSite(t).cf("phoneprov.conf", `
		[general]
		serverport = 9999
		[p]
		${MAC}.cfg => dump.cfg
	`).cf("users.conf", "[general]\nvmexten = 8500\n").tmpl("dump.cfg", pjsipDump).cf("pjsip.conf", pjsipBase+sections)
}

func TestPJSIPProvider(t *testing.T) {
	s := pjsipSite(t, `
		[pp1]
		type = phoneprov
		endpoint = 7001
		MAC = 0004f2c0ffee
		PROFILE = p
		Custom = kept
		Empty =
		[pp2]
		type = phoneprov
		endpoint = 7002
		MAC = 0004f2c0fff0
		PROFILE = p
		USERNAME = explicit
		[pp3]
		type=phoneprov
		MAC = 0004f2c0fff1
		PROFILE = p
	`)
	snap := s.Load()
	// Derived from the endpoint, its transport and its first
	// inbound auth; every other key passes through, type does not;
	// phoneprov.conf [general] and users.conf [general] do not apply.
	got := s.Render(snap, "0004f2c0ffee.cfg", "")
	want := "USERNAME=carol SECRET=s3cret7001 CALLERID=7001 DISPLAY_NAME=Carol Pjsip LABEL=pp1 SERVER_PORT=5062 ENDPOINT_ID=7001 TRANSPORT_ID=udp AUTH_ID=7001-auth endpoint=7001 type= Custom=kept VOICEMAIL_EXTEN= PROFILE=p ctx=office"
	if got != want {
		t.Errorf("pp1:\n got %s\nwant %s", got, want)
	}
	// A value written in the section wins; TLS transport without a port is 5061.
	got = s.Render(snap, "0004f2c0fff0.cfg", "")
	if !strings.Contains(got, "USERNAME=explicit ") || !strings.Contains(got, "SERVER_PORT=5061 ") || !strings.Contains(got, "ctx=default") {
		t.Errorf("pp2: %s", got)
	}
	// Without endpoint=: USERNAME and LABEL default to the id, port 5060.
	got = s.Render(snap, "0004f2c0fff1.cfg", "")
	if !strings.HasPrefix(got, "USERNAME=pp3 SECRET= ") || !strings.Contains(got, "LABEL=pp3 SERVER_PORT=5060 ") {
		t.Errorf("pp3: %s", got)
	}
}

func TestPJSIPTemplateValueWins(t *testing.T) {
	// Measured on 20.20.1: inherited entries come first, and the first
	// occurrence wins, so a template's value beats the child's.
	s := pjsipSite(t, `
		[pptemplate](!)
		type = phoneprov
		PROFILE = p
		Custom = from-template
		[pp1](pptemplate)
		MAC = 0004f2c0ffee
		Custom = from-child
	`)
	if got := s.Render(s.Load(), "0004f2c0ffee.cfg", ""); !strings.Contains(got, "Custom=from-template ") {
		t.Errorf("got %s", got)
	}
}

func TestPJSIPBadSections(t *testing.T) {
	s := pjsipSite(t, `
		[nomac]
		type = phoneprov
		PROFILE = p
		[lowercase]
		type = phoneprov
		mac = 0004f2c0ff01
		PROFILE = p
		[badep]
		type = phoneprov
		endpoint = nosuch
		MAC = 0004f2c0ff02
		PROFILE = p
		[notransport]
		type = phoneprov
		endpoint = 7003
		MAC = 0004f2c0ff03
		PROFILE = p
		[dup]
		type = phoneprov
		MAC = 0004f2c0ff04
		PROFILE = p
		[dup]
		type = phoneprov
		MAC = 0004f2c0ff05
		PROFILE = p
	`)
	snap := s.Load()
	for _, want := range [][]string{
		{"[nomac]", "MAC"},
		{"[lowercase]", "MAC"},
		{"[badep]", `endpoint "nosuch" does not exist`},
		{"[notransport]", "no transport="},
		{"duplicate phoneprov [dup]"},
	} {
		if !hasDiag(snap, append([]string{"pjsip.conf:"}, want...)...) {
			t.Errorf("no diagnostic %v in %v", want, snap.Diagnostics)
		}
	}
	// Asterisk skips a phone whose endpoint has no transport=; phoneprovd
	// keeps it on port 5060.
	if got := s.Render(snap, "0004f2c0ff03.cfg", ""); !strings.Contains(got, "SERVER_PORT=5060") {
		t.Errorf("notransport: %s", got)
	}
	for _, mac := range []string{"0004f2c0ff01", "0004f2c0ff02", "0004f2c0ff05"} {
		if snap.Route(mac+".cfg") != nil {
			t.Errorf("%s should not be provisioned", mac)
		}
	}
}

func TestPJSIPLiveEndpoint(t *testing.T) {
	s := pjsipSite(t, `
		[pp]
		type = phoneprov
		endpoint = realtime
		MAC = 0004f2c0ffee
		PROFILE = p
		CALLERID = from-file
	`)
	// Not in pjsip.conf: skipped without live data.
	if s.Load().Route("0004f2c0ffee.cfg") != nil {
		t.Fatal("phone with an unknown endpoint was provisioned")
	}
	s.Options.Live = fakeLive{"realtime": {
		Name: "realtime", Transport: "udp", TransportPort: "5070", CallerIDName: "Live", CallerIDNum: "7999",
		AuthID: "realtime", Username: "rt", Secret: "livepw", Fields: map[string]string{"context": "live-ctx"},
	}}
	got := s.Render(s.Load(), "0004f2c0ffee.cfg", "")
	want := "USERNAME=rt SECRET=livepw CALLERID=from-file DISPLAY_NAME=Live LABEL=pp SERVER_PORT=5070 ENDPOINT_ID=realtime TRANSPORT_ID=udp AUTH_ID=realtime endpoint=realtime type= Custom= VOICEMAIL_EXTEN= PROFILE=p ctx=live-ctx"
	if got != want {
		t.Errorf("live:\n got %s\nwant %s", got, want)
	}
}
