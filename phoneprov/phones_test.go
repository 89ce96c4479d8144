package phoneprov

import (
	"fmt"
	"maps"
	"strings"
	"testing"
)

// linesUsers gives MAC 0004f2000001 lines in the given order of linenumber.
func linesUsers(numbers ...int) string {
	var b strings.Builder
	for _, n := range numbers {
		fmt.Fprintf(&b, "[u%d]\nusername = u%d\nmacaddress = 0004f2000001\nautoprov = yes\nlinenumber = %d\n", n, n, n)
	}
	return b.String()
}

func TestLinesSortedWithoutLoss(t *testing.T) {
	// Asterisk's sorted insert drops a line when lines arrive in
	// descending order; phoneprovd keeps every line sorted
	// (docs/asterisk.md#lines-of-one-phone).
	for _, order := range [][]int{{1, 3, 5}, {5, 3, 1}, {3, 5, 1}, {5, 1, 3}} {
		s := newSite(t).cf("phoneprov.conf", `
			[general]
			default_profile = p
			[p]
			${MAC}.cfg => base.cfg
		`).tmpl("base.cfg", "${PP_EACH_EXTENSION(${MAC},line.cfg)}").tmpl("line.cfg", "${LINE}:${USERNAME};").
			cf("users.conf", linesUsers(order...))
		if got := s.render(s.load(), "0004f2000001.cfg", ""); got != "1:u1;3:u3;5:u5;" {
			t.Errorf("order %v: got %q", order, got)
		}
	}
}

func TestDuplicateLineRejected(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", dumpProfile).tmpl("dump.cfg", "${PP_EACH_EXTENSION(${MAC},line.cfg)}").
		tmpl("line.cfg", "${USERNAME};").
		cf("users.conf", "[a]\nusername = a\nmacaddress = 0004f2000001\nautoprov = yes\n[b]\nusername = b\nmacaddress = 0004f2000001\nautoprov = yes\n")
	snap := s.load()
	// Two users without linenumber collide on LINE 1: the second is
	// rejected with a warning naming both places.
	if got := s.render(snap, "0004f2000001.cfg", ""); got != "a;" {
		t.Errorf("got %q", got)
	}
	if !hasDiag(snap, "users.conf:5:", "duplicate linenumber=1", "users.conf:1") {
		t.Errorf("diagnostics: %v", snap.Diagnostics)
	}
}

func TestMACAcrossProviders(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", dumpProfile).tmpl("dump.cfg", "${USERNAME}").
		cf("users.conf", oneUser).
		cf("pjsip.conf", `
			[pp]
			type = phoneprov
			MAC = 0004f2000001
			PROFILE = p
		`)
	snap := s.load()
	// A MAC already added by another provider is rejected.
	if got := s.render(snap, "0004f2000001.cfg", ""); got != "6001" {
		t.Errorf("got %q", got)
	}
	if !hasDiag(snap, "pjsip.conf:1:", "0004f2000001", "already added by sipusers", "users.conf:1") {
		t.Errorf("diagnostics: %v", snap.Diagnostics)
	}
}

func TestRoutesFromFirstAddedLine(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", `
		[general]
		default_profile = p
		[p]
		${USERNAME}.cfg => t.cfg
	`).tmpl("t.cfg", "${USERNAME}").cf("users.conf", linesUsers(3, 1))
	snap := s.load()
	// URIs come from the first-added line; the body from the lowest LINE
	// (docs/asterisk.md#lines-of-one-phone).
	if snap.Route("u3.cfg") == nil || snap.Route("u1.cfg") != nil {
		t.Fatalf("routes: %v", routeURIs(snap))
	}
	if got := s.render(snap, "u3.cfg", ""); got != "u1" {
		t.Errorf("body from %q, want the lowest line u1", got)
	}
}

func TestTimezoneVars(t *testing.T) {
	tests := []struct {
		zone string
		want string
	}{
		// docs/asterisk.md#time-zone-variables, at 22 Nov 2026 (after DST
		// ended on 1 Nov).
		{"America/Denver", "-25200|1|3|14|3|11|1|1"},
		{"America/New_York", "-18000|1|3|14|3|11|1|1"},
		// Southern hemisphere: DST is in effect; start was 4 Oct 2026 at
		// 3:00 local, end is 4 Apr 2027 at 2:00 local.
		{"Australia/Sydney", "36000|1|10|4|3|4|4|2"},
		// No DST: only TZOFFSET; the DST variables do not exist.
		{"Asia/Kolkata", "19800|||||||"},
		{"UTC", "0|||||||"},
		// Unknown zone: TZOFFSET 0.
		{"Mars/Olympus", "0|||||||"},
	}
	for _, tt := range tests {
		s := newSite(t).cf("phoneprov.conf", dumpProfile).
			tmpl("dump.cfg", "${TZOFFSET}|${DST_ENABLE}|${DST_START_MONTH}|${DST_START_MDAY}|${DST_START_HOUR}|${DST_END_MONTH}|${DST_END_MDAY}|${DST_END_HOUR}").
			cf("users.conf", oneUser+"timezone = "+tt.zone+"\n")
		if got := s.render(s.load(), "0004f2000001.cfg", ""); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.zone, got, tt.want)
		}
	}
}

func TestTimezoneFromSetvarIgnored(t *testing.T) {
	// A TIMEZONE given only as a setvar does not affect TZOFFSET;
	// the server's zone (UTC here) does.
	s := newSite(t).cf("phoneprov.conf", dumpProfile+"setvar => TIMEZONE=America/Denver\n").
		tmpl("dump.cfg", "${TIMEZONE} ${TZOFFSET}").cf("users.conf", oneUser)
	if got := s.render(s.load(), "0004f2000001.cfg", ""); got != "America/Denver 0" {
		t.Errorf("got %q", got)
	}
}

// TestNormalMAC: a phone's MAC as written in users.conf, and its
// normalised form the request path uses.
func TestNormalMAC(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", dumpProfile).tmpl("dump.cfg", "${MAC}").
		cf("users.conf", "[a]\nusername = a\nmacaddress = 00:04:F2:AB:CD:EF\nautoprov = yes\n[b]\nusername = b\nmacaddress = not-a-mac\nautoprov = yes\n")
	got := map[string]string{}
	for _, p := range s.load().Phones() {
		got[p.MAC] = p.NormalMAC()
	}
	want := map[string]string{"00:04:F2:AB:CD:EF": "0004f2abcdef", "not-a-mac": ""}
	if !maps.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if m := (&Phone{MAC: "0004F2ABCDEF"}).NormalMAC(); m != "0004f2abcdef" {
		t.Errorf("a Phone built by hand: %q", m)
	}
}
