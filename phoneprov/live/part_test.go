package live

import (
	"context"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/metrics"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings/settingstest"
)

func TestPartOff(t *testing.T) {
	p := NewPart(PartConfig{Settings: settings.Defaults()})
	d := daemon.New(daemon.Config{})
	if err := d.Start(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	defer d.Stop(context.Background())
	if p.AMI() != nil || p.Cache() != nil || p.Status() != nil {
		t.Error("on without [ami] or [ari]")
	}
}

// TestPartLifecycle connects to a fake AMI: the cache is there once the
// part started, fetches what the engine asks for in the background, asks
// for a reload when it has the answer, reports the connection, and stops
// with the part. An edit of [ami] needs a restart, said without the
// secret.
func TestPartLifecycle(t *testing.T) {
	srv := amitest.NewServer(amitest.Options{AuthFailDelay: -1})
	defer srv.Close()
	srv.AddUser("phoneprov", amiSecret)
	srv.AddTransport(amitest.Transport{Name: "udp", Bind: "0.0.0.0:5062"})
	srv.AddEndpoint(amitest.Endpoint{Name: "7001", Transport: "udp", Auths: []string{"7001"}, Aors: []string{"7001"}})
	srv.AddAuth(amitest.Auth{Name: "7001", Username: "u7001", Password: sipSecret})
	host, port, _ := net.SplitHostPort(srv.Addr)
	conf := "[ami]\nhost = " + host + "\nport = " + port + "\nusername = phoneprov\nsecret = " + amiSecret + "\n"
	var (
		mu      sync.Mutex
		reloads []string
	)
	logs := &logBuffer{}
	m := metrics.New()
	p := NewPart(PartConfig{Settings: settingstest.Load(t, conf), Metrics: m, Logger: logs.logger(),
		Reload: func(_ context.Context, reason string) {
			mu.Lock()
			reloads = append(reloads, reason)
			mu.Unlock()
		}})
	d := daemon.New(daemon.Config{})
	if err := d.Start(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if p.AMI() == nil || p.Cache() == nil {
		t.Fatal("no client or cache after Start")
	}
	if _, ok := p.Cache().Endpoint("7001"); ok {
		t.Fatal("an answer before any fetch")
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(reloads)
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if ep, ok := p.Cache().Endpoint("7001"); !ok || ep.Secret != sipSecret {
		t.Errorf("endpoint after the fetch: %+v %v (reloads asked %q)", ep, ok, reloads)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `phoneprovd_asterisk_connected{source="ami"} 1`) {
		t.Error("asterisk_connected is not 1")
	}
	restart, _ := p.Reconfigure(settingstest.Load(t, strings.Replace(conf, amiSecret, "another-secret", 1)))
	if len(restart) != 1 || !strings.HasPrefix(restart[0], "[ami] changed") || strings.Contains(restart[0], "secret") {
		t.Errorf("restart %q", restart)
	}
	if restart, _ := p.Reconfigure(settingstest.Load(t, conf)); len(restart) != 0 {
		t.Errorf("the same [ami]: %q", restart)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	logs.assertNoSecrets(t)
}
