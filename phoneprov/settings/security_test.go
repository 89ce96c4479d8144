package settings

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestSecurityDefaults(t *testing.T) {
	s, err := load(t, "")
	if err != nil {
		t.Fatal(err)
	}
	sec := s.Security
	if sec.ScanThreshold != 10 || sec.ScanWindow != time.Minute || sec.BanTime != 10*time.Minute || sec.Auth != AuthNone ||
		len(sec.HTTPAllow) != 0 || len(sec.TFTPAllow) != 0 || sec.UAMACCheck || sec.MaxConnections != 1024 ||
		strings.Join(sec.DigestAlgorithms, ",") != "SHA-256,MD5" || sec.TFTPSensitive != "auto" || sec.TLSMinVersion != "1.2" ||
		s.General.HTTPS != "" {
		t.Errorf("defaults %+v", sec)
	}
}

func TestSecuritySettings(t *testing.T) {
	s, err := load(t, `
[general]
https = 0.0.0.0:8443
[security]
http_allow = 10.0.0.0/8, 192.168.1.7
http_allow = ::ffff:172.16.0.0/108, 2001:db8::/32
scan_exempt = 198.51.100.0/24
auth = Digest
auth_user = site
auth_password = s3cret
digest_algorithms = md5
digest_algorithms = sha-256
tls_cert = /etc/phoneprovd/cert.pem
tls_key = /etc/phoneprovd/key.pem
client_ca = /etc/phoneprovd/polycom.pem, /etc/phoneprovd/yealink.pem
sensitive = *.boot, keys/*
ua_mac_check = on
scan_threshold = 0
max_connections = 4096
`)
	if err != nil {
		t.Fatal(err)
	}
	sec := s.Security
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32"),
		netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("2001:db8::/32")}
	if fmt.Sprint(sec.HTTPAllow) != fmt.Sprint(want) {
		t.Errorf("http_allow %v", sec.HTTPAllow)
	}
	if s.General.HTTPS != "0.0.0.0:8443" || sec.Auth != AuthDigest || sec.AuthPassword != "s3cret" ||
		strings.Join(sec.DigestAlgorithms, ",") != "MD5,SHA-256" || len(sec.ClientCA) != 2 ||
		strings.Join(sec.Sensitive, ",") != "*.boot,keys/*" || !sec.UAMACCheck || sec.ScanThreshold != 0 || sec.MaxConnections != 4096 {
		t.Errorf("security %+v", sec)
	}
	// Printing the settings never shows the password.
	if out := fmt.Sprintf("%v %+v", s.Security, *s); strings.Contains(out, "s3cret") || !strings.Contains(out, "[redacted]") {
		t.Errorf("printed: %s", out)
	}
}

func TestSecuritySettingsErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{"[security]\nhttp_allow = 10.0.0.0/33\n", "phoneprovd.conf:2: http_allow:"},
		{"[security]\ntftp_allow = somewhere\n", "phoneprovd.conf:2: tftp_allow:"},
		{"[security]\nscan_exempt = fe80::1%eth0\n", "phoneprovd.conf:2: scan_exempt:"},
		{"[security]\nscan_threshold = -1\n", "phoneprovd.conf:2: scan_threshold:"},
		{"[security]\nscan_window = soon\n", "phoneprovd.conf:2: scan_window:"},
		{"[security]\nscan_ipv6_prefix = 16\n", "phoneprovd.conf:2: scan_ipv6_prefix:"},
		{"[security]\nauth = ntlm\n", "phoneprovd.conf:2: auth:"},
		{"[security]\ndigest_algorithms = SHA-512\n", "phoneprovd.conf:2: digest_algorithms:"},
		{"[security]\nsensitive = [a\n", "phoneprovd.conf:2: sensitive:"},
		{"[security]\ntls_min_version = 0.9\n", "phoneprovd.conf:2: tls_min_version:"},
		{"[security]\nua_mac_check = perhaps\n", "phoneprovd.conf:2: ua_mac_check:"},
		{"[security]\ntftp_sensitive = sometimes\n", "phoneprovd.conf:2: tftp_sensitive:"},
		{"[security]\nmax_connections = 0\n", "phoneprovd.conf:2: max_connections:"},
		{"[security]\nauth_user = site\n", "auth_user and auth_password go together"},
		{"[security]\ntls_cert = c.pem\n", "tls_cert and tls_key go together"},
		{"[security]\nclient_ca = ca.pem\n", "client_ca needs tls_cert"},
		{"[security]\nauth = basic\nauth_user = a\nauth_password = b\n", "auth = basic needs tls_cert"},
		{"[security]\nauth = digest\nauth_realm =\n", "auth_realm must not be empty"},
		{"[security]\nnonce_lifetime = 0s\n", "nonce_lifetime must be positive"},
		{"[security]\nscan_window = 0s\n", "scan_window and ban_time must be positive"},
		{"[security]\nbogus = 1\n", `phoneprovd.conf:2: unknown setting "bogus"`},
	}
	for _, tt := range tests {
		_, err := load(t, tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.text, err, tt.want)
		}
	}
}

func TestParsePrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.1.2.3/8", "10.0.0.0/8"},
		{"192.0.2.7", "192.0.2.7/32"},
		{"2001:db8::1", "2001:db8::1/128"},
		{"::ffff:10.0.0.0/104", "10.0.0.0/8"},
		{"::ffff:10.0.0.1", "10.0.0.1/32"},
	}
	for _, tt := range tests {
		if p, err := ParsePrefix(tt.in); err != nil || p.String() != tt.want {
			t.Errorf("ParsePrefix(%q) = %v, %v", tt.in, p, err)
		}
	}
	for _, bad := range []string{"", "10.0.0.0/", "::ffff:10.0.0.0/90", "host.example", "fe80::1%eth0"} {
		if _, err := ParsePrefix(bad); err == nil {
			t.Errorf("ParsePrefix(%q) accepted", bad)
		}
	}
}

// FuzzParsePrefix: any text either fails or gives a masked prefix that
// parses back to itself, never an IPv4-mapped one.
func FuzzParsePrefix(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8", "192.0.2.7", "::ffff:10.0.0.0/104", "2001:db8::/32", "::ffff:1.2.3.4/95", "fe80::1%eth0", "1.2.3.4/33"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePrefix(s)
		if err != nil {
			return
		}
		if p != p.Masked() || p.Addr().Is4In6() || p.Addr().Zone() != "" {
			t.Fatalf("ParsePrefix(%q) = %v", s, p)
		}
		if again, err := ParsePrefix(p.String()); err != nil || again != p {
			t.Fatalf("%q: %v does not parse back: %v %v", s, p, again, err)
		}
	})
}
