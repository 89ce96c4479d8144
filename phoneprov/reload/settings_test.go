package reload

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// siteLoader is a Loader reading the test site's phoneprovd.conf, whose
// quiet_files reach the snapshot as production's engine options do.
type siteLoader struct {
	s     *testSite
	loads int
	with  []*settings.Settings
}

func (l *siteLoader) Settings() (*settings.Settings, error) { return settings.Load(l.s.ConfigDir) }

func (l *siteLoader) Load(st *settings.Settings) (*phoneprov.Snapshot, error) {
	l.loads++
	l.with = append(l.with, st)
	quiet := map[string][]string{}
	for name, p := range st.Profiles {
		quiet[name] = p.QuietFiles
	}
	return phoneprov.Load(phoneprov.Options{ConfigDir: l.s.ConfigDir, DataDir: l.s.DataDir, LocalZone: time.UTC, QuietFiles: quiet})
}

func (l *siteLoader) LastGood(*settings.Settings) (*phoneprov.Snapshot, string, error) {
	return nil, "", nil
}

func TestSettingsAreAnInputOfTheReload(t *testing.T) {
	s := newTestSite(t, 3)
	s.Write("etc/phoneprovd.conf", "[general]\ndebounce = 1s\n#tryinclude phoneprovd.d/*.conf\n")
	l := &siteLoader{s: s}
	var swaps []Swap
	m := New(Config{Loader: l, OnSwap: func(sw Swap) { swaps = append(swaps, sw) }})
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	if len(swaps) != 1 || swaps[0].Settings == nil || swaps[0].Settings != m.Settings() || m.Settings().General.Debounce != time.Second {
		t.Fatalf("start: %+v", swaps)
	}
	if res := m.check("test", false); res.Reloaded || res.Err != nil {
		t.Fatalf("nothing changed: %+v", res)
	}

	// An edit of phoneprovd.conf alone reloads, with the new settings,
	// though no phone's file changes.
	s.Edit("etc/phoneprovd.conf", "debounce = 1s", "debounce = 2s")
	res := m.check("file change", false)
	if !res.Reloaded || res.Swap.Settings.General.Debounce != 2*time.Second || m.Settings() != res.Swap.Settings {
		t.Fatalf("edit: %+v", res)
	}
	if !strings.HasSuffix(res.Swap.Reason, "phoneprovd.conf changed") || !res.Swap.Changes.Empty() {
		t.Errorf("reason %q, changes %+v", res.Swap.Reason, res.Swap.Changes)
	}

	// A new file matching its #tryinclude counts too, and so does a
	// setting that changes what the engine does with the same files.
	os.MkdirAll(filepath.Join(s.ConfigDir, "phoneprovd.d"), 0o755)
	s.Write("etc/phoneprovd.d/p1.conf", "[profile:p1]\nquiet_files = *.boot\n")
	res = m.check("file change", false)
	if !res.Reloaded || res.Swap.Settings.Profiles["p1"] == nil {
		t.Fatalf("new include: %+v", res)
	}
	s.Edit("lib/phoneprov/master.cfg", "CONFIG_FILES", "CONFIG-FILES")
	res = m.check("file change", false)
	c := res.Swap.Changes
	if len(c.Quiet) != 1 || len(c.Changed) != 1 { // master.cfg is p1's quiet ${MAC}.boot and p0's ${MAC}.cfg
		t.Errorf("quiet_files of the new settings: %+v", c)
	}

	// A broken edit is refused with its file and line; the snapshot and
	// the settings in force stay.
	before, beforeSettings := m.Snapshot(), m.Settings()
	s.Edit("etc/phoneprovd.conf", "debounce = 2s", "debounce = 2s\nbogus = 1")
	res = m.checkOrSkip("file change", false)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "phoneprovd.conf:3: unknown setting \"bogus\"") {
		t.Fatalf("broken edit: %+v", res)
	}
	if m.Snapshot() != before || m.Settings() != beforeSettings {
		t.Error("a broken edit replaced what is served")
	}
	if st := m.Status(); st.LastError == nil || !strings.Contains(st.LastError.Message, "phoneprovd.conf:3:") {
		t.Errorf("status: %+v", st.LastError)
	}
	loads := l.loads
	if res := m.checkOrSkip("rescan", false); res.Reloaded || res.Err != nil || l.loads != loads {
		t.Errorf("the same broken settings were tried again: %+v", res)
	}
	// Undone: the file is what is served again, so nothing reloads and the
	// error is gone.
	s.Edit("etc/phoneprovd.conf", "debounce = 2s\nbogus = 1", "debounce = 2s")
	if res := m.checkOrSkip("file change", false); res.Reloaded || res.Err != nil || m.Status().LastError != nil {
		t.Errorf("undone: %+v %+v", res, m.Status().LastError)
	}
}

func TestSettingsFileAppears(t *testing.T) {
	s := newTestSite(t, 1)
	m := New(Config{Loader: &siteLoader{s: s}})
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	if m.Settings().File != "" {
		t.Fatalf("no phoneprovd.conf: %+v", m.Settings())
	}
	s.Write("etc/phoneprovd.conf", "[resync]\nrate = 3\n")
	res := m.check("file change", false)
	if !res.Reloaded || res.Swap.Settings.Resync.Rate != 3 || !strings.HasSuffix(res.Swap.Reason, "phoneprovd.conf appeared") {
		t.Fatalf("phoneprovd.conf appeared: %+v", res)
	}
	if err := os.Remove(filepath.Join(s.ConfigDir, "phoneprovd.conf")); err != nil {
		t.Fatal(err)
	}
	if res := m.check("file change", false); !res.Reloaded || res.Swap.Settings.Resync.Rate != 10 {
		t.Fatalf("removed: back to the defaults: %+v", res)
	}
}

// TestSettingsEditSeenByTheWatcher: Run watches phoneprovd.conf's
// directory and reloads on an edit of it.
func TestSettingsEditSeenByTheWatcher(t *testing.T) {
	s := newTestSite(t, 1)
	s.Write("etc/phoneprovd.conf", "[resync]\nrate = 1\n")
	m := New(Config{Loader: &siteLoader{s: s}, Debounce: 10 * time.Millisecond, Rescan: -1})
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.Run(ctx)
	for len(m.Status().Watching.Directories) == 0 {
		time.Sleep(time.Millisecond)
	}
	s.Edit("etc/phoneprovd.conf", "rate = 1", "rate = 2")
	deadline := time.Now().Add(5 * time.Second)
	for m.Settings().Resync.Rate != 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if m.Settings().Resync.Rate != 2 {
		t.Fatal("the edit of phoneprovd.conf was not seen")
	}
}

func TestSetTiming(t *testing.T) {
	m := New(Config{Load: func() (*phoneprov.Snapshot, error) { return nil, nil }, Debounce: time.Second, Rescan: -1})
	if d, r := m.Timing(); d != time.Second || r >= 0 {
		t.Errorf("from Config: %v %v", d, r)
	}
	m.SetTiming(0, 0)
	if d, r := m.Timing(); d != DefaultDebounce || r != DefaultRescan {
		t.Errorf("defaults: %v %v", d, r)
	}
	var p periodic
	defer p.stop()
	if p.follow(-1) != nil || p.follow(0) != nil {
		t.Error("no period ticks")
	}
	c := p.follow(time.Millisecond)
	<-c
	if p.follow(time.Millisecond) != c {
		t.Error("the same period restarted the ticker")
	}
	c = p.follow(2 * time.Millisecond)
	<-c
	if p.follow(-1) != nil || p.t != nil {
		t.Error("stopped")
	}
}
