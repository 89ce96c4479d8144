package dhcp

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// envOf makes an environment lookup from NAME=VALUE pairs.
func envOf(pairs ...string) func(string) string {
	m := map[string]string{}
	for _, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		m[k] = v
	}
	return func(k string) string { return m[k] }
}

func vc(s string) *string { return &s }

func TestParseDottedHex(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
	}{
		{"", ""},
		{"64.69.67", "dig"},
		{"64:69:67", "dig"},
		{"0.15.65", "\x00\x15\x65"},
		{"A.b.FF", "\x0a\x0b\xff"},
		{"43.69.73.63.6f.0", "Cisco\x00"},
	} {
		got, err := ParseDottedHex(c.in)
		if err != nil || string(got) != c.want {
			t.Errorf("ParseDottedHex(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		if err == nil && c.in != "" {
			back, _ := ParseDottedHex(FormatDottedHex(got))
			if string(back) != c.want {
				t.Errorf("round trip of %q: %q", c.in, back)
			}
		}
	}
	for _, bad := range []string{".", "64.", ".64", "64..69", "123", "6g", "64.69:67", " 64", "64 ", strings.Repeat("ff.", 256) + "ff"} {
		if got, err := ParseDottedHex(bad); err == nil {
			t.Errorf("ParseDottedHex(%q) = %q, want an error", bad, got)
		}
	}
}

func TestParseMAC(t *testing.T) {
	for in, want := range map[string]string{
		"00:15:65:aa:bb:cc":    "001565aabbcc",
		"00:0F:D3:AA:BB:01":    "000fd3aabb01",
		"0:f:d3:aa:bb:1":       "000fd3aabb01", // ISC's binary-to-ascii
		"01-00:15:65:aa:bb:cc": "001565aabbcc",
		"00-15-65-AA-BB-CC":    "001565aabbcc",
		"001565aabbcc":         "001565aabbcc",
	} {
		if got, err := ParseMAC(in); err != nil || got != want {
			t.Errorf("ParseMAC(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "00:00:00:00:00:00", "0:0:0:0:0:0", "06-01:23:45:67:89:ab", "00:15:65:aa:bb", "00:15:65:aa:bb:cc:dd",
		"000:15:65:aa:bb:c", "00:03:00:01:52:54:00:12:34:56", "zz:15:65:aa:bb:cc"} {
		if got, err := ParseMAC(bad); err == nil {
			t.Errorf("ParseMAC(%q) = %q, want an error", bad, got)
		}
	}
}

func TestParseDnsmasq(t *testing.T) {
	expires := now.Add(time.Hour).Unix()
	cases := []struct {
		name string
		args []string
		env  func(string) string
		want Event
	}{
		{"a new Yealink lease", []string{"add", "00:15:65:aa:bb:cc", "10.99.0.50", "phone1"},
			envOf("DNSMASQ_VENDOR_CLASS=yealink", "DNSMASQ_LEASE_EXPIRES="+itoa(expires), "DNSMASQ_INTERFACE=veth0"),
			Event{Source: "dnsmasq", Action: "add", MAC: "001565aabbcc", IP: "10.99.0.50", VendorClass: vc("yealink"), Hostname: "phone1", Expires: time.Unix(expires, 0).UTC()}},
		{"a new lease without option 60 is a client without a vendor class", []string{"add", "00:0f:d3:aa:bb:01", "10.99.0.51"},
			envOf("DNSMASQ_TIME_REMAINING=600"),
			Event{Source: "dnsmasq", Action: "add", MAC: "000fd3aabb01", IP: "10.99.0.51", VendorClass: vc(""), Expires: now.Add(10 * time.Minute)}},
		{"a lease replayed at start says nothing about the class", []string{"old", "00:0f:d3:aa:bb:01", "10.99.0.51"},
			envOf("DNSMASQ_DATA_MISSING=1", "DNSMASQ_LEASE_LENGTH=3600"),
			Event{Source: "dnsmasq", Action: "old", MAC: "000fd3aabb01", IP: "10.99.0.51", Expires: now.Add(time.Hour)}},
		{"a resumed lease tells the class", []string{"old", "00:0f:d3:aa:bb:01", "10.99.0.51"},
			envOf("DNSMASQ_VENDOR_CLASS=digium_D40_1_1_0_0_48178", "DNSMASQ_SUPPLIED_HOSTNAME=d40"),
			Event{Source: "dnsmasq", Action: "old", MAC: "000fd3aabb01", IP: "10.99.0.51", VendorClass: vc("digium_D40_1_1_0_0_48178"), Hostname: "d40"}},
		{"a deleted lease ends", []string{"del", "00:15:65:aa:bb:cc", "10.99.0.50", "phone1"},
			envOf("DNSMASQ_VENDOR_CLASS=yealink", "DNSMASQ_LEASE_EXPIRES="+itoa(expires)),
			Event{Source: "dnsmasq", Action: "del", Ended: true, MAC: "001565aabbcc", IP: "10.99.0.50", Hostname: "phone1"}},
		{"a host name that is not printable is dropped", []string{"add", "00:15:65:aa:bb:cc", "10.99.0.50", "bad\x1bname"},
			envOf(), Event{Source: "dnsmasq", Action: "add", MAC: "001565aabbcc", IP: "10.99.0.50", VendorClass: vc("")}},
	}
	for _, c := range cases {
		got, err := ParseDnsmasq(c.args, c.env, now)
		if err != nil || !sameEvent(got, c.want) {
			t.Errorf("%s: got %+v, %v\nwant %+v", c.name, show(got), err, show(c.want))
		}
	}
	for _, ignored := range [][]string{{"init"}, {"tftp", "1234", "10.0.0.1", "/srv/x"}, {"arp-add", "00:15:65:aa:bb:cc", "10.0.0.1"}, {"relay-snoop"}, {"future-action", "x"}} {
		if _, err := ParseDnsmasq(ignored, envOf(), now); !errors.Is(err, ErrIgnored) {
			t.Errorf("%v: %v, want ErrIgnored", ignored, err)
		}
	}
	if _, err := ParseDnsmasq([]string{"add", "00:01:00:01:2c:c4", "2001:db8::5"}, envOf("DNSMASQ_IAID=5", "DNSMASQ_SERVER_DUID=00:01"), now); !errors.Is(err, ErrIgnored) {
		t.Errorf("a DHCPv6 lease: %v", err)
	}
	for _, bad := range [][]string{{"add"}, {"add", "00:15:65:aa:bb:cc"}, {"add", "nonsense", "10.0.0.1"}, {"add", "00:15:65:aa:bb:cc", "10.0.0.300"},
		{"add", "00:15:65:aa:bb:cc", "10.0.0.1", "h", "extra"}, {"add", "00:15:65:aa:bb:cc", "0.0.0.0"}} {
		if _, err := ParseDnsmasq(bad, envOf(), now); err == nil || errors.Is(err, ErrIgnored) {
			t.Errorf("%q: %v, want an error", bad, err)
		}
	}
	long := strings.Repeat("v", 256)
	if _, err := ParseDnsmasq([]string{"add", "00:15:65:aa:bb:cc", "10.0.0.1"}, envOf("DNSMASQ_VENDOR_CLASS="+long), now); err == nil {
		t.Error("a vendor class of 256 bytes was accepted")
	}
}

func TestParseISC(t *testing.T) {
	// What the execute() statement of dhcpconf's ISC snippet passes for a
	// Digium D40 and a Cisco with a NUL at the end of its class.
	d40 := FormatDottedHex([]byte("digium_D40_1_1_0_0_48178"))
	got, err := ParseISC([]string{"commit", "10.99.0.52", "0:f:d3:aa:bb:1", d40, "3600", "d40"}, now)
	want := Event{Source: "isc", Action: "commit", MAC: "000fd3aabb01", IP: "10.99.0.52", VendorClass: vc("digium_D40_1_1_0_0_48178"), Hostname: "d40", Expires: now.Add(time.Hour)}
	if err != nil || !sameEvent(got, want) {
		t.Errorf("commit: %+v, %v", show(got), err)
	}
	got, err = ParseISC([]string{"commit", "10.99.0.53", "88:43:e1:57:dd:cc", "43.50.2d.38.38.34.31.2d.33.50.43.43.0", "", ""}, now)
	if err != nil || *got.VendorClass != "CP-8841-3PCC\x00" || !got.Expires.IsZero() || got.Hostname != "" {
		t.Errorf("commit with a NUL and no length: %+v, %v", show(got), err)
	}
	got, err = ParseISC([]string{"commit", "10.99.0.53", "88:43:e1:57:dd:cc", "", "4294967295"}, now)
	if err != nil || *got.VendorClass != "" || !got.Expires.IsZero() {
		t.Errorf("commit without a class, infinite: %+v, %v", show(got), err)
	}
	for _, action := range []string{"release", "expiry"} {
		got, err := ParseISC([]string{action, "10.99.0.52", "0:f:d3:aa:bb:1"}, now)
		if err != nil || !got.Ended || got.VendorClass != nil || got.MAC != "000fd3aabb01" {
			t.Errorf("%s: %+v, %v", action, show(got), err)
		}
	}
	for _, bad := range [][]string{{"commit", "10.0.0.1", "0:f:d3:aa:bb:1", "64"}, {"commit", "10.0.0.1", "0:f:d3:aa:bb:1", "6x", "60"},
		{"commit", "10.0.0.1", "0:f:d3:aa:bb:1", "", "-5"}, {"release", "10.0.0.1"}, {"renew", "10.0.0.1", "0:f:d3:aa:bb:1"}, {}} {
		if _, err := ParseISC(bad, now); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseKea(t *testing.T) {
	// leases4_committed with a granted lease and a deleted one.
	env := envOf("LEASES4_SIZE=1", "LEASES4_AT0_ADDRESS=10.99.0.60", "LEASES4_AT0_HWADDR=00:15:65:aa:bb:cc",
		"LEASES4_AT0_CLTT="+itoa(now.Unix()), "LEASES4_AT0_VALID_LIFETIME=4000", "LEASES4_AT0_HOSTNAME=t46",
		"DELETED_LEASES4_SIZE=1", "DELETED_LEASES4_AT0_ADDRESS=10.99.0.61", "DELETED_LEASES4_AT0_HWADDR=00:0f:d3:aa:bb:01",
		"QUERY4_TYPE=DHCPREQUEST")
	got, err := ParseKea([]string{"leases4_committed"}, env)
	if err != nil || len(got) != 2 {
		t.Fatalf("leases4_committed: %+v, %v", got, err)
	}
	want := []Event{
		{Source: "kea", Action: "leases4_committed", MAC: "001565aabbcc", IP: "10.99.0.60", Hostname: "t46", Expires: now.Add(4000 * time.Second)},
		{Source: "kea", Action: "leases4_committed", Ended: true, MAC: "000fd3aabb01", IP: "10.99.0.61"},
	}
	for i := range want {
		if !sameEvent(got[i], want[i]) {
			t.Errorf("lease %d: %+v, want %+v", i, show(got[i]), show(want[i]))
		}
	}
	for hook, ended := range map[string]bool{"lease4_renew": false, "lease4_recover": false, "lease4_release": true, "lease4_expire": true, "lease4_decline": true} {
		got, err := ParseKea([]string{hook}, envOf("LEASE4_ADDRESS=10.99.0.60", "LEASE4_HWADDR=00:15:65:aa:bb:cc", "LEASE4_VALID_LIFETIME=60", "LEASE4_CLTT=1"))
		if err != nil || len(got) != 1 || got[0].Ended != ended || got[0].Action != hook || got[0].VendorClass != nil {
			t.Errorf("%s: %+v, %v", hook, got, err)
		}
	}
	for _, ignored := range []string{"lease6_renew", "leases6_committed", "pkt4_receive"} {
		if _, err := ParseKea([]string{ignored}, envOf("LEASE6_ADDRESS=2001:db8::1")); !errors.Is(err, ErrIgnored) {
			t.Errorf("%s: %v", ignored, err)
		}
	}
	// An INFORM commits no lease.
	if _, err := ParseKea([]string{"leases4_committed"}, envOf("LEASES4_SIZE=0", "DELETED_LEASES4_SIZE=0")); !errors.Is(err, ErrIgnored) {
		t.Errorf("no lease: %v", err)
	}
	if _, err := ParseKea([]string{"lease4_renew"}, envOf("LEASE4_ADDRESS=10.0.0.1", "LEASE4_HWADDR=bogus")); err == nil || errors.Is(err, ErrIgnored) {
		t.Errorf("a bad MAC: %v", err)
	}
	// A huge LEASES4_SIZE is bounded.
	if got, _ := ParseKea([]string{"leases4_committed"}, func(k string) string {
		switch {
		case k == "LEASES4_SIZE":
			return "1000000"
		case strings.HasSuffix(k, "_ADDRESS"):
			return "10.0.0.1"
		case strings.HasSuffix(k, "_HWADDR"):
			return "00:15:65:aa:bb:cc"
		}
		return ""
	}); len(got) != MaxEvents {
		t.Errorf("%d events from a huge LEASES4_SIZE", len(got))
	}
}

func TestParseHook(t *testing.T) {
	for _, c := range []struct {
		args   []string
		source string
	}{
		{[]string{"add", "00:15:65:aa:bb:cc", "10.0.0.1"}, "dnsmasq"},
		{[]string{"commit", "10.0.0.1", "0:15:65:aa:bb:cc", "", "60"}, "isc"},
		{[]string{"lease4_renew"}, "kea"},
	} {
		got, err := ParseHook(c.args, envOf("LEASE4_ADDRESS=10.0.0.1", "LEASE4_HWADDR=00:15:65:aa:bb:cc"), now)
		if err != nil || len(got) != 1 || got[0].Source != c.source {
			t.Errorf("%v: %+v, %v", c.args, got, err)
		}
	}
	if _, err := ParseHook(nil, envOf(), now); err == nil {
		t.Error("no arguments accepted")
	}
}

func TestParseDHCPInfo(t *testing.T) {
	// provd's own example: a Digium D40 committing, option 60 dotted hex.
	body := `{"dhcp_info": {"op": "commit", "ip": "10.34.1.111", "mac": "00:0f:d3:aa:bb:01",
		"options": ["060` + FormatDottedHex([]byte("digium_D40_1_1_0_0_48178")) + `", "0120.0", "055a.3.6.2a.42"]}}`
	e, err := ParseDHCPInfo([]byte(body))
	want := Event{Source: "provd", Action: "commit", MAC: "000fd3aabb01", IP: "10.34.1.111", VendorClass: vc("digium_D40_1_1_0_0_48178")}
	if err != nil || !sameEvent(e, want) {
		t.Fatalf("commit: %+v, %v", show(e), err)
	}
	// A commit without option 60 is a client without a vendor class.
	e, err = ParseDHCPInfo([]byte(`{"dhcp_info": {"op": "commit", "ip": "10.0.0.2", "mac": "001565aabbcc", "options": []}}`))
	if err != nil || e.VendorClass == nil || *e.VendorClass != "" {
		t.Errorf("no option 60: %+v, %v", show(e), err)
	}
	e, err = ParseDHCPInfo([]byte(`{"dhcp_info": {"op": "release", "ip": "10.0.0.2", "mac": "001565aabbcc"}}`))
	if err != nil || !e.Ended || e.Action != "release" {
		t.Errorf("release: %+v, %v", show(e), err)
	}
	if _, err := ParseDHCPInfo([]byte(`{"dhcp_info": {"op": "expiry", "ip": "10.0.0.2"}}`)); !errors.Is(err, ErrIgnored) {
		t.Errorf("expiry without a MAC: %v", err)
	}
	// The relay's format round-trips.
	if e2, err := ParseDHCPInfo(FormatDHCPInfo(want)); err != nil || !sameEvent(e2, want) {
		t.Errorf("FormatDHCPInfo round trip: %+v, %v", show(e2), err)
	}
	for _, bad := range []string{``, `{}`, `[]`, `{"dhcp_info": {}}`, `{"dhcp_info": {"op": "commit", "ip": "10.0.0.2"}}`,
		`{"dhcp_info": {"op": "commit", "ip": "10.0.0.2", "mac": "00:15:65:aa:bb:cc", "options": ["60"]}}`,
		`{"dhcp_info": {"op": "commit", "ip": "10.0.0.2", "mac": "00:15:65:aa:bb:cc", "options": ["06x64"]}}`,
		`{"dhcp_info": {"op": "commit", "ip": "10.0.0.2", "mac": "00:15:65:aa:bb:cc", "options": ["060zz"]}}`,
		`{"dhcp_info": {"op": "commit", "ip": "10.0.0.2", "mac": "nope", "options": []}}`,
		`{"dhcp_info": {"op": "commit", "ip": "ten", "mac": "00:15:65:aa:bb:cc", "options": []}}`,
		`{"dhcp_info": {"op": "renew", "ip": "10.0.0.2", "mac": "00:15:65:aa:bb:cc"}}`,
		`{"dhcp_info": {"op": "expiry", "ip": "nope"}}`,
		`{"dhcp_info": {"op": "commit", "ip": "10.0.0.2", "mac": "00:15:65:aa:bb:cc", "options": []}} {}`,
	} {
		if e, err := ParseDHCPInfo([]byte(bad)); err == nil || errors.Is(err, ErrIgnored) {
			t.Errorf("%s: %+v, %v; want an error", bad, show(e), err)
		}
	}
}

func TestLeaseUpdate(t *testing.T) {
	d40 := Identity{Vendor: "Digium", Model: "D40", Firmware: "1.1.0.0.48178", Source: SourceVendorClass}
	var l Lease
	l = l.Update(Event{Source: "dnsmasq", Action: "add", IP: "10.0.0.5", VendorClass: vc("digium_D40_1_1_0_0_48178"), Hostname: "d40", Expires: now.Add(time.Hour)}, d40, now)
	if !l.Active || l.IP != "10.0.0.5" || l.Identity != d40 || !l.First.Equal(now) || l.VendorClass != "digium_D40_1_1_0_0_48178" {
		t.Fatalf("after add: %+v", l)
	}
	// A replay at start without the class keeps what the add said, and
	// an identification by OUI does not replace one by vendor class.
	later := now.Add(time.Minute)
	l = l.Update(Event{Source: "dnsmasq", Action: "old", IP: "10.0.0.6"}, Identity{Vendor: "Digium", Source: "oui"}, later)
	if l.IP != "10.0.0.6" || l.VendorClass != "digium_D40_1_1_0_0_48178" || l.Hostname != "d40" || l.Identity != d40 || !l.First.Equal(now) || !l.At.Equal(later) || !l.Expires.IsZero() {
		t.Errorf("after old: %+v", l)
	}
	l = l.Update(Event{Source: "dnsmasq", Action: "del", Ended: true, IP: "10.0.0.6"}, Identity{}, later)
	if l.Active || !l.Expires.Equal(later) || l.Identity != d40 {
		t.Errorf("after del: %+v", l)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func sameEvent(a, b Event) bool {
	if (a.VendorClass == nil) != (b.VendorClass == nil) || a.VendorClass != nil && *a.VendorClass != *b.VendorClass {
		return false
	}
	a.VendorClass, b.VendorClass = nil, nil
	return a.Source == b.Source && a.Action == b.Action && a.Ended == b.Ended && a.MAC == b.MAC && a.IP == b.IP &&
		a.Hostname == b.Hostname && a.Expires.Equal(b.Expires)
}

// show prints an event with its vendor class.
func show(e Event) string {
	v := "<nil>"
	if e.VendorClass != nil {
		v = Printable(*e.VendorClass)
	}
	return strings.Join([]string{e.Source, e.Action, e.MAC, e.IP, "vc=" + v, "host=" + e.Hostname, "exp=" + e.Expires.String()}, " ")
}
