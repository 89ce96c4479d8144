package tftpserver

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings/settingstest"
	"github.com/pin/tftp/v3"
)

func freeUDP(t *testing.T) string {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().String()
}

func TestPartOff(t *testing.T) {
	p := NewPart(PartConfig{Settings: settings.Defaults(), Snapshots: newTestSite(t)})
	d := daemon.New(daemon.Config{})
	if err := d.Start(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if p.srv != nil {
		t.Error("serving without [tftp]")
	}
	if restart, _ := p.Reconfigure(settingstest.Load(t, "[tftp]\nlisten = 127.0.0.1:6969\n")); len(restart) != 1 || restart[0] != "[tftp] changed (in force until a restart: TFTP off)" {
		t.Errorf("turned on: %q", restart)
	}
	if err := d.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestPartLifecycle serves TFTP as a part: a fetch reaches OnServe and
// the daemon's Fetchers, [tftp] limits apply while it serves, another
// address needs a restart, and Stop shuts it down.
func TestPartLifecycle(t *testing.T) {
	site := newTestSite(t)
	addr := freeUDP(t)
	conf := "[tftp]\nlisten = " + addr + "\n"
	var (
		mu      sync.Mutex
		served  []string
		fetched []string
	)
	p := NewPart(PartConfig{Settings: settingstest.Load(t, conf), DataDir: site.data, Snapshots: site,
		OnServe: func(s Served) { mu.Lock(); served = append(served, s.Filename); mu.Unlock() }})
	fetcher := &daemon.Funcs{PartName: "resync", OnFetched: func(mac string, gen uint64) {
		mu.Lock()
		fetched = append(fetched, fmt.Sprint(mac, " ", gen))
		mu.Unlock()
	}}
	d := daemon.New(daemon.Config{})
	if err := d.Start(context.Background(), p, fetcher); err != nil {
		t.Fatal(err)
	}
	waitReady(t, addr)
	c, _ := tftp.NewClient(addr)
	wt, err := c.Receive("0004f2000001.cfg", "octet")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	wt.WriteTo(&body)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(fetched)
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	if !strings.Contains(strings.Join(served, " "), "0004f2000001.cfg") || len(fetched) != 1 || fetched[0] != "0004f2000001 0" {
		t.Errorf("served %q, fetched %q", served, fetched)
	}
	mu.Unlock()

	// An upload directory inside DATA-DIR/phoneprov is refused with its
	// line; one outside applies at once.
	inside := settingstest.Load(t, conf+"\nupload_dir = "+filepath.Join(site.data, "phoneprov", "up")+"\n")
	if err := p.CheckSettings(inside); err == nil || !strings.Contains(err.Error(), "phoneprovd.conf:4: [tftp] upload_dir") {
		t.Errorf("inside: %v", err)
	}
	up := t.TempDir()
	if err := p.CheckSettings(settingstest.Load(t, conf+"upload_dir = "+filepath.Join(up, "nonexistent")+"\n")); err == nil {
		t.Error("a missing upload directory passed the check")
	}
	outside := settingstest.Load(t, conf+"upload_dir = "+up+"\n")
	if err := p.CheckSettings(outside); err != nil {
		t.Fatal(err)
	}
	if restart, err := p.Reconfigure(outside); err != nil || len(restart) != 0 {
		t.Fatalf("Reconfigure: %q %v", restart, err)
	}
	rf, err := c.Send("phone.log", "octet")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rf.ReadFrom(strings.NewReader("log line")); err != nil {
		t.Fatalf("upload: %v", err)
	}
	// Another address, or TFTP removed: a restart.
	if restart, _ := p.Reconfigure(settingstest.Load(t, "[tftp]\nlisten = 127.0.0.1:6970\n")); len(restart) != 1 || !strings.HasPrefix(restart[0], "[tftp] listen changed (in force until a restart: "+addr) {
		t.Errorf("another address: %q", restart)
	}
	if restart, _ := p.Reconfigure(settings.Defaults()); len(restart) != 1 || !strings.HasPrefix(restart[0], "[tftp] changed") {
		t.Errorf("removed: %q", restart)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	c.SetTimeout(200 * time.Millisecond)
	c.SetRetries(1)
	if _, err := c.Receive("0004f2000001.cfg", "octet"); err == nil {
		t.Error("still serving after Stop")
	}
}
