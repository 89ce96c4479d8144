package security_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/security"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// TestExecIncludesOffByDefault: a #exec line in a config file
// (docs/asterisk.md#directives)
// runs nothing unless phoneprovd.conf says exec_includes = yes; the
// refusal is a diagnostic, and the other files are still served.
func TestExecIncludesOffByDefault(t *testing.T) {
	if settings.Defaults().General.ExecIncludes {
		t.Fatal("exec_includes is on by default")
	}
	s := newSite(t)
	marker := s.Path("exec-ran")
	conf := s.Path("etc/users.conf")
	text, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	s.Write("etc/users.conf", "#exec \"touch "+marker+"\"\n"+string(text))
	sink := newLogSink(t)
	snap := s.load(sink.logger())
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("#exec ran")
	}
	refused := false
	for _, d := range snap.Diagnostics {
		refused = refused || strings.Contains(d.String(), "#exec") && strings.Contains(d.String(), "refused")
	}
	if !refused {
		t.Errorf("no diagnostic for the refused #exec: %v", snap.Diagnostics)
	}
	srv := startServer(t, s, security.Config{}, serverOptions{snap: snap})
	if r := do(t, nil, http.MethodGet, srv.http+"/phoneprov/"+mac7001+".cfg", nil); r.status != 200 {
		t.Errorf("pjsip phone after a refused #exec in users.conf: %d", r.status)
	}
}
