package settings

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

func TestInputs(t *testing.T) {
	dir := t.TempDir()
	main := "[general]\ndebounce = 1s\n#include phoneprovd.d/*.conf\n#tryinclude local.conf\n"
	inc := "[tftp]\nlisten = 127.0.0.1:6969\n"
	os.MkdirAll(filepath.Join(dir, "phoneprovd.d"), 0o755)
	os.WriteFile(filepath.Join(dir, FileName), []byte(main), 0o644)
	os.WriteFile(filepath.Join(dir, "phoneprovd.d", "tftp.conf"), []byte(inc), 0o644)
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, patterns := s.Inputs()
	want := []Input{
		{Path: filepath.Join(dir, FileName), Sum: sha256.Sum256([]byte(main))},
		{Path: filepath.Join(dir, "phoneprovd.d", "tftp.conf"), Sum: sha256.Sum256([]byte(inc))},
	}
	if !reflect.DeepEqual(files, want) {
		t.Errorf("files %+v, want %+v", files, want)
	}
	if !slices.Contains(patterns, filepath.Join(dir, "phoneprovd.d", "*.conf")) || !slices.Contains(patterns, filepath.Join(dir, "local.conf")) {
		t.Errorf("patterns %q", patterns)
	}
	if !s.TFTP.Enabled || s.TFTP.Listen[0] != "127.0.0.1:6969" {
		t.Errorf("the included section was not read: %+v", s.TFTP)
	}

	// Without phoneprovd.conf: where it would be, missing.
	empty := t.TempDir()
	s, err = Load(empty)
	if err != nil {
		t.Fatal(err)
	}
	if files, _ := s.Inputs(); len(files) != 1 || files[0].Path != filepath.Join(empty, FileName) || !files[0].Missing {
		t.Errorf("no file: %+v", files)
	}
	if files, patterns := Defaults().Inputs(); files != nil || patterns != nil {
		t.Errorf("defaults read nothing: %v %v", files, patterns)
	}
}

func TestChanged(t *testing.T) {
	base := "[general]\ndebounce = 1s\n[security]\nhttp_allow = 10.0.0.0/8\n[profile:p]\nnotify_event = check-sync\n"
	a, err := load(t, base)
	if err != nil {
		t.Fatal(err)
	}
	// The same values written elsewhere, in another order: the same.
	b, err := load(t, "\n\n[profile:p]\nnotify_event = check-sync\n[security]\nhttp_allow = 10.0.0.0/8\n[general]\ndebounce = 1000ms\n")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Same(b) || len(Changed(a, b)) != 0 {
		t.Errorf("same values differ: %q", Changed(a, b))
	}
	for _, tt := range []struct {
		text string
		want []string
	}{
		{base + "[tftp]\n", []string{"[tftp]"}},
		{"[general]\ndebounce = 2s\n[security]\nhttp_allow = 10.0.0.0/8\n[profile:p]\nnotify_event = check-sync\n", []string{"[general]"}},
		{"[general]\ndebounce = 1s\n[security]\nhttp_allow = 10.0.0.0/8, 192.0.2.1\n[profile:p]\nnotify_event = check-sync\n[profile:q]\n", []string{"[security]", "[profile:q]"}},
		{"[general]\ndebounce = 1s\n[security]\nhttp_allow = 10.0.0.0/8\n", []string{"[profile:p]"}},
		{base + "[ami]\nusername = u\nsecret = s\n[ari]\nusername = u\npassword = p\n[resync]\nrate = 1\n[plugins]\ndir = /x\n[dhcp]\nurl = http://192.0.2.1/p\n[admin]\nconsole = no\n",
			[]string{"[ami]", "[ari]", "[resync]", "[plugins]", "[dhcp]", "[admin]"}},
	} {
		c, err := load(t, tt.text)
		if err != nil {
			t.Fatal(err)
		}
		if got := Changed(a, c); !slices.Equal(got, tt.want) {
			t.Errorf("%q: changed %q, want %q", tt.text, got, tt.want)
		}
		if a.Same(c) {
			t.Errorf("%q: same", tt.text)
		}
	}
	if got := Changed(nil, Defaults()); len(got) != 0 {
		t.Errorf("nil is the defaults: %q", got)
	}
}

// TestChangedCoversEverySection fails when a section is added to Settings
// without a name in sections: its edits would go unnoticed.
func TestChangedCoversEverySection(t *testing.T) {
	typ := reflect.TypeOf(Settings{})
	for i := range typ.NumField() {
		f := typ.Field(i)
		if !f.IsExported() || f.Name == "Profiles" || f.Name == "File" {
			continue
		}
		if !slices.ContainsFunc(sections, func(s struct{ field, name string }) bool { return s.field == f.Name }) {
			t.Errorf("Settings.%s has no section name in sections", f.Name)
		}
	}
}
