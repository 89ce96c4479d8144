package main

import (
	"net/netip"
	"testing"

	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
)

// TestConsoleDHCPDevices checks what the console's DHCP page lists: the
// devices that leased an address and never asked for a file.
func TestConsoleDHCPDevices(t *testing.T) {
	inv := inventory.New(inventory.Config{})
	class := "digium_D40_1_1_0_0_48178"
	inv.ObserveLease(dhcp.Event{Source: "dnsmasq", Action: "add", MAC: "000fd3aabb01", IP: "10.0.0.51", VendorClass: &class},
		dhcp.Identity{Vendor: "Digium", Model: "D40", Firmware: "1.1.0.0.48178"}, false)
	inv.ObserveLease(dhcp.Event{Source: "dnsmasq", Action: "add", MAC: "805ec0aabb01", IP: "10.0.0.52"}, dhcp.Identity{Vendor: "Yealink"}, false)
	// The Yealink then fetches its file: it is no longer DHCP-only.
	inv.Observe(inventory.Request{Proto: "http", UserAgent: "Yealink SIP-T46S 66.86.0.15 80:5e:c0:aa:bb:01", Path: "805ec0aabb01.cfg",
		RemoteIP: netip.MustParseAddr("10.0.0.52"), Status: "200"})
	got := consoleDHCP{inv}.Devices()
	if len(got) != 1 || got[0].MAC != "000fd3aabb01" || got[0].IP != "10.0.0.51" || got[0].Model != "D40" || got[0].VendorClass != class {
		t.Errorf("DHCP-only devices %+v", got)
	}
}
