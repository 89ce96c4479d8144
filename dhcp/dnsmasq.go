package dhcp

import (
	"fmt"
	"strconv"
	"time"
)

// ParseDnsmasq reads what dnsmasq gives its dhcp-script: the arguments
// (action, MAC, IP address, host name if known) and the environment
// (env looks a variable up). "add" is a new lease, "old" a known lease
// renewed or replayed from the lease file at start, "del" a lease that
// ended; other actions (init, tftp, arp-add, arp-del, relay-snoop, and
// any added later) return ErrIgnored, as do DHCPv6 leases (a DUID, not a
// MAC).
//
// Variables read: DNSMASQ_VENDOR_CLASS (option 60, only on "add" and on
// "old" when a client resumes a lease; DNSMASQ_DATA_MISSING says it cannot
// be known), DNSMASQ_LEASE_EXPIRES (Unix time) or DNSMASQ_LEASE_LENGTH
// (seconds, on systems without a real-time clock), DNSMASQ_TIME_REMAINING
// and DNSMASQ_SUPPLIED_HOSTNAME. now is the time the script runs.
func ParseDnsmasq(args []string, env func(string) string, now time.Time) (Event, error) {
	if len(args) == 0 {
		return Event{}, fmt.Errorf("dnsmasq: no action")
	}
	action := args[0]
	switch action {
	case "add", "old", "del":
	default:
		return Event{}, fmt.Errorf("dnsmasq action %q: %w", clip(action), ErrIgnored)
	}
	if len(args) < 3 || len(args) > 4 {
		return Event{}, fmt.Errorf("dnsmasq %s: want MAC IP [HOSTNAME], got %d arguments", action, len(args)-1)
	}
	if env("DNSMASQ_IAID") != "" || env("DNSMASQ_SERVER_DUID") != "" {
		return Event{}, fmt.Errorf("dnsmasq: a DHCPv6 lease: %w", ErrIgnored)
	}
	e := Event{Source: SourceDnsmasq, Action: action, Ended: action == "del", MAC: args[1], IP: args[2]}
	if len(args) == 4 {
		e.Hostname = args[3]
	} else {
		e.Hostname = env("DNSMASQ_SUPPLIED_HOSTNAME")
	}
	// dnsmasq sets DNSMASQ_VENDOR_CLASS only when the client sent option
	// 60, and only for "add" and for an "old" whose client resumed its
	// lease: an "add" without it is a client without a vendor class, an
	// "old" without it (a lease replayed from the lease file, a host name
	// changed) says nothing about it.
	switch vc := env("DNSMASQ_VENDOR_CLASS"); {
	case action == "add":
		e.VendorClass = strPtr(vc)
	case action == "old" && vc != "" && env("DNSMASQ_DATA_MISSING") != "1":
		e.VendorClass = strPtr(vc)
	}
	if !e.Ended {
		e.Expires = dnsmasqExpiry(env, now)
	}
	if err := e.Validate(); err != nil {
		return Event{}, fmt.Errorf("dnsmasq %s: %w", action, err)
	}
	return e, nil
}

// dnsmasqExpiry reads when the lease ends; zero for an infinite or
// unknown lease.
func dnsmasqExpiry(env func(string) string, now time.Time) time.Time {
	if v := env("DNSMASQ_LEASE_EXPIRES"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 && n < 1<<40 {
			return time.Unix(n, 0).UTC()
		}
		return time.Time{}
	}
	for _, name := range []string{"DNSMASQ_TIME_REMAINING", "DNSMASQ_LEASE_LENGTH"} {
		if v := env(name); v != "" {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 && n < 1<<32 {
				return now.Add(time.Duration(n) * time.Second).UTC().Truncate(time.Second)
			}
		}
	}
	return time.Time{}
}
