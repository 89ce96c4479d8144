package yealink

import (
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/family/provd"
)

// raw decodes a raw config or fails the test.
func raw(t *testing.T, s string) *provd.Dict {
	t.Helper()
	d, err := provd.DecodeRawConfig([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func v86Plugin(t *testing.T) *plugin {
	t.Helper()
	p, err := provdPlugin("wazo-yealink-v86", provd.Options{
		Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
		TZ:  provd.TZDB{Sources: []string{"/usr/share/zoneinfo"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p.(*plugin)
}

// configure runs Configure and returns the one file's context.
func configure(t *testing.T, model, cfg string) *provd.Dict {
	t.Helper()
	files, err := v86Plugin(t).Configure(provd.Device{MAC: "80:5e:c0:aa:bb:01", Vendor: "Yealink", Model: model}, raw(t, cfg))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Name != "805ec0aabb01.cfg" {
		t.Fatalf("files %+v", files)
	}
	if want := []string{"805ec0aabb01.cfg.tpl", model + ".tpl", "base.tpl"}; strings.Join(files[0].Templates, " ") != strings.Join(want, " ") {
		t.Errorf("templates %v, want %v", files[0].Templates, want)
	}
	return files[0].Context
}

const base = `"ip": "192.0.2.10", "http_port": 8667, "sip_proxy_ip": "192.0.2.10", "exten_pickup_call": "*8", "exten_voicemail": "*98"`

// TestFuncKeys: each kind of function key as common.py formats it, read
// by hand from _format_funckey_*: speeddial 13, "*3" recording 11, park
// 10, BLF 16 with the pickup extension, a line 15, an unknown type and an
// absent key empty; T46S has 27 line keys then 6 EXP40 modules of 40.
func TestFuncKeys(t *testing.T) {
	ctx := configure(t, "T46S", `{`+base+`,
		"sip_lines": {"1": {"username": "u1", "number": "1001"}, "5": {"username": "u5", "number": "1005"}},
		"funckeys": {
			"2": {"type": "blf", "value": "1105", "label": "Gérard", "line": 1},
			"3": {"type": "speeddial", "value": "*3", "label": "Rec"},
			"4": {"type": "park", "value": "700", "label": "Park", "line": 2},
			"6": {"type": "speeddial", "value": "0145678900"},
			"7": {"type": "intercom", "value": "1"},
			"30": {"type": "blf", "value": "1200", "label": "Exp"}
		}}`)
	fk := ctx.String("XX_fkeys")
	for _, want := range []string{
		"linekey.1.type = 15\nlinekey.1.line = 1\nlinekey.1.value = 1001\nlinekey.1.label = 1001\n\n",
		"linekey.2.type = 16\nlinekey.2.line = 1\nlinekey.2.value = 1105\nlinekey.2.label = Gérard\nlinekey.2.extension = *8\n\n",
		"linekey.3.type = 11\nlinekey.3.line = 1\nlinekey.3.value = *3\nlinekey.3.label = Rec\n\n",
		"linekey.4.type = 10\nlinekey.4.line = 2\nlinekey.4.value = 700\nlinekey.4.label = Park\n\n",
		"linekey.5.type = 15\nlinekey.5.line = 5\nlinekey.5.value = 1005\nlinekey.5.label = 1005\n\n",
		"linekey.6.type = 13\nlinekey.6.line = 1\nlinekey.6.value = 0145678900\nlinekey.6.label = \n\n",
		"linekey.7.type = 0\nlinekey.7.line = %NULL%\nlinekey.7.value = %NULL%\nlinekey.7.label = %NULL%\n\n",
		"linekey.27.type = 0\n",
		"expansion_module.1.key.3.type = 16\nexpansion_module.1.key.3.line = 1\nexpansion_module.1.key.3.value = 1200\n",
	} {
		if !strings.Contains(fk, want) {
			t.Errorf("XX_fkeys lacks %q", want)
		}
	}
	if n := strings.Count(fk, ".type = "); n != 27+6*40 {
		t.Errorf("%d keys, want %d", n, 27+6*40)
	}
	if !strings.HasSuffix(fk, "expansion_module.6.key.40.label = %NULL%\n") {
		t.Errorf("XX_fkeys ends %q", fk[len(fk)-60:])
	}
	// A conference phone has no keys at all.
	if fk := configure(t, "CP920", `{`+base+`, "sip_lines": {"1": {"username": "u1", "number": "1"}}}`).String("XX_fkeys"); fk != "" {
		t.Errorf("CP920 XX_fkeys = %q", fk)
	}
	// T5x models take EXP50: 3 modules of 60 keys.
	if fk := configure(t, "T53", `{`+base+`, "sip_lines": {}}`).String("XX_fkeys"); strings.Count(fk, ".type = ") != 21+3*60 {
		t.Errorf("T53: %d keys", strings.Count(fk, ".type = "))
	}
}

// TestLines: XX_sip_lines has one entry per account of the model, None
// where the config has no line; each line gets its number, DTMF type,
// voicemail, proxy and template id as _update_sip_lines sets them.
func TestLines(t *testing.T) {
	ctx := configure(t, "T41S", `{`+base+`, "sip_dtmf_mode": "RTP-in-band",
		"sip_lines": {
			"1": {"username": "a", "number": "1", "proxy_ip": "192.0.2.10"},
			"2": {"username": "b", "number": "2", "proxy_ip": "192.0.2.20", "dtmf_mode": "SIP-INFO", "voicemail": "*97"},
			"3": {"username": "c", "number": "3", "proxy_port": 5070}
		}}`)
	xx := ctx.Dict("XX_sip_lines")
	if xx.Len() != 6 {
		t.Fatalf("XX_sip_lines has %d lines, want 6 (T41S)", xx.Len())
	}
	if v, _ := xx.Get("4"); v != nil {
		t.Errorf("line 4 = %v, want None", v)
	}
	l1, l2, l3 := xx.Dict("1"), xx.Dict("2"), xx.Dict("3")
	check := func(l *provd.Dict, key string, want any) {
		t.Helper()
		if v, _ := l.Get(key); v != want {
			t.Errorf("line %v %s = %#v, want %#v", l.String("number"), key, v, want)
		}
	}
	check(l1, "XX_line_no", int64(1))
	check(l1, "XX_dtmf_type", "0")
	check(l1, "voicemail", "*98")
	check(l2, "XX_dtmf_type", "2")
	check(l2, "voicemail", "*97")
	check(l3, "proxy_ip", "192.0.2.10")
	check(l3, "registrar_ip", nil) // set by provd's defaults only from the line's own proxy
	// Templates: (10, None) → 1, (20, None) → 2, (10, 5070) → 3; lines
	// look theirs up with port 5060 when they have none: 1 and 1, then 3.
	check(l1, "XX_template_id", int64(1))
	check(l2, "XX_template_id", int64(1))
	check(l3, "XX_template_id", int64(3))
	if ctx.String("XX_sip_transport") != "0" {
		t.Errorf("XX_sip_transport %q", ctx.String("XX_sip_transport"))
	}
	// A model without an account count keeps the config's lines as they are.
	ctx = configure(t, "CP925", `{`+base+`, "sip_transport": "tls", "sip_lines": {"2": {"username": "b", "number": "2"}}}`)
	if xx := ctx.Dict("XX_sip_lines"); xx.Len() != 1 || xx.Dict("2") == nil {
		t.Errorf("CP925 XX_sip_lines = %s", provd.Repr(xx))
	}
	if ctx.String("XX_sip_transport") != "2" {
		t.Errorf("tls: XX_sip_transport %q", ctx.String("XX_sip_transport"))
	}
}

// TestTimezones: local_time lines for zones of both hemispheres, without
// DST, with half-hour offsets and beyond Yealink's range, in 2026.
func TestTimezones(t *testing.T) {
	cases := map[string]string{
		"Europe/Paris":         "local_time.time_zone = +1\nlocal_time.summer_time = 1\nlocal_time.dst_time_type = 1\nlocal_time.start_time = 3/5/7/2\nlocal_time.end_time = 10/4/7/3\nlocal_time.offset_time = 60",
		"Australia/Sydney":     "local_time.time_zone = +10\nlocal_time.summer_time = 1\nlocal_time.dst_time_type = 1\nlocal_time.start_time = 10/1/7/2\nlocal_time.end_time = 4/1/7/3\nlocal_time.offset_time = 60",
		"America/New_York":     "local_time.time_zone = -5\nlocal_time.summer_time = 1\nlocal_time.dst_time_type = 1\nlocal_time.start_time = 3/2/7/2\nlocal_time.end_time = 11/1/7/2\nlocal_time.offset_time = 60",
		"Asia/Kolkata":         "local_time.time_zone = +5\nlocal_time.summer_time = 0",
		"America/St_Johns":     "local_time.time_zone = -4\nlocal_time.summer_time = 1\nlocal_time.dst_time_type = 1\nlocal_time.start_time = 3/2/7/2\nlocal_time.end_time = 11/1/7/2\nlocal_time.offset_time = 60",
		"America/Sao_Paulo":    "local_time.time_zone = -3\nlocal_time.summer_time = 0",
		"Pacific/Kiritimati":   "local_time.time_zone = +12\nlocal_time.summer_time = 0",
		"Etc/GMT+12":           "local_time.time_zone = -11\nlocal_time.summer_time = 0",
		"Europe/Dublin":        "local_time.time_zone = +1\nlocal_time.summer_time = 1\nlocal_time.dst_time_type = 1\nlocal_time.start_time = 10/4/7/2\nlocal_time.end_time = 3/5/7/1\nlocal_time.offset_time = -60",
		"Moon/Sea_of_Serenity": "",
	}
	for zone, want := range cases {
		ctx := configure(t, "T46S", `{`+base+`, "timezone": "`+zone+`", "sip_lines": {}}`)
		got, ok := ctx.Get("XX_timezone")
		if want == "" {
			if ok {
				t.Errorf("%s: XX_timezone = %q, want none", zone, got)
			}
			continue
		}
		if got != want {
			t.Errorf("%s:\n got %q\nwant %q", zone, got, want)
		}
	}
}

// TestURLsLocaleFirmware: the phonebook and DND URLs, the locale's
// values, the firmware files and the device options.
func TestURLsLocaleFirmware(t *testing.T) {
	ctx := configure(t, "T54W", `{`+base+`, "locale": "de_DE", "X_xivo_phonebook_ip": "192.0.2.30",
		"X_xivo_user_uuid": "u-1", "X_xivo_phonebook_port": 443, "X_xivo_phonebook_scheme": "https", "sip_lines": {}}`)
	for key, want := range map[string]any{
		"XX_xivo_phonebook_url":                        "https://192.0.2.30:443/0.1/directories/lookup/default/yealink?xivo_user_uuid=u-1&term=#SEARCH",
		"XX_wazo_phoned_user_service_dnd_enabled_url":  "https://192.0.2.30:443/0.1/yealink/users/u-1/services/dnd/enable",
		"XX_wazo_phoned_user_service_dnd_disabled_url": "https://192.0.2.30:443/0.1/yealink/users/u-1/services/dnd/disable",
		"XX_lang": "German", "XX_country": "Germany", "XX_handset_lang": "2",
		"XX_server_url": "http://192.0.2.10:8667", "XX_server_url_without_scheme": "192.0.2.10:8667",
		"XX_fw_filename": "T54W(T57W,T53W,T53,T53C,T54,T57)-96.86.0.45(20211130).rom",
	} {
		if v, _ := ctx.Get(key); v != want {
			t.Errorf("%s = %#v, want %#v", key, v, want)
		}
	}
	if hs := ctx.Dict("XX_handsets_fw"); hs.Len() != 6 || hs.String("w56h") != "W56H-61.85.0.20.rom" {
		t.Errorf("XX_handsets_fw = %s", provd.Repr(hs))
	}
	if o := ctx.Dict("XX_options"); o == nil || o.Len() != 0 {
		t.Errorf("XX_options = %v", o)
	}
	// Without a user there is no phonebook URL; an unknown locale sets nothing.
	ctx = configure(t, "T46S", `{`+base+`, "locale": "pt_BR", "X_xivo_phonebook_ip": "192.0.2.30", "sip_lines": {}}`)
	for _, key := range []string{"XX_xivo_phonebook_url", "XX_lang", "XX_handsets_fw"} {
		if ctx.Has(key) {
			t.Errorf("%s set", key)
		}
	}
}

// TestConfigureRefuses: what the plugin's configure raises on.
func TestConfigureRefuses(t *testing.T) {
	p := v86Plugin(t)
	for name, tc := range map[string]struct {
		dev provd.Device
		cfg string
	}{
		"no http_port": {provd.Device{MAC: "80:5e:c0:aa:bb:01", Model: "T46S"}, `{"ip": "192.0.2.10", "sip_lines": {}}`},
		"no MAC":       {provd.Device{Model: "T46S"}, `{` + base + `}`},
		"no model":     {provd.Device{MAC: "80:5e:c0:aa:bb:01"}, `{` + base + `}`},
		"line without number for its key": {provd.Device{MAC: "80:5e:c0:aa:bb:01", Model: "T46S"},
			`{` + base + `, "sip_lines": {"1": {"username": "a"}}}`},
		"key without type": {provd.Device{MAC: "80:5e:c0:aa:bb:01", Model: "T46S"},
			`{` + base + `, "funckeys": {"1": {"value": "1"}}}`},
	} {
		if _, err := p.Configure(tc.dev, raw(t, tc.cfg)); err == nil {
			t.Errorf("%s: configured", name)
		}
	}
}

// TestAssociateAndIdentify: pgasso ratings and the extractors.
func TestAssociateAndIdentify(t *testing.T) {
	p := v86Plugin(t)
	for _, tc := range []struct {
		vendor, model, version string
		want                   provd.Support
	}{
		{"Yealink", "T46S", "66.86.0.15", provd.Exact},
		{"Yealink", "T46S", "66.85.0.5", provd.Complete},
		{"Yealink", "T99", "1", provd.Probable},
		{"Yealink", "", "", provd.Probable},
		{"Digium", "T46S", "66.86.0.15", provd.Improbable},
	} {
		if got := p.Associate(tc.vendor, tc.model, tc.version); got != tc.want {
			t.Errorf("Associate(%q, %q, %q) = %v, want %v", tc.vendor, tc.model, tc.version, got, tc.want)
		}
	}
	for _, tc := range []struct {
		ua, path string
		want     provd.Info
		ok       bool
	}{
		{"Yealink SIP-T46S 66.86.0.15 80:5e:c0:aa:bb:01", "/805ec0aabb01.cfg", provd.Info{Vendor: "Yealink", Model: "T46S", Version: "66.86.0.15", MAC: "80:5e:c0:aa:bb:01"}, true},
		{"Yealink SIP VP-T49G 51.80.0.10 00:15:65:9b:5a:44", "/x", provd.Info{Vendor: "Yealink", Model: "T49G", Version: "51.80.0.10", MAC: "00:15:65:9b:5a:44"}, true},
		{"Yealink W60B 77.81.0.35 80:5e:c0:09:ab:dc", "", provd.Info{Vendor: "Yealink", Model: "W60B", Version: "77.81.0.35", MAC: "80:5e:c0:09:ab:dc"}, true},
		{"Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0", "", provd.Info{Vendor: "Yealink", Model: "T46G", Version: "28.71.0.81"}, true},
		{"Yealink SIP-T56A 58.80.0.25 001565f429a4", "", provd.Info{}, false}, // no colons: none of the plugin's formats
		{"", "/805ec0aabb94.cfg", provd.Info{Vendor: "Yealink", MAC: "80:5e:c0:aa:bb:94"}, true},
		{"", "/aabbccddeeff.cfg", provd.Info{}, false},
		{"curl/7.88.1", "/805ec0aabb94.cfg", provd.Info{}, false},
	} {
		got, ok := p.IdentifyHTTP(tc.ua, tc.path)
		if got != tc.want || ok != tc.ok {
			t.Errorf("IdentifyHTTP(%q, %q) = %+v, %v; want %+v, %v", tc.ua, tc.path, got, ok, tc.want, tc.ok)
		}
	}
	if !p.IsSensitive("805ec0aabb01.cfg") || !p.IsSensitive("805ec0aabb01.cfg.bak") || p.IsSensitive("y000000000066.cfg") || p.IsSensitive("805EC0AABB01.cfg") {
		t.Error("IsSensitive")
	}
	if got := p.TriggerFile(provd.Device{MAC: "80:5e:c0:aa:bb:01"}); got != "805ec0aabb01.cfg" {
		t.Errorf("TriggerFile = %q", got)
	}
	if _, err := provdPlugin("wazo-yealink-v99", provd.Options{}); err == nil {
		t.Error("unknown plugin version accepted")
	}
}
