package jinja

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The real Wazo provd plugins beside the repository.
const pluginsDir = "../../shared/provd/plugins"
const goldenDir = "../../shared/provd/golden"

// TestDiffPlugins renders every template of the real plugins with
// realistic contexts (golden raw configs plus the XX_ values the plugins
// compute) in Go and in Python and compares the bytes.
func TestDiffPlugins(t *testing.T) {
	py := requireOracle(t)
	plugins, err := filepath.Glob(filepath.Join(pluginsDir, "*"))
	if err != nil || len(plugins) == 0 {
		t.Fatalf("no plugins under %s (the provd reference lives in ../shared beside the repository): %v", pluginsDir, err)
	}
	total := 0
	for _, plugin := range plugins {
		tpls, _ := filepath.Glob(filepath.Join(plugin, "templates", "*.tpl"))
		if len(tpls) == 0 {
			continue
		}
		var contexts map[string]*Dict
		switch {
		case strings.Contains(plugin, "digium"):
			contexts = digiumContexts(t)
		case strings.Contains(plugin, "yealink"):
			contexts = yealinkContexts(t)
		default:
			t.Fatalf("no contexts for plugin %s", plugin)
		}
		dirs := []string{filepath.Join(plugin, "var", "templates"), filepath.Join(plugin, "templates")}
		var jobs []oracleJob
		for _, p := range tpls {
			name := filepath.Base(p)
			for cname, ctx := range contexts {
				raw, err := json.Marshal(ctx)
				if err != nil {
					t.Fatal(err)
				}
				jobs = append(jobs, oracleJob{ID: filepath.Base(plugin) + "/" + name + "/" + cname, Name: name, Context: raw})
			}
		}
		want := runOracle(t, py, dirs, jobs)
		env := New(DirLoader(dirs...), Options{})
		for _, j := range jobs {
			got, err := renderJobIntKeys(env, j)
			compareResult(t, j.ID, want[j.ID], got, err)
			if w := want[j.ID]; w.Out == nil {
				t.Errorf("%s: the oracle failed on a real template: %s", j.ID, w.Err)
			}
			total++
		}
	}
	if total < 100 {
		t.Errorf("only %d renderings of real templates", total)
	}
}

// renderJobIntKeys renders a job whose context marks int-keyed dicts as
// {"__int_keys__": {...}}, as the oracle reads them.
func renderJobIntKeys(env *Env, j oracleJob) ([]byte, error) {
	v, err := DecodeJSON(j.Context)
	if err != nil {
		return nil, err
	}
	vars := intKeys(v).(*Dict)
	tpl, err := env.Template(j.Name)
	if err != nil {
		return nil, err
	}
	return tpl.RenderDict(t0(), vars)
}

// intKeys converts {"__int_keys__": {...}} dicts into int-keyed dicts.
func intKeys(v any) any {
	switch x := v.(type) {
	case *Dict:
		if inner, ok := x.Get("__int_keys__"); ok && x.Len() == 1 {
			d := NewDict()
			inner.(*Dict).Range(func(k, v any) bool {
				var n int64
				fmt.Sscan(k.(string), &n)
				if err := d.SetKey(n, intKeys(v)); err != nil {
					panic(err)
				}
				return true
			})
			return d
		}
		for i := range x.vals {
			x.vals[i] = intKeys(x.vals[i])
		}
	case []any:
		for i := range x {
			x[i] = intKeys(x[i])
		}
	}
	return v
}

// loadRawConfig reads a golden raw config ({"raw_config": {...}}).
func loadRawConfig(t testing.TB, name string) *Dict {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, name, "raw_config.json"))
	if err != nil {
		t.Fatalf("golden raw config (../shared/provd beside the repository): %v", err)
	}
	v, err := DecodeJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := v.(*Dict).Get("raw_config")
	return raw.(*Dict)
}

// mustJSON decodes a JSON literal of a test.
func mustJSON(s string) any {
	v, err := DecodeJSON([]byte(s))
	if err != nil {
		panic(err)
	}
	return v
}

func get(d *Dict, k string) any {
	v, _ := d.Get(k)
	return v
}

// digiumContexts builds contexts as wazo-digium's configure() does:
// XX_server_url, XX_mac, XX_main_proxy_ip, XX_funckeys (int keys) and
// XX_lang (the locale, None when absent).
func digiumContexts(t testing.TB) map[string]*Dict {
	out := map[string]*Dict{}
	add := func(name string, raw *Dict, mac string) {
		raw.Set("XX_server_url", get(raw, "http_base_url"))
		raw.Set("XX_server_url_without_scheme", strings.TrimPrefix(get(raw, "http_base_url").(string), "http://"))
		raw.Set("XX_mac", mac)
		lines, _ := get(raw, "sip_lines").(*Dict)
		if lines != nil && lines.Len() > 0 {
			first, _ := lines.Get("1")
			if first == nil {
				first = lines.vals[0]
			}
			raw.Set("XX_main_proxy_ip", get(first.(*Dict), "proxy_ip"))
		} else {
			raw.Set("XX_main_proxy_ip", get(raw, "ip"))
		}
		fks := NewDict()
		if f, ok := get(raw, "funckeys").(*Dict); ok {
			fks = f
		}
		raw.Set("XX_funckeys", mustJSON(`{"__int_keys__": `+string(must(fks.MarshalJSON()))+`}`))
		raw.Set("XX_lang", get(raw, "locale"))
		out[name] = raw
	}
	add("d70-golden", loadRawConfig(t, "digium-d70-3lines-funckeys"), "000fd3aabb02")
	add("d40-golden", loadRawConfig(t, "digium-d40-1line"), "000fd3aabb01")

	// Every optional branch: VLAN, no NTP, no voicemail, 12 lines with
	// backups, 12 function keys whose int keys sort 1..12.
	v := loadRawConfig(t, "digium-d70-3lines-funckeys")
	v.Set("vlan_enabled", true)
	v.Set("vlan_id", 42)
	v.Set("ntp_enabled", false)
	v.Delete("exten_voicemail")
	v.Delete("timezone")
	v.Set("admin_password", nil)
	lines := NewDict()
	fks := NewDict()
	for i := 1; i <= 12; i++ {
		l := mustJSON(fmt.Sprintf(`{"username": "u%d", "auth_username": "a%d", "password": "p%d", "display_name": "<Ligne> & %d", "number": "%d", "proxy_ip": "192.0.2.10"}`, i, i, i, i, 2000+i)).(*Dict)
		if i%3 == 0 {
			l.Set("backup_proxy_ip", "192.0.2.11")
			l.Set("backup_proxy_port", 5062)
			l.Set("proxy_port", 5070)
		}
		lines.Set(fmt.Sprint(i), l)
		fk := mustJSON(fmt.Sprintf(`{"type": "%s", "value": "%d", "line": 1}`, map[bool]string{true: "blf", false: "speeddial"}[i%2 == 0], 3000+i)).(*Dict)
		if i != 5 {
			fk.Set("label", fmt.Sprintf("Key %d", i))
		}
		fks.Set(fmt.Sprint(13-i), fk)
	}
	v.Set("sip_lines", lines)
	v.Set("funckeys", fks)
	add("d70-all-branches", v, "000fd3aabb03")

	// An autoprov device: no lines, no function keys.
	a := mustJSON(`{"ip": "192.0.2.10", "http_port": 8667, "http_base_url": "http://192.0.2.10:8667", "sip_lines": {}, "funckeys": {}}`).(*Dict)
	add("autoprov", a, "000fd3aabb04")
	return out
}

// yealinkContexts builds contexts as wazo-yealink v86's configure() does.
func yealinkContexts(t testing.TB) map[string]*Dict {
	out := map[string]*Dict{}
	base := func() *Dict {
		raw := loadRawConfig(t, "yealink-t46s-1line")
		raw.Set("XX_server_url", get(raw, "http_base_url"))
		raw.Set("XX_server_url_without_scheme", strings.TrimPrefix(get(raw, "http_base_url").(string), "http://"))
		raw.Set("XX_fw_filename", "T46S(T48S,T42S,T41S)-66.86.0.15.rom")
		raw.Set("XX_sip_transport", "0")
		raw.Set("XX_options", NewDict())
		raw.Set("XX_xivo_phonebook_url", "http://192.0.2.10:9498/0.1/directories/lookup/default/yealink?xivo_user_uuid=11111111-1111-4111-8111-111111111001&term=#SEARCH")
		raw.Set("XX_fkeys", "linekey.1.type = 15\nlinekey.1.line = 1\nlinekey.1.value = 1001\nlinekey.1.label = 1001\n\nlinekey.2.type = 0\nlinekey.2.line = %NULL%\nlinekey.2.value = %NULL%\nlinekey.2.label = %NULL%\n")
		return raw
	}
	xxLines := func(raw *Dict, n int) {
		lines := get(raw, "sip_lines").(*Dict)
		xx := NewDict()
		for i := 1; i <= n; i++ {
			k := fmt.Sprint(i)
			l, ok := lines.Get(k)
			if ok {
				ld := l.(*Dict)
				ld.Set("XX_line_no", i)
				ld.Set("XX_dtmf_type", "1")
				ld.Set("voicemail", get(raw, "exten_voicemail"))
			}
			xx.Set(k, l)
		}
		raw.Set("XX_sip_lines", xx)
	}
	g := base()
	xxLines(g, 16)
	out["t46s-golden"] = g

	// Every optional branch: locale and time zone, VLAN with a PC port,
	// syslog, MWI, TLS (srtp), switchboard, handsets, phoned URLs and 16
	// lines so that "10" sorts before "2".
	v := base()
	v.Set("locale", "fr_FR")
	v.Set("XX_lang", "French")
	v.Set("XX_country", "France")
	v.Set("XX_handset_lang", "1")
	v.Set("XX_timezone", "local_time.time_zone = +1\nlocal_time.summer_time = 1\nlocal_time.dst_time_type = 1\nlocal_time.start_time = 3/5/7/2\nlocal_time.end_time = 10/5/7/3\nlocal_time.offset_time = 60")
	v.Set("vlan_enabled", true)
	v.Set("vlan_id", 100)
	v.Set("vlan_priority", 5)
	v.Set("vlan_pc_port_id", 200)
	v.Set("syslog_enabled", true)
	v.Set("syslog_ip", "192.0.2.50")
	v.Set("sip_subscribe_mwi", true)
	v.Set("XX_sip_transport", "2")
	v.Set("XX_options", mustJSON(`{"switchboard": true}`))
	v.Set("XX_handsets_fw", mustJSON(`{"W56H": "W56H-61.85.0.20.rom", "W53H": "W53H-88.85.0.20.rom", "CP930W": "CP930W-87.85.0.20.rom"}`))
	v.Set("XX_wazo_phoned_user_service_dnd_enabled_url", "https://192.0.2.10/dnd/on")
	v.Set("XX_wazo_phoned_user_service_dnd_disabled_url", "https://192.0.2.10/dnd/off")
	lines := get(v, "sip_lines").(*Dict)
	for i := 2; i <= 16; i += 2 {
		lines.Set(fmt.Sprint(i), mustJSON(fmt.Sprintf(`{"username": "u%d", "auth_username": "u%d", "password": "pw%d", "display_name": "Fran\u00e7ois <%d> & co", "number": "%s", "proxy_ip": "192.0.2.1%d", "proxy_port": 5060, "backup_proxy_ip": "192.0.2.99"}`, i, i, i, i, map[bool]string{true: "autoprov", false: fmt.Sprint(1000 + i)}[i == 4], i%10)))
	}
	xxLines(v, 16)
	out["t46s-all-branches"] = v

	// An autoprov device: no accounts, optional values absent.
	m := mustJSON(`{"ip": "192.0.2.10", "http_port": 8667, "http_base_url": "http://192.0.2.10:8667", "sip_lines": {}, "funckeys": {}, "exten_voicemail": "*98"}`).(*Dict)
	m.Set("XX_server_url", "http://192.0.2.10:8667")
	m.Set("XX_sip_transport", "0")
	m.Set("XX_options", NewDict())
	m.Set("XX_fkeys", "")
	xxLines(m, 6)
	out["autoprov"] = m
	return out
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
