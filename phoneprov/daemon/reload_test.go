package daemon

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// siteLoader reads the site's phoneprovd.conf and checks it with d.
type siteLoader struct {
	site *phoneprovtest.Site
	d    *Daemon
}

func (l siteLoader) Settings() (*settings.Settings, error) {
	s, err := settings.Load(l.site.ConfigDir)
	if err != nil {
		return nil, err
	}
	return s, l.d.CheckSettings(s)
}

func (l siteLoader) Load(*settings.Settings) (*phoneprov.Snapshot, error) {
	return phoneprov.Load(l.site.Options)
}

func (l siteLoader) LastGood(*settings.Settings) (*phoneprov.Snapshot, string, error) {
	return nil, "", nil
}

// TestReloadParts runs the reload manager as the config and watch parts:
// the first snapshot is loaded when config starts, /readyz follows, an
// edit of [general] debounce reaches the manager, and the watch stops
// with its part.
func TestReloadParts(t *testing.T) {
	site := phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
		"etc/users.conf":      "[6001]\nusername = 6001\nmacaddress = 0004f2000001\nautoprov = yes\n",
		"lib/phoneprov/t.cfg": "u=${USERNAME}\n",
		"etc/phoneprovd.conf": "[general]\ndebounce = 10ms\n",
	})

	a := admin.New("test")
	d := New(Config{Admin: a})
	m := reload.New(reload.Config{Loader: siteLoader{site, d}, OnSwap: d.Swapped, Rescan: -1})
	var snapAtStart *phoneprov.Snapshot
	after := &Funcs{PartName: "after", OnStart: func(context.Context, *Host) error {
		snapAtStart = m.Snapshot()
		return nil
	}}
	readyz := func() int {
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		return rec.Code
	}
	before := &Funcs{PartName: "before", OnStart: func(context.Context, *Host) error {
		if code := readyz(); code != 503 {
			t.Errorf("/readyz before the first load: %d", code)
		}
		return nil
	}}
	if err := d.Start(context.Background(), before, NewConfigPart(m), after, NewWatchPart(m)); err != nil {
		t.Fatal(err)
	}
	if snapAtStart == nil || readyz() != 200 {
		t.Fatalf("the parts after config start with a snapshot: %v, /readyz %d", snapAtStart, readyz())
	}
	if debounce, _ := m.Timing(); debounce != 10*time.Millisecond {
		t.Errorf("debounce %v", debounce)
	}
	// An edit: the watch part reloads, the config part applies it.
	for len(m.Status().Watching.Directories) == 0 {
		time.Sleep(time.Millisecond)
	}
	site.Write("etc/phoneprovd.conf", "[general]\ndebounce = 20ms\n")
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if debounce, _ := m.Timing(); debounce == 20*time.Millisecond {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if debounce, _ := m.Timing(); debounce != 20*time.Millisecond || d.SettingsStatus().Generation != 2 {
		t.Errorf("after the edit: debounce %v, %+v", debounce, d.SettingsStatus())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}
