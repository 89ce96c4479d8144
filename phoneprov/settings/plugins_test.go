package settings

import (
	"strings"
	"testing"
)

func TestPluginsSettings(t *testing.T) {
	s, err := load(t, "[plugins]\nserver = https://provd.example.com/plugins/stable\n")
	if err != nil {
		t.Fatal(err)
	}
	if s.Plugins.Server != "https://provd.example.com/plugins/stable" {
		t.Errorf("server = %q", s.Plugins.Server)
	}
	if s, _ := load(t, ""); s.Plugins.Server != "" {
		t.Errorf("default server = %q", s.Plugins.Server)
	}
	for in, want := range map[string]string{
		"[plugins]\nserver = ftp://x/\n": `phoneprovd.conf:2: server: "ftp://x/" is not an http:// or https:// URL`,
		"[plugins]\nmirror = x\n":        `phoneprovd.conf:2: unknown setting "mirror"`,
	} {
		_, err := load(t, in)
		if err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("%q: %v, want ...%s", in, err, want)
		}
	}
}
