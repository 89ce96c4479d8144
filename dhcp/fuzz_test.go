package dhcp

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/family/families"
)

// FuzzParseDottedHex: any string decodes to at most 255 bytes that encode
// back to the same bytes, or is refused; never a panic.
func FuzzParseDottedHex(f *testing.F) {
	for _, s := range []string{"", "64.69.67", "0:f:d3", "A.b.FF", "1.2.3.", "123", "ff.ff:ff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseDottedHex(s)
		if err != nil {
			return
		}
		if len(b) > MaxOptionLen {
			t.Fatalf("%d bytes", len(b))
		}
		back, err := ParseDottedHex(FormatDottedHex(b))
		if err != nil || !bytes.Equal(back, b) {
			t.Fatalf("round trip of %q: %q, %v", s, back, err)
		}
	})
}

// FuzzParseMAC: a MAC accepted is 12 lower-case hex digits, not zero.
func FuzzParseMAC(f *testing.F) {
	for _, s := range []string{"00:15:65:aa:bb:cc", "0:f:d3:aa:bb:1", "01-00:15:65:aa:bb:cc", "06-01:23:45:67:89:ab", "001565AABBCC", "0004.f2a1.b2c3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMAC(s)
		if err != nil {
			return
		}
		if len(m) != 12 || strings.Trim(m, "0123456789abcdef") != "" || m == "000000000000" {
			t.Fatalf("ParseMAC(%q) = %q", s, m)
		}
	})
}

// FuzzParseHook: whatever dnsmasq, dhcpd or Kea (or anybody) runs the hook
// with — arguments and environment — it returns valid events or an error,
// never a panic; events it returns pass the daemon's validation as they
// are, so the daemon never refuses what the command sends.
func FuzzParseHook(f *testing.F) {
	// args and env are NUL-separated lists; env entries NAME=VALUE.
	f.Add("add\x0000:15:65:aa:bb:cc\x0010.99.0.50\x00phone1", "DNSMASQ_VENDOR_CLASS=yealink\x00DNSMASQ_LEASE_EXPIRES=1795000000")
	f.Add("old\x0000:0f:d3:aa:bb:01\x0010.99.0.51", "DNSMASQ_DATA_MISSING=1\x00DNSMASQ_TIME_REMAINING=30")
	f.Add("del\x0006-01:23:45:67:89:ab\x0010.0.0.1", "")
	f.Add("tftp\x001234\x0010.0.0.1\x00/srv/tftp/x", "")
	f.Add("commit\x0010.99.0.52\x000:f:d3:aa:bb:1\x0064.69.67\x003600\x00d40", "")
	f.Add("expiry\x0010.99.0.52\x000:f:d3:aa:bb:1", "")
	f.Add("leases4_committed", "LEASES4_SIZE=2\x00LEASES4_AT0_ADDRESS=10.0.0.1\x00LEASES4_AT0_HWADDR=00:15:65:aa:bb:cc\x00LEASES4_AT1_HWADDR=x\x00DELETED_LEASES4_SIZE=1\x00DELETED_LEASES4_AT0_ADDRESS=10.0.0.2\x00DELETED_LEASES4_AT0_HWADDR=00:15:65:aa:bb:cd")
	f.Add("lease4_renew", "LEASE4_ADDRESS=::ffff:10.0.0.1\x00LEASE4_HWADDR=00:15:65:aa:bb:cc\x00LEASE4_CLTT=99999999999\x00LEASE4_VALID_LIFETIME=4294967295")
	f.Fuzz(func(t *testing.T, args, env string) {
		vars := map[string]string{}
		for _, kv := range strings.Split(env, "\x00") {
			k, v, _ := strings.Cut(kv, "=")
			vars[k] = v
		}
		events, err := ParseHook(strings.Split(args, "\x00"), func(k string) string { return vars[k] }, time.Unix(1795000000, 0))
		if err != nil {
			if len(events) != 0 {
				t.Fatalf("events with an error: %+v", events)
			}
			return
		}
		if len(events) == 0 || len(events) > MaxEvents {
			t.Fatalf("%d events without an error", len(events))
		}
		for _, e := range events {
			wire, _ := json.Marshal(Batch{Events: []Event{e}})
			var back Batch
			if err := json.Unmarshal(wire, &back); err != nil || len(back.Events) != 1 {
				t.Fatalf("%+v does not go through JSON: %v", e, err)
			}
			got := back.Events[0]
			if err := got.Validate(); err != nil {
				t.Fatalf("the daemon would refuse %+v: %v", e, err)
			}
			if deref(got.VendorClass) != deref(e.VendorClass) || got.MAC != e.MAC || got.IP != e.IP || got.Hostname != e.Hostname || !got.Expires.Equal(e.Expires) {
				t.Fatalf("JSON changed %+v into %+v", e, got)
			}
			_ = Identify(families.List(), e.MAC, Printable(deref(e.VendorClass)))
		}
	})
}

// FuzzParseDHCPInfo: any body is a valid event, ignored, or an error
// (which the endpoint answers with 400).
func FuzzParseDHCPInfo(f *testing.F) {
	f.Add([]byte(`{"dhcp_info": {"op": "commit", "ip": "10.34.1.111", "mac": "00:0f:d3:aa:bb:01", "options": ["06064.69.67.69.75.6d.5f.44.34.30.5f.31.5f.31.5f.30.5f.30.5f.34.38.31.37.38"]}}`))
	f.Add([]byte(`{"dhcp_info": {"op": "expiry", "ip": "10.34.1.111"}}`))
	f.Add([]byte(`{"dhcp_info": {"op": "release", "ip": "10.34.1.111", "mac": "000fd3aabb01"}}`))
	f.Add([]byte(`{"dhcp_info": {"op": "commit", "ip": "10.0.0.2", "mac": "00:15:65:aa:bb:cc", "options": ["0", "999ff"]}}`))
	f.Add([]byte(`{"dhcp_info": null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := ParseDHCPInfo(body)
		if errors.Is(err, ErrIgnored) || err != nil {
			if e != (Event{}) {
				t.Fatalf("an event with an error: %+v", e)
			}
			return
		}
		if e.Source != SourceProvd || len(e.MAC) != 12 || e.IP == "" || (e.Action == "commit") == e.Ended {
			t.Fatalf("event %+v", e)
		}
		if e.VendorClass != nil && len(*e.VendorClass) > MaxOptionLen {
			t.Fatalf("vendor class of %d bytes", len(*e.VendorClass))
		}
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
