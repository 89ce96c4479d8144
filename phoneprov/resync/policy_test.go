package resync

import (
	"net/netip"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

func testPhone(mac, profile, endpoint, tech string) *phoneprov.Phone {
	return &phoneprov.Phone{MAC: mac, Profile: &phoneprov.Profile{Name: profile},
		Lines: []*phoneprov.Line{{Index: 1}, {Index: 2, Endpoint: endpoint, Tech: tech}}}
}

func TestPolicy(t *testing.T) {
	pol := Policy{
		Profiles: map[string]ProfilePolicy{
			"custom": {Event: "check-sync;reboot=true"},
			"opt":    {Option: "polycom-check-cfg"},
			"quiet":  {Off: true},
			"sipopt": {Option: "x"},
		},
		Vendor: func(mac string) (string, string, bool) {
			switch mac {
			case "seen-spa":
				return "Cisco", "SPA", true
			case "seen-mpp":
				return "Cisco", "MPP", true
			}
			return "", "", false
		},
	}
	tests := []struct {
		name  string
		phone *phoneprov.Phone
		want  Notification
		ok    bool
	}{
		{"profile event", testPhone("0004f2000001", "custom", "6001", "PJSIP"), Notification{Event: "check-sync;reboot=true"}, true},
		{"profile option", testPhone("0004f2000001", "opt", "6001", "PJSIP"), Notification{Option: "polycom-check-cfg"}, true},
		{"option needs PJSIP", testPhone("0004f2000001", "sipopt", "6001", "SIP"), Notification{Event: "check-sync"}, true},
		{"resync off", testPhone("0004f2000001", "quiet", "6001", "PJSIP"), Notification{}, false},
		{"no endpoint", testPhone("0004f2000001", "p", "", ""), Notification{}, false},
		{"seen as SPA", testPhone("seen-spa", "p", "6001", "PJSIP"), Notification{Event: "resync"}, true},
		{"seen as MPP", testPhone("seen-mpp", "p", "6001", "PJSIP"), Notification{Event: "check-sync"}, true},
		{"snom profile", testPhone("0004f2000001", "snom-d7xx", "6001", "PJSIP"), Notification{Event: "check-sync;reboot=false"}, true},
		{"cisco-spa profile", testPhone("0004f2000001", "cisco-spa", "6001", "PJSIP"), Notification{Event: "resync"}, true},
		{"Snom OUI", testPhone("000413aabbcc", "office", "6001", "PJSIP"), Notification{Event: "check-sync;reboot=false"}, true},
		{"Polycom OUI", testPhone("0004f2aabbcc", "office", "6001", "SIP"), Notification{Event: "check-sync"}, true},
		{"unknown", testPhone("nonsense", "office", "6001", ""), Notification{Event: "check-sync"}, true},
	}
	for _, tt := range tests {
		n, ok := pol.For(tt.phone)
		if ok != tt.ok {
			t.Errorf("%s: ok %v", tt.name, ok)
			continue
		}
		if !ok {
			continue
		}
		if n.Event != tt.want.Event || n.Option != tt.want.Option || n.Endpoint != "6001" || n.MAC != tt.phone.MAC {
			t.Errorf("%s: %+v, want event %q option %q", tt.name, n, tt.want.Event, tt.want.Option)
		}
		if tt.phone.Lines[1].Tech == "" && n.Tech != "PJSIP" {
			t.Errorf("%s: tech %q", tt.name, n.Tech)
		}
	}
}

// TestPolicyAddress checks that a phone without an endpoint is notified at
// its DHCP address, when one is known, and not otherwise.
func TestPolicyAddress(t *testing.T) {
	p := testPhone("0004f2000009", "p", "", "")
	leases := map[string]netip.Addr{"0004f2000009": netip.MustParseAddr("2001:db8::9")}
	pol := Policy{Address: func(mac string) (netip.Addr, bool) { a, ok := leases[mac]; return a, ok }}
	n, ok := pol.For(p)
	if !ok || n.URI != "sip:[2001:db8::9]:5060" || n.Endpoint != "" || n.Tech != "PJSIP" || n.Event == "" {
		t.Errorf("%v %+v", ok, n)
	}
	delete(leases, "0004f2000009")
	if n, ok := pol.For(p); ok {
		t.Errorf("notified without an endpoint or an address: %+v", n)
	}
}
