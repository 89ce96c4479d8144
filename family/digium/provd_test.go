package digium

import (
	"testing"

	"github.com/phoneprovd/phoneprovd/family/provd"
)

func newPlugin(t *testing.T) provd.Plugin {
	t.Helper()
	p, err := provdPlugin("wazo-digium-1.4.0.0", provd.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestConfigure: values derived by hand from BaseDigiumPlugin.configure:
// the proxy of the lowest line number (2 < 10 numerically), function keys
// re-keyed by number in their order, the locale or None, two files in
// Digium/.
func TestConfigure(t *testing.T) {
	raw, err := provd.DecodeRawConfig([]byte(`{"http_base_url": "https://pbx.example:8667", "ip": "x", "http_port": 1,
		"sip_lines": {"10": {"username": "a", "proxy_ip": "192.0.2.10"}, "2": {"username": "b", "proxy_ip": "192.0.2.2"}},
		"funckeys": {"10": {"type": "blf", "value": "1"}, "2": {"type": "speeddial", "value": "2"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	files, err := newPlugin(t).Configure(provd.Device{MAC: "00:0f:d3:aa:bb:02", Model: "D70"}, raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Name != "Digium/000fd3aabb02.cfg" || files[1].Name != "Digium/000fd3aabb02-contacts.xml" {
		t.Fatalf("files %+v", files)
	}
	if got := files[0].Templates; len(got) != 3 || got[0] != "000fd3aabb02.cfg.tpl" || got[1] != "D70.tpl" || got[2] != "base.tpl" {
		t.Errorf("templates %v", got)
	}
	ctx := files[0].Context
	for key, want := range map[string]any{
		"XX_mac": "000fd3aabb02", "XX_main_proxy_ip": "192.0.2.2", "XX_lang": nil,
		"XX_server_url": "https://pbx.example:8667", "XX_server_url_without_scheme": "pbx.example:8667",
	} {
		if v, ok := ctx.Get(key); v != want || !ok {
			t.Errorf("%s = %#v, want %#v", key, v, want)
		}
	}
	keys := ctx.Dict("XX_funckeys").Keys()
	if len(keys) != 2 || keys[0] != int64(10) || keys[1] != int64(2) {
		t.Errorf("XX_funckeys keys %#v", keys)
	}
	if raw.Has("XX_mac") || raw.Dict("sip_lines").Dict("2").Has("auth_username") {
		t.Error("Configure changed the caller's raw config")
	}
	if v, _ := provd.Get(ctx, "sip_lines", "2", "auth_username"); v != "b" {
		t.Errorf("auth_username default = %#v", v)
	}
	// Autoprov: no model → <mac>.cfg.tpl then base.tpl.
	files, err = newPlugin(t).Configure(provd.Device{MAC: "00:0f:d3:aa:bb:91", Vendor: "Digium"}, raw)
	if err != nil || len(files[0].Templates) != 2 {
		t.Errorf("no model: %v %v", files, err)
	}
	// No line, no MAC: refused.
	empty, _ := provd.DecodeRawConfig([]byte(`{"ip": "x", "http_port": 1}`))
	if _, err := newPlugin(t).Configure(provd.Device{MAC: "00:0f:d3:aa:bb:02"}, empty); err == nil {
		t.Error("configured without a line")
	}
	if _, err := newPlugin(t).Configure(provd.Device{}, raw); err == nil {
		t.Error("configured without a MAC")
	}
}

// TestAssociateAndIdentify: pgasso ratings and the HTTP and DHCP
// extractors.
func TestAssociateAndIdentify(t *testing.T) {
	p := newPlugin(t)
	for _, tc := range []struct {
		vendor, model, version string
		want                   provd.Support
	}{
		{"Digium", "D40", "1.4.0.0.57389", provd.Exact},
		{"Digium", "D62", "2.8.1", provd.Complete},
		{"Digium", "D80", "", provd.Probable},
		{"Yealink", "D40", "1.4.0.0.57389", provd.Improbable},
	} {
		if got := p.Associate(tc.vendor, tc.model, tc.version); got != tc.want {
			t.Errorf("Associate(%q, %q, %q) = %v, want %v", tc.vendor, tc.model, tc.version, got, tc.want)
		}
	}
	if info, ok := p.IdentifyHTTP("Digium D40 1.4.0.0.57389", "/Digium/000fd3aabb01.cfg"); !ok || info != (provd.Info{Vendor: "Digium", MAC: "00:0f:d3:aa:bb:01"}) {
		t.Errorf("IdentifyHTTP cfg: %+v %v", info, ok)
	}
	if info, ok := p.IdentifyHTTP("", "/Digium/000fd3aabb01-contacts.xml"); !ok || info != (provd.Info{Vendor: "Digium"}) {
		t.Errorf("IdentifyHTTP contacts: %+v %v", info, ok)
	}
	if info, ok := p.IdentifyHTTP("", "/Digium/000000000000.cfg"); !ok || info.MAC != "" {
		t.Errorf("IdentifyHTTP zero MAC: %+v %v", info, ok)
	}
	if _, ok := p.IdentifyHTTP("", "/000fd3aabb01.cfg"); ok {
		t.Error("IdentifyHTTP outside Digium/")
	}
	if info, ok := p.IdentifyDHCP("digium_D40_1_4_0_0_57389"); !ok || info != (provd.Info{Vendor: "Digium", Model: "D40", Version: "1.4.0.0.57389"}) {
		t.Errorf("IdentifyDHCP: %+v %v", info, ok)
	}
	if _, ok := p.IdentifyDHCP("digium_D40_x"); ok {
		t.Error("IdentifyDHCP accepted a bad version")
	}
	if !p.IsSensitive("000fd3aabb01.cfg") || p.IsSensitive("000fd3aabb01-contacts.xml") || p.IsSensitive("000fd3aabb01.cfg.bak") {
		t.Error("IsSensitive")
	}
	n, err := p.Synchronize(provd.Device{RemoteStateSIPUsername: "u1101d40", IP: "10.0.0.1"}, nil)
	if err != nil || n != (provd.Notification{Endpoint: "u1101d40", Event: "check-sync"}) {
		t.Errorf("Synchronize: %+v %v", n, err)
	}
	n, err = p.Synchronize(provd.Device{RemoteStateSIPUsername: "apq7k2m9zx", IP: "10.0.0.1"}, nil)
	if err != nil || n != (provd.Notification{URI: "sip:anonymous@10.0.0.1", Event: "check-sync"}) {
		t.Errorf("Synchronize autoprov: %+v %v", n, err)
	}
	if _, err := p.Synchronize(provd.Device{}, nil); err == nil {
		t.Error("Synchronize without endpoint or IP")
	}
}
