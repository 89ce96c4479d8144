package phoneprov

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
	"github.com/phoneprovd/phoneprovd/family/provd"
)

// testPhone is a phone with lines of the given variables, in LINE order.
func testPhone(lines ...subst.Vars) *Phone {
	p := &Phone{MAC: "805ec0aabb01", Profile: &Profile{Name: "p"}}
	for i, vars := range lines {
		p.Lines = append(p.Lines, &Line{Index: i + 1, Vars: vars})
	}
	p.first = p.Lines[0]
	p.ownServer = p.Lines[0].Vars.Has("SERVER")
	return p
}

func vars(kv ...string) subst.Vars {
	var v subst.Vars
	for i := 0; i+1 < len(kv); i += 2 {
		v = append(v, subst.Var{Name: kv[i], Value: kv[i+1]})
	}
	return v
}

func jsonOf(t *testing.T, d *provd.Dict) string {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRawConfig: the mapping table, case by case.
func TestRawConfig(t *testing.T) {
	rs := rawSettings{}
	cases := []struct {
		name     string
		phone    *Phone
		server   string
		want     string
		problems []string
	}{
		{
			name:   "standard variables, SERVER from the request",
			phone:  testPhone(vars("USERNAME", "u1", "SECRET", "s1", "DISPLAY_NAME", "Alice", "CALLERID", "1001", "SERVER_PORT", "5060", "TIMEZONE", "Europe/Paris", "VOICEMAIL_EXTEN", "*97", "LINE", "1")),
			server: "192.0.2.5",
			want: `{"ip":"192.0.2.5","http_port":8080,"http_base_url":"http://192.0.2.5:8080/phoneprov","protocol":"SIP","sip_proxy_ip":"192.0.2.5",` +
				`"timezone":"Europe/Paris","exten_voicemail":"*97",` +
				`"sip_lines":{"1":{"username":"u1","password":"s1","display_name":"Alice","number":"1001","proxy_ip":"192.0.2.5"}},"funckeys":{}}`,
		},
		{
			name:   "a configured SERVER wins; a port other than 5060 is the line's proxy_port; no CALLERID: the user name is the number",
			phone:  testPhone(vars("USERNAME", "u1", "SERVER", "10.0.0.1", "SERVER_PORT", "5070")),
			server: "192.0.2.5",
			want: `{"ip":"10.0.0.1","http_port":8080,"http_base_url":"http://10.0.0.1:8080/phoneprov","protocol":"SIP","sip_proxy_ip":"10.0.0.1",` +
				`"sip_lines":{"1":{"username":"u1","number":"u1","proxy_ip":"10.0.0.1","proxy_port":5070}},"funckeys":{}}`,
		},
		{
			name: "provd keys typed, X_ keys, enabling switches, the first of a name wins, phone keys from the first line only",
			phone: testPhone(
				vars("USERNAME", "u1", "locale", "fr_FR", "ntp_ip", "192.0.2.40", "vlan_id", "20", "vlan_id", "30", "sip_subscribe_mwi", "yes",
					"dns_enabled", "no", "dns_ip", "192.0.2.53", "X_xivo_user_uuid", "abc", "http_base_url", "https://prov.example/x", "ip", "192.0.2.99", "not_a_key", "x"),
				vars("USERNAME", "u2", "locale", "de_DE", "backup_proxy_ip", "192.0.2.12", "proxy_port", "5080", "dtmf_mode", "SIP-INFO")),
			server: "192.0.2.5",
			want: `{"ip":"192.0.2.99","http_port":8080,"http_base_url":"https://prov.example/x","protocol":"SIP","sip_proxy_ip":"192.0.2.5",` +
				`"locale":"fr_FR","ntp_ip":"192.0.2.40","vlan_id":20,"sip_subscribe_mwi":true,"dns_enabled":false,"dns_ip":"192.0.2.53","X_xivo_user_uuid":"abc",` +
				`"ntp_enabled":true,"vlan_enabled":true,` +
				`"sip_lines":{"1":{"username":"u1","number":"u1","proxy_ip":"192.0.2.5"},"2":{"username":"u2","number":"u2","proxy_ip":"192.0.2.5","backup_proxy_ip":"192.0.2.12","proxy_port":5080,"dtmf_mode":"SIP-INFO"}},"funckeys":{}}`,
		},
		{
			name: "function keys in number order, quoted labels, default line, bad ones left out",
			phone: testPhone(vars("USERNAME", "u1",
				"funckey.10", "blf,2010,Boss", "funckey.2", `speeddial,0611,"Doe, John",2`, "funckey.1", "park", "funckey.3", "blf",
				"funckey.0", "blf,1", "funckey.x", "blf,1", "funckey.4", "Bad Type,1", "funckey.5", "blf,1,l,zero")),
			server: "192.0.2.5",
			want: `{"ip":"192.0.2.5","http_port":8080,"http_base_url":"http://192.0.2.5:8080/phoneprov","protocol":"SIP","sip_proxy_ip":"192.0.2.5",` +
				`"sip_lines":{"1":{"username":"u1","number":"u1","proxy_ip":"192.0.2.5"}},` +
				`"funckeys":{"1":{"type":"park","line":1},"2":{"type":"speeddial","value":"0611","label":"Doe, John","line":2},"10":{"type":"blf","value":"2010","label":"Boss","line":1}}}`,
			problems: []string{"funckey.3: a blf key needs a value", "funckey.0: the key number", "funckey.x: the key number", `funckey.4: type "Bad Type"`, `funckey.5: line "zero"`},
		},
		{
			name:     "values of the wrong type are left out and reported",
			phone:    testPhone(vars("USERNAME", "u1", "vlan_id", "twenty", "ntp_enabled", "maybe", "proxy_port", "x")),
			server:   "",
			want:     `{"ip":"","http_port":8080,"http_base_url":"http://:8080/phoneprov","protocol":"SIP","sip_proxy_ip":"","sip_lines":{"1":{"username":"u1","number":"u1","proxy_ip":""}},"funckeys":{}}`,
			problems: []string{"vlan_id=twenty: not a whole number", "ntp_enabled=maybe: not yes or no", "proxy_port=x: not a whole number"},
		},
		{
			name:   "a line without a user name (an autoprov profile without an account) is left out",
			phone:  testPhone(vars("SERVER", "192.0.2.10", "admin_password", "pw")),
			server: "192.0.2.5",
			want:   `{"ip":"192.0.2.10","http_port":8080,"http_base_url":"http://192.0.2.10:8080/phoneprov","protocol":"SIP","sip_proxy_ip":"192.0.2.10","admin_password":"pw","sip_lines":{},"funckeys":{}}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			at := Reached{Server: tc.phone.requestServer(tc.server), Port: 8080, Scheme: "http"}
			raw, problems := rawConfig(tc.phone, at, rs)
			if got := jsonOf(t, raw); got != tc.want {
				t.Errorf("raw config\n got %s\nwant %s", got, tc.want)
			}
			if len(problems) != len(tc.problems) {
				t.Errorf("problems %q, want %q", problems, tc.problems)
			}
			for i := range min(len(problems), len(tc.problems)) {
				if !strings.HasPrefix(problems[i], tc.problems[i]) {
					t.Errorf("problem %d = %q, want %q…", i, problems[i], tc.problems[i])
				}
			}
		})
	}
}

// TestBaseURL: the default http_base_url for IPv4, IPv6, HTTP and HTTPS,
// their default ports, and an http.conf prefix.
func TestBaseURL(t *testing.T) {
	for _, tc := range []struct {
		scheme, server string
		port           int
		prefix, want   string
	}{
		{"http", "192.0.2.1", 8080, "", "http://192.0.2.1:8080/phoneprov"},
		{"http", "2001:db8::1", 8080, "", "http://[2001:db8::1]:8080/phoneprov"},
		{"http", "2001:db8::1", 80, "", "http://[2001:db8::1]/phoneprov"},
		{"https", "192.0.2.1", 443, "", "https://192.0.2.1/phoneprov"},
		{"https", "192.0.2.1", 8443, "", "https://192.0.2.1:8443/phoneprov"},
		{"http", "192.0.2.1", 80, "/asterisk/", "http://192.0.2.1/asterisk/phoneprov"},
		{"http", "192.0.2.1", 0, "", "http://192.0.2.1/phoneprov"},
	} {
		if got := baseURL(tc.scheme, tc.server, tc.port, tc.prefix); got != tc.want {
			t.Errorf("baseURL(%q, %q, %d, %q) = %q, want %q", tc.scheme, tc.server, tc.port, tc.prefix, got, tc.want)
		}
	}
}

// TestRawConfigReached: PROV_PORT and PROV_SCHEME of the request, or of
// the phone's own variables, make http_port and http_base_url.
func TestRawConfigReached(t *testing.T) {
	p := testPhone(vars("USERNAME", "u1"))
	raw, _ := rawConfig(p, Reached{Server: "192.0.2.1", Port: 8443, Scheme: "https"}, rawSettings{prefix: "pp"})
	if raw.String("http_base_url") != "https://192.0.2.1:8443/pp/phoneprov" {
		t.Errorf("http_base_url %q", raw.String("http_base_url"))
	}
	if v, _ := raw.Get("http_port"); v != int64(8443) {
		t.Errorf("http_port %v", v)
	}
	p = testPhone(vars("USERNAME", "u1", "PROV_PORT", "9000", "PROV_SCHEME", "http"))
	raw, _ = rawConfig(p, Reached{Server: "192.0.2.1", Port: 8443, Scheme: "https"}, rawSettings{})
	if raw.String("http_base_url") != "http://192.0.2.1:9000/phoneprov" {
		t.Errorf("the phone's own PROV_PORT: http_base_url %q", raw.String("http_base_url"))
	}
}

// TestDeviceVars: MODEL, FIRMWARE and SWITCHBOARD of the first line, and
// the MAC in provd's form.
func TestDeviceVars(t *testing.T) {
	p := testPhone(vars("MODEL", "T46S", "FIRMWARE", "66.86.0.15", "SWITCHBOARD", "yes"))
	p.MAC = "80:5E:C0:AA:BB:01"
	dev, err := deviceVars(p)
	if err != nil {
		t.Fatal(err)
	}
	if dev.MAC != "80:5e:c0:aa:bb:01" || dev.Model != "T46S" || dev.Version != "66.86.0.15" || dev.Options == nil || !dev.Options.Has("switchboard") {
		t.Errorf("device %+v", dev)
	}
	p.MAC = "not a mac"
	if _, err := deviceVars(p); err == nil {
		t.Error("a bad MAC gives a device")
	}
}

// FuzzFunckey: funckey.N values never panic; a key accepted has a type
// word, a line of at least 1 and, for blf and speed dial, a value.
func FuzzFunckey(f *testing.F) {
	for _, s := range []string{"blf,1105,Gérard,1", `speeddial,0611,"Doe, John",2`, "park", "blf", "x,,,", `"`, "blf,1,l,-1", "paging,1,?"} {
		f.Add("funckey.1", s)
	}
	f.Add("funckey.99999999999999999999", "blf,1")
	f.Fuzz(func(t *testing.T, name, value string) {
		if !strings.HasPrefix(name, funckeyPrefix) {
			return
		}
		n, key, err := funckey(name, value)
		if err != "" {
			if key != nil {
				t.Fatal("a refused key is returned")
			}
			return
		}
		if n < 1 || n > maxFunckey {
			t.Fatalf("key number %d", n)
		}
		typ := key.String("type")
		if !isWord(typ) {
			t.Fatalf("type %q", typ)
		}
		if l, _ := key.Get("line"); l.(int64) < 1 {
			t.Fatalf("line %v", l)
		}
		if (typ == "blf" || typ == "speeddial") && key.String("value") == "" {
			t.Fatalf("%s without a value", typ)
		}
	})
}

// FuzzRawConfig: any variables give a raw config that encodes as JSON,
// with one line per line that has a user name.
func FuzzRawConfig(f *testing.F) {
	f.Add("USERNAME", "u1", "vlan_id", "20", "funckey.1", "blf,1", "192.0.2.1")
	f.Add("SERVER", "::1", "ntp_enabled", "yes", "X_a", "b", "")
	f.Add("USERNAME", "", "proxy_port", "99999999999999999999", "SERVER_PORT", "x", "h")
	f.Fuzz(func(t *testing.T, n1, v1, n2, v2, n3, v3, server string) {
		p := testPhone(vars(n1, v1, n2, v2, n3, v3), vars("USERNAME", "second", n2, v2))
		raw, _ := rawConfig(p, Reached{Server: p.requestServer(server), Port: 8080, Scheme: "http"}, rawSettings{})
		if _, err := raw.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
		want := 1
		if u, _ := p.Lines[0].Vars.Lookup("USERNAME"); u != "" {
			want++
		}
		if got := raw.Dict("sip_lines").Len(); got != want {
			t.Fatalf("%d lines, want %d", got, want)
		}
	})
}
