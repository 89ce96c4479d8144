package dhcp

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseKea reads what Kea's run_script hook (libdhcp_run_script.so) gives
// its script: the hook point's name as the only argument, the lease in the
// environment. It returns one event per lease the hook point reports:
//
//   - leases4_committed: LEASES4_SIZE leases LEASES4_AT<i>_* that were
//     granted or renewed, and DELETED_LEASES4_SIZE leases
//     DELETED_LEASES4_AT<i>_* that ended;
//   - lease4_renew, lease4_recover: LEASE4_*, active;
//   - lease4_release, lease4_expire, lease4_decline: LEASE4_*, ended.
//
// Of each lease it reads _ADDRESS, _HWADDR, _HOSTNAME, _CLTT (the client's
// last transaction, Unix time) and _VALID_LIFETIME (seconds). Kea does not
// pass option 60 to the script, so the events carry no vendor class.
// DHCPv6 hook points, and a lease without a hardware address, return
// ErrIgnored. Leases that do not parse are skipped, and reported in the
// error when none does.
func ParseKea(args []string, env func(string) string) ([]Event, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("kea: want the hook point's name, got %d arguments", len(args))
	}
	hook := args[0]
	var (
		events []Event
		errs   []string
	)
	add := func(prefix string, ended bool) {
		e, err := keaLease(hook, prefix, ended, env)
		switch {
		case err == nil:
			if len(events) < MaxEvents {
				events = append(events, e)
			}
		case len(errs) < 3:
			errs = append(errs, err.Error())
		}
	}
	switch hook {
	case "leases4_committed":
		for _, set := range []struct {
			prefix string
			ended  bool
		}{{"LEASES4", false}, {"DELETED_LEASES4", true}} {
			n, _ := strconv.Atoi(env(set.prefix + "_SIZE"))
			for i := 0; i < min(n, MaxEvents); i++ {
				add(fmt.Sprintf("%s_AT%d_", set.prefix, i), set.ended)
			}
		}
	case "lease4_renew", "lease4_recover":
		add("LEASE4_", false)
	case "lease4_release", "lease4_expire", "lease4_decline":
		add("LEASE4_", true)
	default:
		return nil, fmt.Errorf("kea hook point %q: %w", clip(hook), ErrIgnored)
	}
	if len(events) == 0 && len(errs) > 0 {
		return nil, fmt.Errorf("kea %s: %s", hook, strings.Join(errs, "; "))
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("kea %s: no lease: %w", hook, ErrIgnored)
	}
	return events, nil
}

// keaLease reads one lease from the variables starting with prefix.
func keaLease(hook, prefix string, ended bool, env func(string) string) (Event, error) {
	e := Event{Source: SourceKea, Action: hook, Ended: ended,
		MAC: env(prefix + "HWADDR"), IP: env(prefix + "ADDRESS"), Hostname: env(prefix + "HOSTNAME")}
	if e.MAC == "" {
		return Event{}, fmt.Errorf("%sHWADDR is empty: %w", prefix, ErrIgnored)
	}
	if !ended {
		cltt, err1 := strconv.ParseInt(env(prefix+"CLTT"), 10, 64)
		valid, err2 := strconv.ParseUint(env(prefix+"VALID_LIFETIME"), 10, 32)
		if err1 == nil && err2 == nil && cltt > 0 && cltt < 1<<40 && valid != 0xffffffff {
			e.Expires = time.Unix(cltt+int64(valid), 0).UTC()
		}
	}
	if err := e.Validate(); err != nil {
		return Event{}, fmt.Errorf("%s: %w", strings.TrimSuffix(prefix, "_"), err)
	}
	return e, nil
}
