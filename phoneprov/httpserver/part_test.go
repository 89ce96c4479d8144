package httpserver

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings/settingstest"
)

// TestPart serves phones as a part: a fetch of a phone's file reaches
// OnServe and the daemon's Fetchers, an edit of [general] servername and
// prefix applies to the next request, another address needs a restart,
// and Stop shuts the server down.
func TestPart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	var (
		mu      sync.Mutex
		served  []int
		at      []time.Time
		fetched []string
	)
	p := NewPart(PartConfig{Listener: ln, Settings: settingstest.Load(t, "[general]\nhttp = "+ln.Addr().String()+"\nservername = first\n"),
		Snapshots: phoneprovtest.Fixed(testSnapshot(t)), OnServe: func(s Served) { mu.Lock(); served, at = append(served, s.Status), append(at, s.At); mu.Unlock() }})
	fetcher := &daemon.Funcs{PartName: "resync", OnFetched: func(mac string, _ uint64) { mu.Lock(); fetched = append(fetched, mac); mu.Unlock() }}
	d := daemon.New(daemon.Config{})
	if err := d.Start(context.Background(), p, fetcher); err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	code, h, body := get(t, "GET", base+"/phoneprov/0004f2000001.cfg")
	if code != 200 || h.Get("Server") != "first" || body != "server=127.0.0.1\n" {
		t.Fatalf("GET: %d %q %q", code, h.Get("Server"), body)
	}
	after := time.Now()
	mu.Lock()
	if len(served) != 1 || len(fetched) != 1 || fetched[0] != "0004f2000001" {
		t.Errorf("served %v, fetched %q", served, fetched)
	}
	if len(at) != 1 || at[0].Before(before) || at[0].After(after) {
		t.Errorf("served at %v, not between %v and %v", at, before, after)
	}
	mu.Unlock()

	// servername and prefix: the next request.
	restart, err := p.Reconfigure(settingstest.Load(t, "[general]\nhttp = "+ln.Addr().String()+"\nservername = second\nprefix = asterisk\n"))
	if err != nil || len(restart) != 0 {
		t.Fatalf("Reconfigure: %q %v", restart, err)
	}
	if code, h, _ := get(t, "GET", base+"/asterisk/phoneprov/0004f2000001.cfg"); code != 200 || h.Get("Server") != "second" {
		t.Errorf("after the edit: %d %q", code, h.Get("Server"))
	}
	if code, _, _ := get(t, "GET", base+"/phoneprov/0004f2000001.cfg"); code != 404 {
		t.Errorf("without the new prefix: %d", code)
	}
	// Another address: a restart; the listener keeps serving.
	restart, _ = p.Reconfigure(settingstest.Load(t, "[general]\nhttp = 127.0.0.1:1\nhttps = 127.0.0.1:2\n"))
	want := []string{"[general] http changed (in force until a restart: " + ln.Addr().String() + ")", "[general] https changed (in force until a restart: no HTTPS)"}
	if strings.Join(restart, "|") != strings.Join(want, "|") {
		t.Errorf("restart %q", restart)
	}
	if code, _, _ := get(t, "GET", base+"/phoneprov/0004f2000001.cfg"); code != 200 {
		t.Errorf("the old listener: %d", code)
	}
	if err := d.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(base + "/phoneprov/0004f2000001.cfg"); err == nil {
		t.Error("still serving after Stop")
	}
}
