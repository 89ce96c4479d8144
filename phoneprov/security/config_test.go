package security

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string // "" = valid
	}{
		{Config{}, ""},
		{Config{Auth: "digest"}, ""}, // per-phone credentials only
		{Config{Auth: "ntlm"}, "auth"},
		{Config{User: "u"}, "go together"},
		{Config{DigestAlgorithms: []string{"SHA-512"}}, "digest algorithm"},
		{Config{Sensitive: []string{"["}}, "glob"},
		{Config{ScanThreshold: -1}, "negative"},
		{Config{TFTPSensitive: "maybe"}, "tftp_sensitive"},
		{Config{Realm: "a\"b"}, "realm"},
		{Config{Realm: "a\r\nX-Injected: 1"}, "realm"},
	}
	for _, tt := range tests {
		_, err := New(tt.cfg)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("New(%+v) = %v, want %q", tt.cfg, err, tt.want)
		}
	}
}

func TestConfigFromSettings(t *testing.T) {
	dir := t.TempDir()
	text := `[security]
http_allow = 10.0.0.0/8, 192.0.2.7
tftp_allow = 10.0.0.0/8
scan_threshold = 5
scan_window = 2m
ban_time = 1h
scan_exempt = 198.51.100.0/24
scan_ipv6_prefix = 56
sensitive = keys/*
auth = digest
auth_user = site
auth_password = pw
digest_algorithms = MD5
ua_mac_check = yes
tls_min_version = 1.3
tftp_sensitive = deny
`
	if err := os.WriteFile(filepath.Join(dir, settings.FileName), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := settings.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := ConfigFromSettings(s.Security, true)
	if len(c.HTTPAllow) != 2 || c.HTTPAllow[1].String() != "192.0.2.7/32" || c.ScanThreshold != 5 || c.ScanWindow != 2*time.Minute ||
		c.BanTime != time.Hour || c.IPv6Prefix != 56 || c.Auth != AuthDigest || c.User != "site" || c.Password != "pw" ||
		c.DigestAlgorithms[0] != AlgorithmMD5 || len(c.DigestAlgorithms) != 1 || !c.UAMACCheck || c.TLSMinVersion != tls.VersionTLS13 ||
		!c.TFTP || c.TFTPSensitive != "deny" || c.Sensitive[0] != "keys/*" || c.MaxSources != 65536 {
		t.Errorf("config %+v", c)
	}
	g, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	if g.OpenToWorld() || g.tftpServesSensitive() {
		t.Error("LAN-only digest site reported open")
	}
}
