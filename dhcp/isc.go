package dhcp

import (
	"fmt"
	"strconv"
	"time"
)

// ParseISC reads the arguments ISC dhcpd's execute() passes in the
// statements dhcpconf writes (see the README's ISC section):
//
//	commit  IP MAC VENDOR-CLASS LEASE-SECONDS [HOSTNAME]
//	release IP MAC
//	expiry  IP MAC
//
// IP is binary-to-ascii(10, 8, ".", leased-address), MAC
// binary-to-ascii(16, 8, ":", substring(hardware, 1, 6)) (bytes below 0x10
// have one digit), VENDOR-CLASS option 60 as binary-to-ascii(16, 8, ".", …)
// — dotted hex, so that a class with a NUL (Cisco's) passes through an
// argument — or "" when the client sent none, LEASE-SECONDS the lease's
// length in decimal ("" when unknown). now is when the command runs.
func ParseISC(args []string, now time.Time) (Event, error) {
	if len(args) == 0 {
		return Event{}, fmt.Errorf("isc: no action")
	}
	action := args[0]
	var e Event
	switch action {
	case "commit":
		if len(args) < 5 || len(args) > 6 {
			return Event{}, fmt.Errorf("isc commit: want IP MAC VENDOR-CLASS LEASE-SECONDS [HOSTNAME], got %d arguments", len(args)-1)
		}
		vc, err := ParseDottedHex(args[3])
		if err != nil {
			return Event{}, fmt.Errorf("isc commit: vendor class: %w", err)
		}
		e = Event{VendorClass: strPtr(string(vc))}
		if args[4] != "" {
			n, err := strconv.ParseUint(args[4], 10, 32)
			if err != nil {
				return Event{}, fmt.Errorf("isc commit: lease length %q is not a number of seconds", clip(args[4]))
			}
			if n != 0xffffffff { // infinite
				e.Expires = now.Add(time.Duration(n) * time.Second).UTC().Truncate(time.Second)
			}
		}
		if len(args) == 6 {
			e.Hostname = args[5]
		}
	case "release", "expiry":
		if len(args) != 3 {
			return Event{}, fmt.Errorf("isc %s: want IP MAC, got %d arguments", action, len(args)-1)
		}
		e.Ended = true
	default:
		return Event{}, fmt.Errorf("isc: unknown action %q (commit, release or expiry)", clip(action))
	}
	e.Source, e.Action, e.IP, e.MAC = SourceISC, action, args[1], args[2]
	if err := e.Validate(); err != nil {
		return Event{}, fmt.Errorf("isc %s: %w", action, err)
	}
	return e, nil
}
