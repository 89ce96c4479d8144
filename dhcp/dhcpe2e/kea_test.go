package dhcpe2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeaLeases: kea-dhcp4 serving phoneprovd's generated configuration
// gives a Yealink its option 66 URL, and its run_script hook delivers the
// lease — address and MAC, Kea passes no option 60 — which identifies the
// Yealink by its OUI; a release ends the lease.
func TestKeaLeases(t *testing.T) {
	kea := need(t, "kea-dhcp4", "kea-dhcp4-server")
	r := newRig(t)
	b, err := os.ReadFile(r.config("kea"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]map[string]any
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatalf("the generated configuration is not JSON: %v", err)
	}
	d4 := cfg["Dhcp4"]
	d4["interfaces-config"] = map[string]any{"interfaces": []string{r.srvIf}, "dhcp-socket-type": "raw"}
	d4["lease-database"] = map[string]any{"type": "memfile", "persist": false}
	d4["valid-lifetime"] = 3600
	d4["subnet4"] = []any{map[string]any{"id": 1, "subnet": "10.213.0.0/24",
		"pools": []any{map[string]any{"pool": "10.213.0.50 - 10.213.0.99"}}}}
	d4["loggers"] = []any{map[string]any{"name": "kea-dhcp4", "severity": "INFO", "output_options": []any{map[string]any{"output": "stdout"}}}}
	full, _ := json.MarshalIndent(cfg, "", "  ")
	conf := filepath.Join(r.dir, "kea-dhcp4.json")
	os.WriteFile(conf, full, 0o644)
	cmd := r.srv.command(kea, "-c", conf)
	cmd.Env = append(os.Environ(), "KEA_PIDFILE_DIR="+r.dir, "KEA_LOCKFILE_DIR="+r.dir)
	start(t, "kea-dhcp4", cmd)

	yealink := r.phone.lease("00:15:65:aa:bb:cc", "yealink")
	if got := yealink["new_tftp_server_name"]; got != provURL {
		t.Errorf("the Yealink received option 66 %q from Kea, want %q", got, provURL)
	}
	y := r.waitFor("001565aabbcc", "Kea's lease", func(d device) bool { return d.Device != nil && d.Device.DHCP != nil })
	if !y.DHCPOnly || y.Device.Vendor != "Yealink" || y.Device.DHCP.Source != "kea" || y.Device.DHCP.IP != yealink["new_ip_address"] ||
		!strings.HasPrefix(y.Device.DHCP.Action, "lease") || !y.Device.DHCP.Active {
		t.Errorf("the Yealink: %+v %+v %+v", y, y.Device, y.Device.DHCP)
	}
	// Kea reports a release twice, as lease4_release and as a deleted lease
	// of leases4_committed, in no set order (run_script does not wait).
	r.phone.stop("-r")
	r.waitFor("001565aabbcc", "the released lease", func(d device) bool { return !d.Device.DHCP.Active && d.Device.DHCP.Source == "kea" })
	r.daemon.NoSecrets(t, token)
}
