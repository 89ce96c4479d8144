package inventory

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/internal/testlog"
)

// lease makes a validated lease event and identifies it as the daemon does.
func lease(t *testing.T, action, mac, ip, vendorClass string) (dhcp.Event, dhcp.Identity) {
	t.Helper()
	e := dhcp.Event{Source: dhcp.SourceDnsmasq, Action: action, Ended: action == "del", MAC: mac, IP: ip}
	if vendorClass != "-" {
		e.VendorClass = &vendorClass
	}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	return e, dhcp.Identify(families.List(), e.MAC, vendorClass)
}

func TestObserveLease(t *testing.T) {
	now := t0
	var logs testlog.Buffer
	inv := New(Config{Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	// A laptop on the same DHCP server is not recorded.
	if e, id := lease(t, "add", "52:54:00:12:34:56", "10.0.0.9", "MSFT 5.0"); inv.ObserveLease(e, id, false) {
		t.Error("recorded a device that is not a phone")
	}
	// A Digium that asked for nothing yet: identified from option 60.
	e, id := lease(t, "add", "00:0f:d3:aa:bb:01", "10.0.0.5", "digium_D40_1_1_0_0_48178")
	if !inv.ObserveLease(e, id, false) {
		t.Fatal("the D40 was not recorded")
	}
	d, ok := inv.Get("000fd3aabb01")
	if !ok || d.Vendor != "Digium" || d.Model != "D40" || d.Firmware != "1.1.0.0.48178" || d.Requests != 0 || !d.DHCPOnly() ||
		d.DHCP == nil || d.DHCP.IP != "10.0.0.5" || !d.DHCP.Active || !d.LastSeen.Equal(t0) {
		t.Fatalf("the D40: %+v %+v", d, d.DHCP)
	}
	l, ok := inv.LastLease("00-0F-D3-AA-BB-01")
	if !ok || l.VendorClass != "digium_D40_1_1_0_0_48178" || l.Identity.Model != "D40" {
		t.Errorf("LastLease: %+v, %v", l, ok)
	}
	// A configured phone is recorded whatever its lease says.
	if e, id := lease(t, "add", "52:54:00:aa:bb:cc", "10.0.0.10", ""); !inv.ObserveLease(e, id, true) {
		t.Error("a configured phone's lease was not recorded")
	}
	// The copy handed out is the caller's own.
	d.DHCP.IP = "changed"
	if l, _ := inv.LastLease("000fd3aabb01"); l.IP != "10.0.0.5" {
		t.Error("Get shares the lease with the inventory")
	}

	// The listing shows it as leased, never fetched, with the hint.
	list := inv.List(nil, Filter{DHCPOnly: true})
	if len(list) != 2 || list[0].MAC != "000fd3aabb01" || !list[0].DHCPOnly || list[0].Seen || !strings.Contains(list[0].Hint, "option 66, which Digium phones read") {
		t.Fatalf("DHCP-only listing: %+v", list)
	}

	// A replay at dnsmasq's start (no class) and a later OUI-only
	// identification keep the model; an ended lease does not move LastSeen.
	now = t0.Add(time.Hour)
	e, id = lease(t, "old", "00:0f:d3:aa:bb:01", "10.0.0.6", "-")
	inv.ObserveLease(e, id, false)
	now = t0.Add(2 * time.Hour)
	e, id = lease(t, "del", "00:0f:d3:aa:bb:01", "10.0.0.6", "-")
	inv.ObserveLease(e, id, false)
	d, _ = inv.Get("000fd3aabb01")
	if d.Model != "D40" || d.DHCP.VendorClass != "digium_D40_1_1_0_0_48178" || d.DHCP.IP != "10.0.0.6" || d.DHCP.Active || !d.LastSeen.Equal(t0.Add(time.Hour)) {
		t.Errorf("after old and del: %+v %+v", d, d.DHCP)
	}

	// Its first request: no longer DHCP-only, logged as a new device; the
	// User-Agent wins over option 60, the lease stays.
	inv.Observe(Request{Proto: "http", UserAgent: "Digium D40 1.4.0.0.57389", Path: "Digium/000fd3aabb01.cfg", Status: "404", At: now})
	d, _ = inv.Get("000fd3aabb01")
	if d.DHCPOnly() || d.Requests != 1 || d.Firmware != "1.4.0.0.57389" || d.DHCP == nil {
		t.Errorf("after its first request: %+v", d)
	}
	if !strings.Contains(logs.String(), "a device that is not configured asked for a file") || !strings.Contains(logs.String(), "mac=000fd3aabb01") {
		t.Errorf("its first request was not logged:\n%s", logs.String())
	}
	// A lease after the User-Agent does not overwrite it.
	e, id = lease(t, "add", "00:0f:d3:aa:bb:01", "10.0.0.7", "digium_D40_1_1_0_0_48178")
	inv.ObserveLease(e, id, false)
	if d, _ := inv.Get("000fd3aabb01"); d.Firmware != "1.4.0.0.57389" || d.DHCP.IP != "10.0.0.7" {
		t.Errorf("a lease after the User-Agent: %+v", d)
	}
	if list := inv.List(nil, Filter{DHCPOnly: true}); len(list) != 1 || list[0].MAC != "525400aabbcc" {
		t.Errorf("DHCP-only after the fetch: %+v", list)
	}
}

// TestLeasePersisted: a lease is saved with its device and read back.
func TestLeasePersisted(t *testing.T) {
	dir := t.TempDir()
	inv, st := persisted(t, dir, func() time.Time { return t0 })
	e, id := lease(t, "add", "00:15:65:aa:bb:cc", "10.0.0.8", "yealink")
	inv.ObserveLease(e, id, false)
	if n := inv.Pending(); n != 1 {
		t.Errorf("%d changes pending", n)
	}
	if err := st.Flush(); err != nil {
		t.Fatal(err)
	}
	st.Close()
	again, st2 := persisted(t, dir, nil)
	defer st2.Close()
	l, ok := again.LastLease("001565aabbcc")
	d, _ := again.Get("001565aabbcc")
	if !ok || l.IP != "10.0.0.8" || l.VendorClass != "yealink" || l.Identity.Vendor != "Yealink" || !l.At.Equal(t0) || !d.DHCPOnly() || d.Vendor != "Yealink" {
		t.Errorf("after reopening: %+v %+v", l, d)
	}
}

// TestLeasesBounded: unknown phones known from leases count against
// MaxUnknown like those that asked.
func TestLeasesBounded(t *testing.T) {
	inv := New(Config{MaxUnknown: 10, Now: func() time.Time { return t0 }})
	for i := 0; i < 50; i++ {
		e, id := lease(t, "add", "00:15:65:00:00:"+string("0123456789abcdef"[i/16])+string("0123456789abcdef"[i%16]), "10.0.0.1", "yealink")
		inv.ObserveLease(e, id, false)
	}
	if n := len(inv.All()); n > 10 {
		t.Errorf("%d devices kept, MaxUnknown 10", n)
	}
}
