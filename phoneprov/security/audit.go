package security

import (
	"net/netip"
	"strings"
)

// maxAuditUA is how much of a User-Agent the audit log keeps.
const maxAuditUA = 256

// audit logs one sensitive file let through: who (address, User-Agent,
// how authenticated), which phone and which route. Never the body.
func (g *Guard) audit(proto, method, mac, route string, remote netip.Addr, ua, auth string) {
	g.counters.servedSensitive.Add(1)
	g.log.Info("sensitive file served",
		"audit", true,
		"proto", proto,
		"method", method,
		"mac", mac,
		"route", route,
		"remote", remote.String(),
		"ua", clip(ua, maxAuditUA),
		"auth", auth)
}

// clip cuts s to at most n bytes and drops invalid UTF-8, including a
// sequence the cut split.
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}
