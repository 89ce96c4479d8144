package dhcp

import (
	"fmt"
	"strings"
	"time"
)

// ParseHook reads one invocation of the lease hook, from whichever DHCP
// server ran it, told apart by the first argument: dnsmasq's actions
// ("add", "old", "del", and the others it ignores), ISC's ("commit",
// "release", "expiry") or a Kea hook point ("leases4_committed",
// "lease4_…", "lease6_…"). An invocation that is not about a DHCPv4
// lease returns an error wrapping ErrIgnored.
func ParseHook(args []string, env func(string) string, now time.Time) ([]Event, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("no arguments: want dnsmasq's, ISC's or Kea's")
	}
	switch a := args[0]; {
	case a == "commit" || a == "release" || a == "expiry":
		e, err := ParseISC(args, now)
		if err != nil {
			return nil, err
		}
		return []Event{e}, nil
	case strings.HasPrefix(a, "lease4_") || strings.HasPrefix(a, "leases4_") ||
		strings.HasPrefix(a, "lease6_") || strings.HasPrefix(a, "leases6_"):
		return ParseKea(args, env)
	default:
		// dnsmasq: its actions, and any it adds later (to be ignored).
		e, err := ParseDnsmasq(args, env, now)
		if err != nil {
			return nil, err
		}
		return []Event{e}, nil
	}
}
