package ami

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestMessageLookup checks field access: keys compare case-insensitively
// and may repeat (Variable: may be repeated; EndpointList carries one
// Contacts: per AOR).
func TestMessageLookup(t *testing.T) {
	m := NewMessage(F("Event", "EndpointList"), F("contacts", "a/sip:1,"), F("Contacts", "b/sip:2,"), F("Empty", ""))
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"get first of repeated", m.Get("CONTACTS"), "a/sip:1,"},
		{"values in order", strings.Join(m.Values("Contacts"), "|"), "a/sip:1,|b/sip:2,"},
		{"missing", m.Get("Nope"), ""},
		{"values missing", len(m.Values("Nope")), 0},
		{"lookup empty present", lookupString(m, "empty"), `"" true`},
		{"lookup missing", lookupString(m, "nope"), `"" false`},
		{"is event", m.IsEvent(), true},
		{"is response", m.IsResponse(), false},
		{"len", m.Len(), 4},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	f := m.Fields()
	f[0].Value = "changed"
	if m.Get("Event") != "EndpointList" {
		t.Error("Fields returned the message's own slice")
	}
}

// TestMessageRedaction checks that every rendering meant for humans or
// logs hides credentials: the Login Secret and Key, and the AuthDetail
// Password, Md5Cred and PasswordDigest: AuthDetail carries the password
// in plain text (docs/asterisk.md#actions-phoneprovd-uses).
func TestMessageRedaction(t *testing.T) {
	secrets := []string{"s3cret-login", "md5keyvalue", "s3cret7001", "0123abcd", "MD5:feed"}
	m := NewMessage(
		F("Action", "Login"), F("Secret", "s3cret-login"), F("key", "md5keyvalue"),
		F("Event", "AuthDetail"), F("Username", "7001"), F("PASSWORD", "s3cret7001"),
		F("Md5Cred", "0123abcd"), F("PasswordDigest", "MD5:feed"), F("Password", ""),
		F("Variable", "a=1"), F("Variable", "b=2"),
	)
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("msg", "m", m, "f", F("Secret", "s3cret-login"))
	renderings := map[string]string{
		"String":   m.String(),
		"GoString": m.GoString(),
		"%v":       fmt.Sprintf("%v", m),
		"%#v":      fmt.Sprintf("%#v", m),
		"%+v":      fmt.Sprintf("%+v", []Message{m}),
		"slog":     logged.String(),
	}
	for name, out := range renderings {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s shows secret %q: %s", name, s, out)
			}
		}
		if !strings.Contains(out, "7001") || !strings.Contains(out, redacted) {
			t.Errorf("%s lost non-secret data or the marker: %s", name, out)
		}
	}
	// Repeated keys stay distinct in a log group; an empty secret is
	// shown as empty (nothing to hide).
	if !strings.Contains(logged.String(), `"Variable":"a=1","Variable#2":"b=2"`) {
		t.Errorf("repeated keys: %s", logged.String())
	}
	if !strings.Contains(m.String(), "Password: \r\n") {
		t.Errorf("empty password: %q", m.String())
	}
	// The values themselves stay available to the program.
	if m.Get("password") != "s3cret7001" {
		t.Error("Get redacted the value")
	}
}

// TestConfigRedaction checks that printing or logging a Config never
// shows the secret.
func TestConfigRedaction(t *testing.T) {
	cfg := Config{Addr: "127.0.0.1:5038", Username: "phoneprov", Secret: "Am1-s3cret!"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("cfg", "config", cfg)
	for _, out := range []string{fmt.Sprint(cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%+v", cfg), logged.String()} {
		if strings.Contains(out, "Am1-s3cret!") || !strings.Contains(out, "phoneprov") {
			t.Errorf("config rendered as %s", out)
		}
	}
	a := Auth{ID: "7001", Username: "7001", Password: "s3cret7001"}
	for _, out := range []string{fmt.Sprint(a), fmt.Sprintf("%#v", a), fmt.Sprintf("%v", []Auth{a})} {
		if strings.Contains(out, "s3cret7001") || !strings.Contains(out, "7001") {
			t.Errorf("auth rendered as %s", out)
		}
	}
}

func lookupString(m Message, key string) string {
	v, ok := m.Lookup(key)
	return fmt.Sprintf("%q %v", v, ok)
}
