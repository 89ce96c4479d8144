package dhcpe2e

import (
	"os"
	"path/filepath"
	"testing"
)

// TestISCLeases: ISC dhcpd serving phoneprovd's generated configuration
// gives a Digium its option 66 URL, and its on commit execute() delivers
// the lease with option 60 (passed as dotted hex), so the D40 is
// identified with its model and firmware before it asks for anything; a
// release ends the lease.
func TestISCLeases(t *testing.T) {
	dhcpd := need(t, "dhcpd", "isc-dhcp-server")
	r := newRig(t)
	conf := filepath.Join(r.dir, "dhcpd.conf")
	os.WriteFile(conf, []byte("authoritative;\ndefault-lease-time 3600;\ninclude \""+r.config("isc")+"\";\n"+
		"subnet 10.213.0.0 netmask 255.255.255.0 {\n    range 10.213.0.50 10.213.0.99;\n}\n"), 0o644)
	leases := filepath.Join(r.dir, "dhcpd.leases")
	os.WriteFile(leases, nil, 0o644)
	start(t, "dhcpd", r.srv.command(dhcpd, "-4", "-f", "-d", "-cf", conf, "-lf", leases, "-pf", filepath.Join(r.dir, "dhcpd.pid"), r.srvIf))

	digium := r.phone.lease("00:0f:d3:aa:bb:01", "digium_D40_1_1_0_0_48178")
	if got := digium["new_tftp_server_name"]; got != provURL+"/Digium" {
		t.Errorf("the Digium received option 66 %q from dhcpd, want %q", got, provURL+"/Digium")
	}
	d := r.waitFor("000fd3aabb01", "dhcpd's lease", func(d device) bool { return d.Device != nil && d.Device.DHCP != nil })
	if !d.DHCPOnly || d.Device.Vendor != "Digium" || d.Device.Model != "D40" || d.Device.Firmware != "1.1.0.0.48178" ||
		d.Device.DHCP.Source != "isc" || d.Device.DHCP.Action != "commit" || d.Device.DHCP.IP != digium["new_ip_address"] ||
		d.Device.DHCP.VendorClass != "digium_D40_1_1_0_0_48178" {
		t.Errorf("the Digium: %+v %+v %+v", d, d.Device, d.Device.DHCP)
	}
	r.phone.stop("-r")
	r.waitFor("000fd3aabb01", "the released lease", func(d device) bool { return !d.Device.DHCP.Active && d.Device.DHCP.Action == "release" })
	r.daemon.NoSecrets(t, token)
}
