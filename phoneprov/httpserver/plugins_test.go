package httpserver

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/plugin"
	"github.com/phoneprovd/phoneprovd/plugin/plugincases"
)

// recordingGuard is a Guard that lets everything through, records what it
// is asked, and refuses unmatched requests once told to.
type recordingGuard struct {
	mu         sync.Mutex
	unmatched  []string
	authorized []string
	ban        bool
}

func (g *recordingGuard) Admit(*http.Request) *Refusal { return nil }

func (g *recordingGuard) Unmatched(_ *http.Request, _ *phoneprov.Snapshot, uri string) *Refusal {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.unmatched = append(g.unmatched, uri)
	if g.ban {
		return &Refusal{Status: http.StatusForbidden}
	}
	return nil
}

func (g *recordingGuard) Authorize(_ *http.Request, _ *phoneprov.Snapshot, r *phoneprov.Route, body *phoneprov.Rendered) *Refusal {
	g.mu.Lock()
	defer g.mu.Unlock()
	if body != nil && (body.Sensitive || body.HoldsSecret) {
		g.authorized = append(g.authorized, r.URI)
	}
	return nil
}

// TestPluginUnknownPhones: an unknown phone's autoprov file is asked of
// the guard as an unmatched request first (its MAC counted, a banned
// source refused), then authorized as the sensitive file it is; a phone
// waiting to be identified is served its own file from its request.
func TestPluginUnknownPhones(t *testing.T) {
	conf, data, err := plugincases.WriteSite(t.TempDir(), "../../../shared/provd", "")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := phoneprov.Load(phoneprov.Options{ConfigDir: conf, DataDir: data, LocalZone: time.UTC, Plugins: phoneprov.PluginOptions{
		Engine: plugin.JinjaEngine{},
		Profiles: map[string]phoneprov.PluginProfile{
			"wazo-auto": {Plugin: phoneprov.AutoPlugin},
			"autoprov":  {Plugin: "wazo-digium-1.4.0.0", Autoprov: true},
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	g := &recordingGuard{}
	srv := httptest.NewServer(NewHandler(phoneprovtest.Fixed(snap), Config{Guard: g}))
	defer srv.Close()
	fetch := func(uri, ua string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/phoneprov/"+uri, nil)
		req.Header.Set("User-Agent", ua)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := fetch("Digium/000fd3aabb91.cfg", "Digium D40 1.4.0.0.57389")
	if code != http.StatusOK || !strings.Contains(body, "apq7k2m9zx") {
		t.Fatalf("autoprov: %d", code)
	}
	if strings.Join(g.unmatched, ",") != "Digium/000fd3aabb91.cfg" || strings.Join(g.authorized, ",") != "Digium/000fd3aabb91.cfg" {
		t.Errorf("guard asked: unmatched %v, authorized %v", g.unmatched, g.authorized)
	}
	code, body = fetch("805ec0aabb01.cfg", "Yealink SIP-T46S 66.86.0.15 80:5e:c0:aa:bb:01")
	if code != http.StatusOK || !strings.Contains(body, "account.1.user_name = u1001t46s") {
		t.Errorf("the T46S waiting to be identified: %d", code)
	}
	g.ban = true
	if code, _ := fetch("Digium/000fd3aabb92.cfg", "Digium D40 1.4.0.0.57389"); code != http.StatusForbidden {
		t.Errorf("a banned source gets %d for an unknown phone", code)
	}
	if code, _ := fetch("805ec0aabb99.cfg", "Yealink SIP-T46S 66.86.0.15 80:5e:c0:aa:bb:99"); code != http.StatusForbidden {
		t.Errorf("a banned source gets %d", code)
	}
}
