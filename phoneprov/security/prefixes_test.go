package security

import (
	"net/netip"
	"testing"
)

func pfx(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

func TestPrefixSet(t *testing.T) {
	s := newPrefixSet(pfx("10.0.0.0/8", "::ffff:192.168.1.0/120", "2001:db8::/32"))
	tests := []struct {
		addr     string
		contains bool
	}{
		{"10.1.2.3", true},
		{"::ffff:10.1.2.3", true}, // an IPv4 client on a dual-stack socket
		{"192.168.1.9", true},     // the mapped prefix, unmapped
		{"192.168.2.9", false},
		{"2001:db8::1", true},
		{"2001:db9::1", false},
		{"11.0.0.1", false},
	}
	for _, tt := range tests {
		if got := s.contains(netip.MustParseAddr(tt.addr)); got != tt.contains {
			t.Errorf("contains(%s) = %v", tt.addr, got)
		}
	}
	if !newPrefixSet(nil).admits(netip.MustParseAddr("203.0.113.1")) || newPrefixSet(nil).contains(netip.MustParseAddr("203.0.113.1")) {
		t.Error("empty set: an allowlist admits all, an exempt list holds none")
	}
	if got := newPrefixSet(pfx("10.0.0.0/8", "192.0.2.7/32")).strings(); got[0] != "10.0.0.0/8" || got[1] != "192.0.2.7" {
		t.Errorf("strings %q", got)
	}
}

func TestAdmitsPublic(t *testing.T) {
	tests := []struct {
		list   []netip.Prefix
		public bool
	}{
		{nil, true},
		{pfx("0.0.0.0/0"), true},
		{pfx("::/0"), true},
		{pfx("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "fc00::/7", "fe80::/10", "::1/128", "100.64.0.0/10"), false},
		{pfx("10.0.0.0/7"), true}, // 11/8 is public
		{pfx("172.16.0.0/11"), true},
		{pfx("192.168.10.0/24"), false},
		{pfx("198.51.100.0/24", "2001:db8::/48"), false}, // documentation ranges
		{pfx("192.168.0.0/16", "8.8.8.8/32"), true},
		{pfx("2000::/3"), true},
	}
	for _, tt := range tests {
		if got := newPrefixSet(tt.list).admitsPublic(); got != tt.public {
			t.Errorf("admitsPublic(%v) = %v", tt.list, got)
		}
	}
}
