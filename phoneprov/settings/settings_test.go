package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, text string) (*Settings, error) {
	t.Helper()
	dir := t.TempDir()
	if text != "" {
		if err := os.WriteFile(filepath.Join(dir, FileName), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Load(dir)
}

func TestDefaultsWithoutFile(t *testing.T) {
	s, err := load(t, "")
	if err != nil {
		t.Fatal(err)
	}
	g := s.General
	if g.HTTP != ":8080" || g.Admin != "127.0.0.1:8081" || g.AsteriskVersion != 22 || g.Debounce != 250*time.Millisecond || s.File != "" {
		t.Errorf("defaults: %+v", g)
	}
	if s.AMI.Enabled || s.Resync.On(false) || !s.Resync.On(true) || s.AMI.Addr() != "127.0.0.1:5038" {
		t.Errorf("ami/resync defaults: %+v %+v", s.AMI, s.Resync)
	}
}

func TestSettings(t *testing.T) {
	s, err := load(t, `
[general]
http = 0.0.0.0:80
asterisk_version = 23.1
mime_by_extension = yes
debounce = 1s
log_format = JSON
[ami]
username = phoneprov
secret = s3cret
port = 5039
[resync]
rate = 50
enabled = no
[profile:polycom]
notify_event = check-sync
[profile:snom]
resync = no
`)
	if err != nil {
		t.Fatal(err)
	}
	if s.General.HTTP != "0.0.0.0:80" || s.General.AsteriskVersion != 23 || !s.General.MIMEByExtension || s.General.Debounce != time.Second || s.General.LogFormat != "json" {
		t.Errorf("general %+v", s.General)
	}
	if !s.AMI.Enabled || s.AMI.Addr() != "127.0.0.1:5039" || s.AMI.Secret != "s3cret" {
		t.Errorf("ami %+v", s.AMI)
	}
	if s.Resync.Rate != 50 || s.Resync.On(true) {
		t.Errorf("resync %+v", s.Resync)
	}
	if s.Profiles["polycom"].NotifyEvent != "check-sync" || !s.Profiles["polycom"].Resync || s.Profiles["snom"].Resync {
		t.Errorf("profiles %+v %+v", s.Profiles["polycom"], s.Profiles["snom"])
	}
}

func TestSettingsErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{"[general]\nhttp = :80\nbogus = 1\n", `phoneprovd.conf:3: unknown setting "bogus"`},
		{"[nope]\n", "phoneprovd.conf:1: unknown section [nope]"},
		{"[general]\ndebounce = soon\n", "phoneprovd.conf:2: debounce:"},
		{"[general]\nasterisk_version = 9\n", "phoneprovd.conf:2: asterisk_version:"},
		{"[general]\nmime_by_extension = maybe\n", "phoneprovd.conf:2: mime_by_extension:"},
		{"[general]\nlog_level = loud\n", "phoneprovd.conf:2: log_level:"},
		{"[ami]\nport = 70000\n", "phoneprovd.conf:2: port:"},
		{"[ami]\nusername = x\n", "[ami] needs username and secret"},
		{"[resync]\nrate = 0\n", "phoneprovd.conf:2: rate:"},
		{"[general\n", "phoneprovd.conf:1: missing ']'"},
	}
	for _, tt := range tests {
		_, err := load(t, tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.text, err, tt.want)
		}
	}
}

func TestTFTPSettings(t *testing.T) {
	s, err := load(t, "[tftp]\nlisten = 127.0.0.1:6969, [::1]:6969\nupload_dir = /srv/logs\nmax_upload = 2M\nblksize = 512\n")
	if err != nil {
		t.Fatal(err)
	}
	if !s.TFTP.Enabled || len(s.TFTP.Listen) != 2 || s.TFTP.Listen[1] != "[::1]:6969" || s.TFTP.MaxUpload != 2<<20 || s.TFTP.BlockSize != 512 || s.TFTP.MaxTransfers != 200 {
		t.Errorf("tftp %+v", s.TFTP)
	}
	for _, bad := range []string{"max_upload = lots", "blksize = 4", "listen = ,"} {
		if _, err := load(t, "[tftp]\n"+bad+"\n"); err == nil || !strings.Contains(err.Error(), "phoneprovd.conf:2:") {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
}

// TestPluginSettings: a profile's plugin and autoprov, [plugins] dir, and
// the errors, at their line.
func TestPluginSettings(t *testing.T) {
	s, err := load(t, "[plugins]\ndir = /srv/plugins\n[profile:yl]\nplugin = wazo-yealink-v86\n[profile:any]\nplugin = auto\nautoprov = yes\n")
	if err != nil {
		t.Fatal(err)
	}
	if s.Plugins.Dir != "/srv/plugins" || s.Profiles["yl"].Plugin != "wazo-yealink-v86" || s.Profiles["yl"].Autoprov ||
		s.Profiles["any"].Plugin != "auto" || !s.Profiles["any"].Autoprov {
		t.Errorf("plugins %+v, profiles %+v %+v", s.Plugins, s.Profiles["yl"], s.Profiles["any"])
	}
	for _, tc := range []struct{ text, want string }{
		{"[profile:a]\nplugin = ../etc\n", ":2: plugin: \"../etc\" is not a plugin directory's name"},
		{"[profile:a]\nplugin = yealink\n", ":2: plugin: \"yealink\" is not a Wazo plugin's name"},
		{"[profile:a]\n\nautoprov = yes\n", ":3: [profile:a] autoprov = yes needs a plugin"},
		{"[profile:a]\nautoprov = maybe\nplugin = auto\n", ":2: autoprov:"},
	} {
		_, err := load(t, tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.want)
		}
	}
}
