package security_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// golden is the reference data captured from a real Asterisk 20.20.1.
const golden = "../../../shared/asterisk/golden"

// TestDefaultGuardChangesNothing: with phoneprovd.conf's default [security]
// (no credentials, every address admitted, scan protection on), every
// response to the golden requests and to every route is byte for byte what
// the handler without a guard gives, which TestGoldenHTTP compares with
// Asterisk 20.20.1 (docs/asterisk.md#responses). The protection on by default
// breaks no phone.
func TestDefaultGuardChangesNothing(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join(golden, "configs/phoneprov-templates"))
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	if err := os.Symlink(abs, filepath.Join(data, "phoneprov")); err != nil {
		t.Fatal(err)
	}
	sink := newLogSink(t)
	snap, err := phoneprov.Load(phoneprov.Options{
		ConfigDir: filepath.Join(golden, "configs/etc-asterisk"),
		DataDir:   data,
		Now:       func() time.Time { return time.Date(2026, 11, 22, 7, 17, 42, 0, time.UTC) },
		LocalZone: time.UTC,
		Logger:    sink.logger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	src := phoneprovtest.Fixed(snap)
	cfg := security.ConfigFromSettings(settings.Defaults().Security, false)
	cfg.Snapshots, cfg.Logger = src, sink.logger()
	g, err := security.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	plain := httpserver.NewHandler(src, httpserver.Config{ServerName: "Asterisk/20.20.1"})
	guarded := httpserver.NewHandler(src, httpserver.Config{ServerName: "Asterisk/20.20.1", Guard: g})

	type req struct{ method, uri string }
	var reqs []req
	for _, r := range snap.Routes() {
		reqs = append(reqs, req{http.MethodGet, r.URI}, req{http.MethodHead, r.URI})
	}
	headers, _ := filepath.Glob(filepath.Join(golden, "phoneprov-http", "*.headers"))
	for _, h := range headers {
		name := strings.TrimSuffix(filepath.Base(h), ".headers")
		switch {
		case strings.HasPrefix(name, "method_"):
			m, rest, _ := strings.Cut(strings.TrimPrefix(name, "method_"), "_")
			reqs = append(reqs, req{m, strings.ReplaceAll(rest, "_", "/")})
		case name == "edge_ROOT":
			reqs = append(reqs, req{http.MethodGet, ""})
		default:
			reqs = append(reqs, req{http.MethodGet, strings.ReplaceAll(strings.TrimPrefix(name, "edge_"), "_", "/")})
		}
	}
	if len(reqs) < 30 {
		t.Fatalf("only %d requests", len(reqs))
	}
	for _, rq := range reqs {
		var got [2]*httptest.ResponseRecorder
		for i, h := range []http.Handler{plain, guarded} {
			r := httptest.NewRequest(rq.method, "/", nil)
			r.RequestURI = "/phoneprov/" + rq.uri
			r.Header.Set("User-Agent", "FileTransport PolycomVVX-VVX_400-UA/5.9.0.9373 Type/Application")
			got[i] = httptest.NewRecorder()
			h.ServeHTTP(got[i], r)
		}
		if got[0].Code != got[1].Code || !reflect.DeepEqual(got[0].Header(), got[1].Header()) || got[0].Body.String() != got[1].Body.String() {
			t.Errorf("%s %s: guarded %d %v differs from plain %d %v", rq.method, rq.uri, got[1].Code, got[1].Header(), got[0].Code, got[0].Header())
		}
	}
	// The secrets served were audited, and none of them logged.
	g.FlushAudit()
	if sink.count(`"msg":"sensitive file served"`, `"auth":"none"`) == 0 {
		t.Error("no audit line")
	}
	for _, p := range snap.Phones() {
		for _, l := range p.Lines {
			if sec, _ := l.Vars.Find("SECRET"); sec != "" && strings.Contains(sink.String(), sec) {
				t.Errorf("the log holds %s's secret", l.Username)
			}
		}
	}
}
