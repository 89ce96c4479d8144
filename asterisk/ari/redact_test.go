package ari

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestRedaction: the ARI password and every credential attribute of a
// dynamic configuration reply are redacted wherever a value is formatted
// or logged (brief: secrets never appear in logs or errors).
func TestRedaction(t *testing.T) {
	auth := &Auth{ID: "7001", Username: "7001", Password: sipPassword, AuthType: "userpass",
		Fields: map[string]string{"password": sipPassword, "md5_cred": "n3w-Passw0rd", "oauth_secret": "odd-s3cret", "username": "7001"}}
	obj := &Object{Class: "res_pjsip", Type: "auth", ID: "7001", Attributes: []Attribute{
		{"username", "7001"}, {"password", sipPassword}, {"md5_cred", "n3w-Passw0rd"}, {"oauth_secret", "odd-s3cret"}}}
	tr := &Transport{ID: "tls", Protocol: "tls", Bind: "0.0.0.0", Fields: map[string]string{"password": "odd-s3cret"}}
	cfg := Config{URL: "http://phoneprov:" + ariPassword + "@127.0.0.1:8088/ari", Username: ariUser, Password: ariPassword}
	values := []any{auth, *auth, obj, tr, cfg, &cfg}
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			if out := fmt.Sprintf(verb, v); containsSecret(out) {
				t.Errorf("%s of %T shows a secret: %s", verb, v, out)
			}
		}
		log.Info("value", "v", v)
	}
	if containsSecret(logs.String()) {
		t.Errorf("logs show a secret:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), `"username":"7001"`) || !strings.Contains(logs.String(), redacted) {
		t.Errorf("logs lost the non-secret values or the marker:\n%s", logs.String())
	}
}

// containsSecret reports whether s holds a test credential.
func containsSecret(s string) bool {
	for _, secret := range secretsInTests {
		if strings.Contains(s, secret) {
			return true
		}
	}
	return false
}

// TestPathEscape: res_ari splits at '/' and then decodes each segment,
// '+' as a space (ast_uri_decode, ast_uri_http_legacy).
func TestPathEscape(t *testing.T) {
	for in, want := range map[string]string{
		"7001": "7001", "a+b": "a%2Bb", "a b": "a%20b", "a/b": "a%2Fb", "a#b?c": "a%23b%3Fc",
		"a%2F": "a%252F", "ü": "%C3%BC", "a-b.c_d~": "a-b.c_d~",
	} {
		if got := pathEscape(in); got != want {
			t.Errorf("pathEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTransportPort: SERVER_PORT is the transport's bind port, PJSIP's
// default when the bind has none (docs/asterisk.md#pjsipconf-phones).
func TestTransportPort(t *testing.T) {
	tests := []struct {
		protocol, bind string
		want           int
		err            bool
	}{
		{"udp", "127.0.0.1:5062", 5062, false},
		{"udp", "[::1]:5070", 5070, false},
		{"udp", "0.0.0.0", 5060, false},
		{"tls", "0.0.0.0", 5061, false},
		{"tcp", "", 5060, false},
		{"udp", "1.2.3.4:99999", 0, true},
		{"udp", "1.2.3.4:x", 0, true},
	}
	for _, tt := range tests {
		got, err := (&Transport{Protocol: tt.protocol, Bind: tt.bind}).Port()
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("Port(%s %q) = %d, %v", tt.protocol, tt.bind, got, err)
		}
	}
}
