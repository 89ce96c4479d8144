package console

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings/settingstest"
)

// TestPartRefusesAnOpenListener: other hosts may not reach the admin
// listener without credentials and HTTPS, at start or after an edit.
func TestPartRefusesAnOpenListener(t *testing.T) {
	site := newTestSite(t, siteOptions{noResync: true})
	open := settingstest.Load(t, "[general]\nadmin = 0.0.0.0:8081\n")
	if _, err := NewPart(PartConfig{Settings: open, Admin: admin.New("test"), Snapshots: site.manager, Inventory: site.inv}); err == nil {
		t.Fatal("an admin listener open to other hosts without credentials")
	}
	cert, key := writeCert(t, t.TempDir(), "pbx.example.com")
	closed := "[general]\nadmin = 0.0.0.0:8081\n[admin]\nuser = root\npassword = long-secret-pw\ntls_cert = " + cert + "\ntls_key = " + key + "\n"
	p, err := NewPart(PartConfig{Settings: settingstest.Load(t, closed), Admin: admin.New("test"), Snapshots: site.manager, Inventory: site.inv})
	if err != nil {
		t.Fatal(err)
	}
	noPassword := settingstest.Load(t, "[general]\nadmin = 0.0.0.0:8081\n[admin]\ntls_cert = "+cert+"\ntls_key = "+key+"\n")
	if err := p.CheckSettings(noPassword); err == nil || !strings.HasPrefix(err.Error(), "phoneprovd.conf:3: the admin listener 0.0.0.0:8081 is reachable from other hosts without credentials") {
		t.Errorf("credentials removed: %v", err)
	}
	if restart, _ := p.Reconfigure(settingstest.Load(t, strings.Replace(closed, "tls_cert = "+cert, "tls_cert = /elsewhere.pem", 1))); len(restart) != 1 || restart[0] != "[admin] tls_cert changed (in force until a restart: "+cert+")" {
		t.Errorf("another certificate: %q", restart)
	}
}

// TestPart serves the admin listener as a part: /status and the console
// while it runs, new [admin] credentials from the next request on, the
// DHCP-only devices on the console's page, and nothing once stopped.
func TestPart(t *testing.T) {
	site := newTestSite(t, siteOptions{noResync: true})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	a := admin.New("test")
	s := settingstest.Load(t, "[general]\nadmin = "+ln.Addr().String()+"\n")
	p, err := NewPart(PartConfig{Listener: ln, Admin: a, Settings: s, Version: "test", Snapshots: site.manager, Inventory: site.inv,
		PhoneListener: &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 8080}})
	if err != nil {
		t.Fatal(err)
	}
	d := daemon.New(daemon.Config{Admin: a, Settings: s})
	if err := d.Start(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	get := func(path, user, password string) int {
		req, _ := http.NewRequest("GET", base+path, nil)
		if user != "" {
			req.SetBasicAuth(user, password)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if get("/status", "", "") != 200 || get("/", "", "") != 200 {
		t.Fatal("the admin listener does not serve")
	}
	// Credentials added: asked for from the next request on; /healthz
	// stays open.
	d.Swapped(reloadSwap(site, settingstest.Load(t, "[general]\nadmin = "+ln.Addr().String()+"\n[admin]\nuser = root\npassword = long-secret-pw\n")))
	if get("/status", "", "") != 401 || get("/status", "root", "long-secret-pw") != 200 || get("/healthz", "", "") != 200 {
		t.Error("the new credentials are not asked for")
	}
	if get("/", "root", "long-secret-pw") != 200 {
		t.Error("the console after the edit")
	}
	if restart := d.SettingsStatus().NeedsRestart; len(restart) != 0 {
		t.Errorf("needs restart %q", restart)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still serving after Stop")
	}
}

func TestPartDHCPDevices(t *testing.T) {
	inv := inventory.New(inventory.Config{})
	class := "digium_D40_1_1_0_0_48178"
	inv.ObserveLease(dhcp.Event{Source: "dnsmasq", Action: "add", MAC: "000fd3aabb01", IP: "10.0.0.51", VendorClass: &class},
		dhcp.Identity{Vendor: "Digium", Model: "D40", Firmware: "1.1.0.0.48178"}, false)
	inv.ObserveLease(dhcp.Event{Source: "dnsmasq", Action: "add", MAC: "805ec0aabb01", IP: "10.0.0.52"}, dhcp.Identity{Vendor: "Yealink"}, false)
	// The Yealink then fetches its file: it is no longer DHCP-only.
	inv.Observe(inventory.Request{Proto: "http", UserAgent: "Yealink SIP-T46S 66.86.0.15 80:5e:c0:aa:bb:01", Path: "805ec0aabb01.cfg",
		RemoteIP: netip.MustParseAddr("10.0.0.52"), Status: "200"})
	got := dhcpDevices{inv}.Devices()
	if len(got) != 1 || got[0].MAC != "000fd3aabb01" || got[0].IP != "10.0.0.51" || got[0].Model != "D40" || got[0].VendorClass != class {
		t.Errorf("DHCP-only devices %+v", got)
	}
}

func TestPreviewServer(t *testing.T) {
	if got := previewServer(&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 8080}); got != "192.0.2.7" {
		t.Errorf("a specific address: %q", got)
	}
	if got := previewServer(nil); got != "" {
		t.Errorf("none: %q", got)
	}
	if got := previewServer(&net.TCPAddr{Port: 8080}); got != "" && !netip.MustParseAddr(got).IsGlobalUnicast() {
		t.Errorf("a wildcard: %q", got)
	}
}

// reloadSwap is a swap of the site's snapshot with settings s.
func reloadSwap(site *testSite, s *settings.Settings) reload.Swap {
	return reload.Swap{Generation: site.manager.Generation() + 1, Snapshot: site.manager.Snapshot(), Previous: site.manager.Snapshot(), Settings: s}
}
