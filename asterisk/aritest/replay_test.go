package aritest

import (
	"strings"
	"testing"
)

// TestReplayGolden sends the captured requests to the fake over one
// keep-alive connection and compares every response with the golden
// capture byte for byte, except the Date value (golden/ari-*.headers and
// ari-*.json; docs/asterisk.md#ari).
func TestReplayGolden(t *testing.T) {
	srv := newGoldenServer(t)
	rc := dialRaw(t, srv)
	auth := basic("phoneprov", "phoneprov")
	tests := []struct {
		golden  string
		target  string
		headers string
	}{
		// GET /ari/endpoints, in the stasis cache's bucket order.
		{"ari-endpoints", "/ari/endpoints", auth},
		// GET /ari/endpoints/{tech}.
		{"ari-endpoints-PJSIP", "/ari/endpoints/PJSIP", auth},
		{"ari-endpoints-SIP", "/ari/endpoints/SIP", auth},
		// GET /ari/endpoints/{tech}/{resource}.
		{"ari-endpoints-SIP-6001", "/ari/endpoints/SIP/6001", auth},
		{"ari-endpoints-SIP-6002", "/ari/endpoints/SIP/6002", auth},
		// ast_ari_applications_list with no application registered.
		{"ari-applications", "/ari/applications", auth},
		// ast_ari_asterisk_get_info: build, system, config, status.
		{"ari-asterisk-info", "/ari/asterisk/info", auth},
		// A 401 carries WWW-Authenticate: Basic realm=...
		{"ari-endpoints-noauth", "/ari/endpoints", ""},
		{"ari-endpoints-badauth", "/ari/endpoints", basic("phoneprov", "wr0ng-s3cret")},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			head, body := rc.do("GET", tt.target, tt.headers)
			if want := maskDate(readGolden(t, tt.golden+".headers")); maskDate(head) != want {
				t.Errorf("head:\n%q\nwant:\n%q", maskDate(head), want)
			}
			if want := readGolden(t, tt.golden+".json"); body != want {
				t.Errorf("body:\n%s\nwant:\n%s", body, want)
			}
		})
	}
}

// TestReplayGoldenAPIKey checks that ?api_key=user:password authenticates
// like Basic (res_ari.c parse_api_keys) and that a wrong key gets the
// golden 401.
func TestReplayGoldenAPIKey(t *testing.T) {
	srv := newGoldenServer(t)
	rc := dialRaw(t, srv)
	head, body := rc.do("GET", "/ari/endpoints?api_key=phoneprov:phoneprov", "")
	if maskDate(head) != maskDate(readGolden(t, "ari-endpoints.headers")) || body != readGolden(t, "ari-endpoints.json") {
		t.Errorf("api_key: got\n%s%s", head, body)
	}
	head, body = rc.do("GET", "/ari/endpoints?api_key=phoneprov:wr0ng-s3cret", "")
	if maskDate(head) != maskDate(readGolden(t, "ari-endpoints-badauth.headers")) || body != readGolden(t, "ari-endpoints-badauth.json") {
		t.Errorf("bad api_key: got\n%s%s", head, body)
	}
	for _, r := range srv.Requests() {
		if strings.Contains(r.Query, "phoneprov:phoneprov") || strings.Contains(r.Query, "wr0ng") {
			t.Errorf("request log holds a password: %+v", r)
		}
	}
}
