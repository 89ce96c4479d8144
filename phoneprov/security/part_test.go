package security

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/metrics"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings/settingstest"
)

func TestReachable(t *testing.T) {
	for addr, want := range map[string]bool{
		":8080": true, "0.0.0.0:8080": true, "[::]:8080": true, "192.0.2.1:8080": true,
		"127.0.0.1:8080": false, "127.1.2.3:69": false, "[::1]:8080": false, "localhost:8080": false,
		"[::ffff:127.0.0.1]:80": false,
	} {
		if got := Reachable(addr); got != want {
			t.Errorf("Reachable(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestPartLifecycle(t *testing.T) {
	snap := testSnapshot(t)
	for _, tt := range []struct {
		listener string
		warned   bool
	}{{":8080", true}, {"127.0.0.1:8080", false}} {
		var logs testlog.Buffer
		m := metrics.New()
		p, err := NewPart(PartConfig{Settings: settingstest.Load(t, "[security]\nscan_threshold = 1\n"), HTTPListeners: []string{tt.listener},
			Metrics: m, Logger: logs.Logger()})
		if err != nil {
			t.Fatal(err)
		}
		a := admin.New("test")
		d := daemon.New(daemon.Config{Admin: a})
		if err := d.Start(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(logs.String(), "SIP SECRETS ARE OPEN TO THE WORLD"); got != tt.warned {
			t.Errorf("%s: warned %v\n%s", tt.listener, got, logs.String())
		}
		if got := p.Exposed().Status().OpenToWorld; got != tt.warned {
			t.Errorf("%s: console's exposure %v", tt.listener, got)
		}
		// A ban, seen in /status and the metrics, lifted by POST /unban.
		for _, uri := range []string{"0004f2000001.cfg", "0004f2000002.cfg"} {
			p.Guard().Unmatched(newHTTPRequest("192.0.2.66:1", "/phoneprov/"+uri), snap, uri)
		}
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest("GET", "/status", nil))
		if !strings.Contains(rec.Body.String(), `"source": "192.0.2.66"`) {
			t.Errorf("/status: %s", rec.Body)
		}
		rec = httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		if !strings.Contains(rec.Body.String(), "phoneprovd_bans_active 1") {
			t.Error("bans_active is not 1")
		}
		rec = httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest("POST", "/unban", strings.NewReader(`{"source": "192.0.2.66"}`)))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"unbanned": [`) || p.Guard().isBanned(mustAddr("192.0.2.66")) {
			t.Errorf("unban: %d %s", rec.Code, rec.Body)
		}
		rec = httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest("POST", "/unban", strings.NewReader(`{}`)))
		if rec.Code != http.StatusBadRequest {
			t.Errorf("empty unban: %d", rec.Code)
		}
		if err := d.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPartReconfigure(t *testing.T) {
	var logs testlog.Buffer
	p, err := NewPart(PartConfig{Settings: settingstest.Load(t, "[security]\nmax_connections = 10\n"), HTTPListeners: []string{"127.0.0.1:8080"}, Logger: logs.Logger()})
	if err != nil {
		t.Fatal(err)
	}
	admitted := func() bool { return p.Guard().Admit(newHTTPRequest("192.0.2.1:5060", "/phoneprov/x.cfg")) == nil }
	if !admitted() || p.Conns().Max() != 10 {
		t.Fatal("start")
	}
	s := settingstest.Load(t, "[security]\nhttp_allow = 10.0.0.0/8\nmax_connections = 20\n")
	if err := p.CheckSettings(s); err != nil {
		t.Fatal(err)
	}
	if restart, err := p.Reconfigure(s); err != nil || len(restart) != 0 {
		t.Fatalf("Reconfigure: %v %v", restart, err)
	}
	if admitted() || p.Conns().Max() != 20 {
		t.Error("[security] not applied")
	}
	// A certificate that does not load is refused before anything applies,
	// naming the section.
	bad := settingstest.Load(t, "\n[security]\ntls_cert = /nonexistent/c.pem\ntls_key = /nonexistent/k.pem\n")
	if err := p.CheckSettings(bad); err == nil || !strings.Contains(err.Error(), "phoneprovd.conf:2: [security]: security: TLS certificate:") {
		t.Errorf("CheckSettings: %v", err)
	}
	if _, err := p.Reconfigure(bad); err == nil || admitted() {
		t.Errorf("Reconfigure of a bad [security]: %v", err)
	}
}
