package settings

import (
	"fmt"
	"strings"
	"testing"
)

func TestAdminSettings(t *testing.T) {
	s, err := load(t, "")
	if err != nil {
		t.Fatal(err)
	}
	if a := s.Admin; a.User != "" || a.Password != "" || a.TLSCert != "" || !a.Console {
		t.Errorf("defaults %+v", a)
	}
	s, err = load(t, "[admin]\nuser = admin\npassword = s3cret-pw\ntls_cert = /etc/phoneprovd/admin.pem\ntls_key = /etc/phoneprovd/admin.key\nconsole = no\n")
	if err != nil {
		t.Fatal(err)
	}
	if a := s.Admin; a.User != "admin" || a.Password != "s3cret-pw" || a.TLSCert != "/etc/phoneprovd/admin.pem" || a.TLSKey != "/etc/phoneprovd/admin.key" || a.Console {
		t.Errorf("settings %+v", a)
	}
	// Printing the settings never shows the password.
	if out := fmt.Sprintf("%v %+v", s.Admin, *s); strings.Contains(out, "s3cret-pw") || !strings.Contains(out, "[redacted]") {
		t.Errorf("printed: %s", out)
	}
}

func TestAdminSettingsErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{"[admin]\nuser = admin\n", "[admin] user and password go together"},
		{"[admin]\npassword = pw\n", "[admin] user and password go together"},
		{"[admin]\ntls_key = k.pem\n", "[admin] tls_cert and tls_key go together"},
		{"[admin]\nconsole = sometimes\n", "phoneprovd.conf:2: console:"},
		{"[admin]\nrealm = x\n", `phoneprovd.conf:2: unknown setting "realm"`},
	}
	for _, tt := range tests {
		_, err := load(t, tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.text, err, tt.want)
		}
	}
}
