package inventory

import (
	"net/netip"
	"testing"
)

// TestSharedFileAttribution checks who a file shared by phones is
// recorded against: the MAC the request carries, else the one device seen
// at its address — never the configured phone that added the route.
func TestSharedFileAttribution(t *testing.T) {
	inv := New(Config{})
	a, b := netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("192.0.2.11")
	// Phone A (configured, a T46S whose route added y000000000066.cfg)
	// fetches its own file from a.
	inv.Observe(Request{Proto: "http", UserAgent: "Yealink SIP-T46S 66.86.0.15 80:5e:c0:aa:bb:01", Path: "805ec0aabb01.cfg",
		PhoneMAC: "805ec0aabb01", RemoteIP: a, Status: "200"})
	// Phone B, a T46U, fetches the shared file from b: its User-Agent
	// names it.
	inv.Observe(Request{Proto: "http", UserAgent: "Yealink SIP-T46U 108.86.0.45 80:5e:c0:aa:bb:02", Path: "y000000000066.cfg", RemoteIP: b, Status: "200"})
	if d, _ := inv.Get("805ec0aabb01"); d.Model != "SIP-T46S" && d.Model != "T46S" || d.LastIP != "192.0.2.10" || d.Requests != 1 {
		t.Errorf("phone A changed: %+v", d)
	}
	if d, ok := inv.Get("805ec0aabb02"); !ok || d.LastIP != "192.0.2.11" || len(d.Files) != 1 || d.Files[0].File != "y000000000066.cfg" {
		t.Errorf("phone B: %+v", d)
	}
	// A Polycom's User-Agent names no MAC: its shared fetch from the
	// address only it used is its own.
	c := netip.MustParseAddr("192.0.2.12")
	inv.Observe(Request{Proto: "http", UserAgent: "FileTransport PolycomVVX-VVX_400-UA/5.9.3", Path: "0004f2a1b2c3.cfg", PhoneMAC: "0004f2a1b2c3", RemoteIP: c, Status: "200"})
	inv.Observe(Request{Proto: "http", UserAgent: "FileTransport PolycomVVX-VVX_400-UA/5.9.3", Path: "sip.ld", RemoteIP: c, Status: "200"})
	if d, _ := inv.Get("0004f2a1b2c3"); d.Requests != 2 || d.Files[1].File != "sip.ld" {
		t.Errorf("a shared fetch from the phone's own address: %+v", d)
	}
	// Once another phone is seen at that address (a NAT), shared fetches
	// from it are nobody's.
	inv.Observe(Request{Proto: "http", UserAgent: "FileTransport PolycomVVX-VVX_400-UA/5.9.3", Path: "0004f2a1b2c4.cfg", PhoneMAC: "0004f2a1b2c4", RemoteIP: c, Status: "200"})
	inv.Observe(Request{Proto: "http", UserAgent: "FileTransport PolycomVVX-VVX_400-UA/5.9.3", Path: "sip.ld", RemoteIP: c, Status: "200"})
	for _, mac := range []string{"0004f2a1b2c3", "0004f2a1b2c4"} {
		if d, _ := inv.Get(mac); d.Files[len(d.Files)-1].File == "sip.ld" && d.Requests > 2 || mac == "0004f2a1b2c4" && d.Requests != 1 {
			t.Errorf("%s took a fetch from a shared address: %+v", mac, d)
		}
	}
}
