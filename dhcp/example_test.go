package dhcp_test

import (
	"fmt"
	"time"

	"github.com/phoneprovd/phoneprovd/dhcp"
	"github.com/phoneprovd/phoneprovd/family/families"
)

// dnsmasq runs its dhcp-script with the action, MAC, address and host
// name, and the lease's details in the environment; ParseDnsmasq makes an
// Event of them, and Identify tells the phone from its vendor class.
func ExampleParseDnsmasq() {
	env := map[string]string{
		"DNSMASQ_VENDOR_CLASS":  "Cisco Systems, Inc. IP Phone CP-7941G",
		"DNSMASQ_LEASE_EXPIRES": "1795000000",
	}
	now := time.Unix(1794996400, 0)
	e, err := dhcp.ParseDnsmasq([]string{"add", "00:1b:d4:a1:b2:c3", "10.0.0.21", "SEP001BD4A1B2C3"},
		func(k string) string { return env[k] }, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Source, e.Action, e.MAC, e.IP, e.Hostname, *e.VendorClass, e.Expires.Sub(now))
	id := dhcp.Identify(families.List(), e.MAC, *e.VendorClass)
	fmt.Println(id.Vendor, id.ProductLine, id.Source)
	// Output:
	// dnsmasq add 001bd4a1b2c3 10.0.0.21 SEP001BD4A1B2C3 Cisco Systems, Inc. IP Phone CP-7941G 1h0m0s
	// Cisco 79xx vendor-class
}

// ParseMAC takes every way the DHCP servers write a MAC, ISC's dropped
// leading zeros included.
func ExampleParseMAC() {
	for _, s := range []string{"00:15:65:AA:BB:CC", "0:15:65:aa:bb:c", "01-00:15:65:aa:bb:cc", "0015.65aa.bbcc"} {
		mac, err := dhcp.ParseMAC(s)
		fmt.Println(mac, err)
	}
	_, err := dhcp.ParseMAC("00:00:00:00:00:00")
	fmt.Println(err)
	// Output:
	// 001565aabbcc <nil>
	// 001565aabb0c <nil>
	// 001565aabbcc <nil>
	// 001565aabbcc <nil>
	// MAC "00:00:00:00:00:00": all zeros
}

// ParseDHCPInfo reads what Wazo's DHCP relays POST to provd: option 60 is
// "060" followed by its value in dotted hex.
func ExampleParseDHCPInfo() {
	e, err := dhcp.ParseDHCPInfo([]byte(`{"dhcp_info": {"op": "commit", "ip": "10.0.0.7", "mac": "00:0f:d3:aa:bb:01",
		"options": ["060` + dhcp.FormatDottedHex([]byte("digium_D40_1_4_0_0_57389")) + `"]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Source, e.Action, e.MAC, e.IP, *e.VendorClass)
	id := dhcp.Identify(families.List(), e.MAC, *e.VendorClass)
	fmt.Println(id.Vendor, id.Model, id.Firmware)
	// Output:
	// provd commit 000fd3aabb01 10.0.0.7 digium_D40_1_4_0_0_57389
	// Digium D40 1.4.0.0.57389
}
