package inventory

import (
	"context"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
	"github.com/phoneprovd/phoneprovd/plugin"
	"github.com/phoneprovd/phoneprovd/plugin/plugincases"
)

// fixedSnapshot is a Snapshots (and a Reloader counting reloads).
type fixedSnapshot struct {
	snap *phoneprov.Snapshot

	mu      sync.Mutex
	reloads []string
}

func (f *fixedSnapshot) Snapshot() *phoneprov.Snapshot { return f.snap }

func (f *fixedSnapshot) Reload(_ context.Context, reason string) (reload.Result, error) {
	f.mu.Lock()
	f.reloads = append(f.reloads, reason)
	f.mu.Unlock()
	return reload.Result{}, nil
}

func (f *fixedSnapshot) reasons() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.reloads...)
}

// colonSnapshot has one phone whose MAC is written with colons.
func colonSnapshot(t *testing.T) *phoneprov.Snapshot {
	t.Helper()
	return phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
		"etc/users.conf":      "[6001]\nusername = 6001\nmacaddress = 00:04:F2:00:00:01\nautoprov = yes\n",
		"lib/phoneprov/t.cfg": "u=${USERNAME}\n",
	}).Load()
}

func TestPhones(t *testing.T) {
	snap := colonSnapshot(t)
	var ps Phones
	for _, mac := range []string{"00:04:F2:00:00:01", "0004f2000001", "0004F2000001"} {
		if p := ps.Phone(snap, mac); p == nil || p.MAC != "00:04:F2:00:00:01" {
			t.Errorf("%s: %v", mac, p)
		}
	}
	if ps.Phone(snap, "0004f2000002") != nil || ps.Phone(snap, "nonsense") != nil || ps.Phone(nil, "0004f2000001") != nil {
		t.Error("found a phone that is not there")
	}
	// Another snapshot gets its own index.
	other := colonSnapshot(t)
	if p := ps.Phone(other, "0004f2000001"); p == nil || p == snap.Phone("00:04:F2:00:00:01") {
		t.Error("the index of another snapshot was used")
	}
}

func TestObserveAndLease(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	inv := New(Config{Now: func() time.Time { return t0 }})
	r := httptest.NewRequest("GET", "/phoneprov/0004f2000001.cfg", nil)
	r.RemoteAddr = "192.0.2.10:5060"
	r.Header.Set("User-Agent", "PolycomVVX-VVX_410-UA/6.4.0.0000")
	inv.ObserveHTTP(httpserver.Served{Request: r, URI: "0004f2000001.cfg", Status: 200, Bytes: 12})
	inv.ObserveTFTP(tftpserver.Served{Filename: "0004f2000001.cfg", Remote: netip.MustParseAddrPort("192.0.2.10:1024"), Outcome: tftpserver.Completed, Bytes: 12})
	dev, ok := inv.Get("0004f2000001")
	if !ok || dev.LastIP != "192.0.2.10" || len(dev.Files) != 2 || dev.Files[0].Proto != "http" || dev.Files[0].Status != "200" || dev.Files[1].Status != "completed" {
		t.Fatalf("device %+v", dev)
	}
	sg, ok := inv.Sighting("0004f2000001")
	if !ok || sg.UserAgent != "PolycomVVX-VVX_410-UA/6.4.0.0000" || sg.Path != "0004f2000001.cfg" || sg.VendorClass != "" {
		t.Errorf("sighting %+v", sg)
	}

	// A lease: its address while it is active, and its vendor class.
	class := "digium_D40_1_1_0_0_48178"
	inv.ObserveLease(dhcp.Event{Source: "dnsmasq", Action: "add", MAC: "0004f2000001", IP: "10.0.0.51", VendorClass: &class}, dhcp.Identity{}, true)
	if ip, ok := inv.LeaseAddress("00:04:f2:00:00:01"); !ok || ip != netip.MustParseAddr("10.0.0.51") {
		t.Errorf("lease address %v %v", ip, ok)
	}
	if sg, _ := inv.Sighting("0004f2000001"); sg.VendorClass != class {
		t.Errorf("vendor class %q", sg.VendorClass)
	}
	inv.ObserveLease(dhcp.Event{Source: "dnsmasq", Action: "del", MAC: "0004f2000001", IP: "10.0.0.51", Ended: true}, dhcp.Identity{}, true)
	if _, ok := inv.LeaseAddress("0004f2000001"); ok {
		t.Error("an ended lease still gives an address")
	}
	if _, ok := inv.Sighting("0004f2ffffff"); ok {
		t.Error("a sighting of a device never seen")
	}
}

// TestIdentifier: a sighting that tells more about a plugin phone waiting
// to be identified asks for one reload; another request does not.
func TestIdentifier(t *testing.T) {
	conf, data, err := plugincases.WriteSite(t.TempDir(), "../../../shared/provd", "")
	if err != nil {
		t.Fatal(err)
	}
	inv := New(Config{})
	opts := phoneprov.Options{ConfigDir: conf, DataDir: data, Plugins: phoneprov.PluginOptions{
		Engine: plugin.JinjaEngine{}, Identify: inv.Sighting,
		Profiles: map[string]phoneprov.PluginProfile{"wazo-auto": {Plugin: phoneprov.AutoPlugin}}}}
	snap, err := phoneprov.Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	m := &fixedSnapshot{snap: snap}
	id := NewIdentifier(inv, m, nil)
	id.Requested(nil, "805ec0aabb01.cfg") // never seen: nothing to tell
	id.Seen("")
	if len(m.reasons()) != 0 {
		t.Fatalf("reloads %q", m.reasons())
	}
	r := httptest.NewRequest("GET", "/phoneprov/805ec0aabb01.cfg", nil)
	r.Header.Set("User-Agent", "Yealink SIP-T46S 66.86.0.15 80:5e:c0:aa:bb:01")
	inv.ObserveHTTP(httpserver.Served{Request: r, URI: "805ec0aabb01.cfg", Status: 404})
	id.Requested(nil, "805ec0aabb01.cfg")
	deadline := time.Now().Add(10 * time.Second)
	for len(m.reasons()) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := m.reasons(); len(got) != 1 || got[0] != "plugin phone 805ec0aabb01 identified" {
		t.Errorf("reloads %q", got)
	}
}

func TestPart(t *testing.T) {
	snap := colonSnapshot(t)
	stateDir := t.TempDir()
	inv := New(Config{})
	st := state.NewPart(state.Config{Dir: stateDir}, nil)
	p := NewPart(PartConfig{Inventory: inv, Snapshots: &fixedSnapshot{snap: snap}, State: st,
		ResyncState: func(mac string) string { return "pending" }})
	a := admin.New("test")
	d := daemon.New(daemon.Config{Admin: a})
	if err := d.Start(context.Background(), st, p); err != nil {
		t.Fatal(err)
	}
	inv.Observe(Request{Proto: "http", UserAgent: "Yealink SIP-T46S 66.86.0.15 80:5e:c0:aa:bb:01", Path: "805ec0aabb01.cfg", RemoteIP: netip.MustParseAddr("192.0.2.7"), Status: "404"})
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Body.String()
	}
	if code, body := get("/status/phones"); code != 200 || !strings.Contains(body, `"count": 2`) || !strings.Contains(body, `"resync": "pending"`) {
		t.Errorf("/status/phones: %d %s", code, body)
	}
	if code, body := get("/status/phones?configured=0"); code != 200 || !strings.Contains(body, `"count": 1`) || !strings.Contains(body, "805ec0aabb01") {
		t.Errorf("unknown devices: %d %s", code, body)
	}
	// The configured phone by its normalised MAC.
	if code, body := get("/status/phones/0004f2000001"); code != 200 || !strings.Contains(body, `"config"`) || !strings.Contains(body, `"username": "6001"`) {
		t.Errorf("phone: %d %s", code, body)
	}
	if code, body := get("/status/phones/805ec0aabb01"); code != 200 || !strings.Contains(body, `"device"`) || strings.Contains(body, `"config"`) {
		t.Errorf("device: %d %s", code, body)
	}
	if err := d.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Saved: the next start knows the device.
	inv2 := New(Config{})
	st = state.NewPart(state.Config{Dir: stateDir}, nil)
	d = daemon.New(daemon.Config{})
	if err := d.Start(context.Background(), st, NewPart(PartConfig{Inventory: inv2, Snapshots: &fixedSnapshot{snap: snap}, State: st})); err != nil {
		t.Fatal(err)
	}
	defer d.Stop(context.Background())
	if _, ok := inv2.Get("805ec0aabb01"); !ok {
		t.Error("the inventory was not saved")
	}
}
