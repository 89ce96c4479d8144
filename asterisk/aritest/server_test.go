package aritest

import (
	"strings"
	"testing"
)

// TestResponses checks status, headers and bodies Asterisk 20.20.1 words
// as they are in res/res_ari.c (ast_ari_invoke), res/ari/*.c and
// main/http.c, with compact JSON to keep the table short.
func TestResponses(t *testing.T) {
	srv := NewServer(Options{Compact: true})
	t.Cleanup(srv.Close)
	srv.AddUser("phoneprov", "phoneprov")
	srv.AddReadOnlyUser("ro", "ro-pass")
	srv.AddAuth(Auth{Name: "7001", Username: "7001", Password: "s3cret7001"})
	srv.AddEndpoint(Endpoint{Name: "7001", State: StateOnline})
	auth := basic("phoneprov", "phoneprov")
	json := "Content-type: application/json\r\n"
	tests := []struct {
		name, method, target, headers string
		wantStatus                    string
		wantHeader                    string // a header line that must be present
		wantBody                      string
	}{
		// ast_ari_invoke: authentication comes before routing.
		{"401 before 404", "GET", "/ari/nothing", "", "401 Unauthorized",
			"WWW-Authenticate: Basic realm=\"Asterisk REST Interface\"\r\n", `{"message":"Authentication required"}`},
		// ast_http_get_auth: a Basic header wins over a good api_key.
		{"basic beats api_key", "GET", "/ari/endpoints?api_key=phoneprov:phoneprov", basic("phoneprov", "wr0ng"), "401 Unauthorized", json, `{"message":"Authentication required"}`},
		// remove_trailing_slash.
		{"trailing slash", "GET", "/ari/endpoints/", auth, "404 Not Found", json, `{"message":"ARI URLs do not end with a slash. Try /ari/endpoints"}`},
		{"unknown resource", "GET", "/ari/channels", auth, "404 Not Found", json, `{"message":"Resource not found"}`},
		// handle_uri: the "ari" prefix matches case-insensitively.
		{"upper-case prefix", "GET", "/ARI/endpoints/PJSIP/7001", auth, "200 OK", json,
			`{"technology":"PJSIP","resource":"7001","state":"online","channel_ids":[]}`},
		// ast_endpoint_latest_snapshot upper-cases the technology.
		{"lower-case tech", "GET", "/ari/endpoints/pjsip/7001", auth, "200 OK", json,
			`{"technology":"PJSIP","resource":"7001","state":"online","channel_ids":[]}`},
		{"unknown tech", "GET", "/ari/endpoints/pjsip", auth, "404 Not Found", json, `{"message":"No Endpoints found - invalid tech pjsip"}`},
		{"unknown endpoint", "GET", "/ari/endpoints/PJSIP/9", auth, "404 Not Found", json, `{"message":"Endpoint not found"}`},
		// add_allow_header and 405.
		{"405", "POST", "/ari/endpoints", auth, "405 Method Not Allowed", "Allow: OPTIONS,GET\r\n", `{"message":"Invalid method"}`},
		{"405 HEAD sends the body", "HEAD", "/ari/endpoints", auth, "405 Method Not Allowed", "Allow: OPTIONS,GET\r\n", `{"message":"Invalid method"}`},
		{"options", "OPTIONS", "/ari/asterisk/config/dynamic/a/b/c", auth, "204 No Content", "Allow: OPTIONS,GET,PUT,DELETE\r\n", ""},
		// ast_ari_asterisk_get_object and friends.
		{"config class", "GET", "/ari/asterisk/config/dynamic/res_foo/auth/7001", auth, "404 Not Found", json, `{"message":"configClass 'res_foo' not found"}`},
		{"config type", "GET", "/ari/asterisk/config/dynamic/res_pjsip/bogus/7001", auth, "404 Not Found", json, `{"message":"objectType 'bogus' not found"}`},
		{"config id", "GET", "/ari/asterisk/config/dynamic/res_pjsip/auth/x%20y", auth, "404 Not Found", json, `{"message":"Object with id 'x y' not found"}`},
		{"put no fields", "PUT", "/ari/asterisk/config/dynamic/res_pjsip/auth/7001", auth, "400 Bad request", json, `{"message":"Fields must be provided to update object '7001'"}`},
		{"put config object", "PUT", "/ari/asterisk/config/dynamic/res_pjsip/auth/7001", auth + "Content-Type: application/json\r\nContent-Length: 51\r\n" + "\r\n" +
			`{"fields":[{"attribute":"password","value":"x"}]}` + "\r\n", "403 Forbidden", json, `{"message":"Cannot update sorcery objects of type 'auth'"}`},
		{"put create", "PUT", "/ari/asterisk/config/dynamic/res_pjsip/auth/new", auth, "403 Forbidden", json, `{"message":"Cannot create sorcery objects of type 'auth'"}`},
		{"delete", "DELETE", "/ari/asterisk/config/dynamic/res_pjsip/auth/7001", auth, "403 Forbidden", json, `{"message":"Could not delete object with id '7001'"}`},
		{"read-only user", "DELETE", "/ari/asterisk/config/dynamic/res_pjsip/auth/7001", basic("ro", "ro-pass"), "403 Forbidden", json, `{"message":"Write access denied"}`},
		{"info only", "GET", "/ari/asterisk/info?only=system", auth, "200 OK", json, `{"system":{"version":"20.20.1","entity_id":"02:fc:00:00:00:01"}}`},
		{"unknown app", "GET", "/ari/applications/nope", auth, "404 Not Found", json, `{"message":"Application not found"}`},
		// main/http.c: no handler for the URI.
		{"not ari", "GET", "/static/x", "", "404 Not Found", "Content-type: text/html\r\n", "<title>404 Not Found</title>"},
		// res_http_websocket.c: the events resource without an upgrade.
		{"no upgrade", "GET", "/ari/events?app=x", auth, "426 Upgrade Required", "Content-type: text/html\r\n", "<h1>Upgrade Required</h1>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := dialRaw(t, srv)
			headers := tt.headers
			extra := ""
			if i := strings.Index(headers, "\r\n\r\n"); i >= 0 {
				headers, extra = headers[:i+2], headers[i+4:]
			}
			rc.send(tt.method, tt.target, headers+"\r\n"+strings.TrimSuffix(extra, "\r\n"))
			head, body := rc.response(tt.method == "HEAD" && tt.wantStatus == "200 OK")
			if !strings.HasPrefix(head, "HTTP/1.1 "+tt.wantStatus+"\r\nServer: Asterisk/20.20.1\r\nDate: ") {
				t.Errorf("head %q, want status %s", head, tt.wantStatus)
			}
			if !strings.Contains(head, "\r\n"+tt.wantHeader) {
				t.Errorf("head %q lacks %q", head, tt.wantHeader)
			}
			if tt.wantBody == "" && body != "" || !strings.Contains(body, tt.wantBody) {
				t.Errorf("body %q, want %q", body, tt.wantBody)
			}
		})
	}
}

// TestDynamicAuth: GET res_pjsip/auth/<id> lists every field in sorcery's
// order with the password in plain text (docs/asterisk.md#ari).
func TestDynamicAuth(t *testing.T) {
	srv := newGoldenServer(t)
	rc := dialRaw(t, srv)
	_, body := rc.do("GET", "/ari/asterisk/config/dynamic/res_pjsip/auth/7001", basic("phoneprov", "phoneprov"))
	want := `[
  {
    "attribute": "oauth_secret",
    "value": ""
  },`
	if !strings.HasPrefix(body, want) || !strings.Contains(body, `"attribute": "password",
    "value": "s3cret7001"`) || strings.Count(body, `"attribute"`) != len(authFields) {
		t.Errorf("body:\n%s", body)
	}
	_, body = rc.do("GET", "/ari/asterisk/config/dynamic/res_pjsip/transport/transport-udp", basic("phoneprov", "phoneprov"))
	if !strings.Contains(body, `"attribute": "bind",
    "value": "127.0.0.1:5062"`) {
		t.Errorf("transport body:\n%s", body)
	}
}

// TestCacheBucket: the stasis cache bucket of the golden endpoints
// (main/stasis_cache.c, main/hashtab.c).
func TestCacheBucket(t *testing.T) {
	for id, want := range map[string]int{"PJSIP/7001": 299, "SIP/6001": 489, "SIP/6002": 490, "PJSIP/6000": 353} {
		if got := cacheBucket(id); got != want {
			t.Errorf("cacheBucket(%q) = %d, want %d", id, got, want)
		}
	}
}

// TestEncodeJSON: jansson's escaping and layout (dump_string: only '"',
// '\\' and control characters are escaped, \uXXXX upper-case).
func TestEncodeJSON(t *testing.T) {
	tests := []struct {
		in     any
		pretty bool
		want   string
	}{
		{"a/b<é>", false, `"a/b<é>"`},
		{"q\"\\\n\t\x01\x7f", false, `"q\"\\\n\t\u0001` + "\x7f\""},
		{object{{"a", array{}}, {"b", object{}}}, true, "{\n  \"a\": [],\n  \"b\": {}\n}"},
		{array{1, true, nil}, false, `[1,true,null]`},
		{array{object{{"k", "v"}}}, true, "[\n  {\n    \"k\": \"v\"\n  }\n]"},
	}
	for _, tt := range tests {
		if got := string(encodeJSON(tt.in, tt.pretty)); got != tt.want {
			t.Errorf("encodeJSON(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestParseQuery: main/http.c handle_uri splits at '&' and '=' and decodes
// with ast_uri_decode (legacy: '+' is a space, bad escapes stay).
func TestParseQuery(t *testing.T) {
	got := parseQuery("app=a+b&x&api_key=u%3Ap&bad=%zz%4")
	want := []param{{"app", "a b"}, {"x", ""}, {"api_key", "u:p"}, {"bad", "%zz%4"}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("param %d = %v, want %v", i, got[i], want[i])
		}
	}
	if r := redactAPIKey("app=x&api_key=user:pw"); r != "app=x&api_key=user:[redacted]" {
		t.Errorf("redactAPIKey = %q", r)
	}
}
