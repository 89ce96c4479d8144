package dhcp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// MaxBody bounds the body of a lease POST.
const MaxBody = 64 << 10

// provdInfo is the body of provd's POST /dev_mgr/dhcpinfo.
type provdInfo struct {
	DHCPInfo *struct {
		Op      *string  `json:"op"`
		IP      *string  `json:"ip"`
		MAC     *string  `json:"mac"`
		Options []string `json:"options"`
	} `json:"dhcp_info"`
}

// ParseDHCPInfo reads the body Wazo's DHCP relays send to provd's
// POST /dev_mgr/dhcpinfo:
//
//	{"dhcp_info": {"op": "commit", "ip": "10.0.0.5", "mac": "00:15:65:aa:bb:cc",
//	               "options": ["060" + dotted hex of option 60, ...]}}
//
// Each option is its code in three decimal digits followed by its value in
// dotted hex ("06064.69.67" is option 60, "dig"); options other than 60 are
// checked and dropped. "commit" needs ip, mac and options, as in provd;
// "expiry" and "release" need ip, and end the lease of mac when mac is
// given — without it there is nothing to record (provd ignores them
// altogether) and ErrIgnored is returned. Any other op is an error.
func ParseDHCPInfo(body []byte) (Event, error) {
	var in provdInfo
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&in); err != nil {
		return Event{}, fmt.Errorf("dhcpinfo: %w", err)
	}
	if dec.More() {
		return Event{}, errors.New("dhcpinfo: data after the JSON object")
	}
	info := in.DHCPInfo
	if info == nil || info.Op == nil || info.IP == nil {
		return Event{}, errors.New(`dhcpinfo: want {"dhcp_info": {"op": ..., "ip": ..., "mac": ..., "options": [...]}}`)
	}
	e := Event{Source: SourceProvd, Action: *info.Op, IP: *info.IP}
	switch e.Action {
	case "commit":
		if info.MAC == nil || info.Options == nil {
			return Event{}, errors.New("dhcpinfo commit: mac and options are required")
		}
		vc := ""
		for i, raw := range info.Options {
			code, value, err := parseProvdOption(raw)
			if err != nil {
				return Event{}, fmt.Errorf("dhcpinfo: options[%d]: %w", i, err)
			}
			if code == 60 {
				vc = string(value)
			}
		}
		e.VendorClass = &vc
	case "expiry", "release":
		e.Ended = true
		if info.MAC == nil || *info.MAC == "" {
			if _, err := parseIP(e.IP); err != nil {
				return Event{}, fmt.Errorf("dhcpinfo %s: %w", e.Action, err)
			}
			return Event{}, fmt.Errorf("dhcpinfo %s without a MAC: %w", e.Action, ErrIgnored)
		}
	default:
		return Event{}, fmt.Errorf("dhcpinfo: invalid operation value %q (commit, expiry or release)", clip(e.Action))
	}
	e.MAC = *info.MAC
	if err := e.Validate(); err != nil {
		return Event{}, fmt.Errorf("dhcpinfo %s: %w", e.Action, err)
	}
	return e, nil
}

// parseProvdOption splits "CCC" + dotted hex into the code and the value.
func parseProvdOption(raw string) (int, []byte, error) {
	if len(raw) < 3 {
		return 0, nil, fmt.Errorf("%q: want a three-digit code and a dotted-hex value", clip(raw))
	}
	code, err := strconv.Atoi(raw[:3])
	if err != nil || code < 0 || code > 255 || raw[0] == '+' || raw[0] == '-' {
		return 0, nil, fmt.Errorf("%q: the code %q is not an option number", clip(raw), raw[:3])
	}
	value, err := ParseDottedHex(raw[3:])
	if err != nil {
		return 0, nil, fmt.Errorf("option %d: %w", code, err)
	}
	return code, value, nil
}

// FormatDHCPInfo writes the body a Wazo relay would POST for e, the
// inverse of ParseDHCPInfo (for tests and relays).
func FormatDHCPInfo(e Event) []byte {
	op := e.Action
	info := map[string]any{"op": op, "ip": e.IP, "mac": e.MAC}
	if op == "commit" {
		opts := []string{}
		if e.VendorClass != nil {
			opts = append(opts, "060"+FormatDottedHex([]byte(*e.VendorClass)))
		}
		info["options"] = opts
	}
	b, _ := json.Marshal(map[string]any{"dhcp_info": info})
	return b
}
