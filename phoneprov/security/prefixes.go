package security

import "net/netip"

// prefixSet is a list of CIDR prefixes: an allowlist, where empty admits
// every address, or an exempt list, where empty holds none.
type prefixSet []netip.Prefix

// newPrefixSet copies ps, masked and with IPv4-mapped prefixes unmapped.
func newPrefixSet(ps []netip.Prefix) prefixSet {
	out := make(prefixSet, 0, len(ps))
	for _, p := range ps {
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out
}

// contains reports whether a is inside one of the prefixes.
func (s prefixSet) contains(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	for _, p := range s {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// admits is the allowlist reading: every address when s is empty.
func (s prefixSet) admits(a netip.Addr) bool {
	return len(s) == 0 || s.contains(a)
}

// admitsPublic reports whether the allowlist s admits an address of the
// public Internet: it is empty, or one of its prefixes is not inside a
// private, loopback, link-local, shared or documentation range.
func (s prefixSet) admitsPublic() bool {
	if len(s) == 0 {
		return true
	}
	for _, p := range s {
		if !insideNonPublic(p) {
			return true
		}
	}
	return false
}

// nonPublic are the ranges no Internet host sends from.
var nonPublic = [...]netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
}

// insideNonPublic reports whether every address of p is in one range of
// nonPublic.
func insideNonPublic(p netip.Prefix) bool {
	for _, r := range nonPublic {
		if r.Addr().Is4() == p.Addr().Is4() && r.Bits() <= p.Bits() && r.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// strings returns the prefixes as text, single addresses without a length.
func (s prefixSet) strings() []string {
	out := make([]string, 0, len(s))
	for _, p := range s {
		out = append(out, prefixString(p))
	}
	return out
}

// prefixString writes a single-address prefix as the address.
func prefixString(p netip.Prefix) string {
	if p.IsSingleIP() {
		return p.Addr().String()
	}
	return p.String()
}

// sourceKey is what a remote address is counted as: the address for IPv4,
// its prefix of length v6bits for IPv6, since one host usually owns a
// whole /64.
func sourceKey(a netip.Addr, v6bits int) netip.Prefix {
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return netip.PrefixFrom(a, 32)
	}
	p, err := a.Prefix(v6bits)
	if err != nil {
		return netip.PrefixFrom(a, a.BitLen())
	}
	return p
}
