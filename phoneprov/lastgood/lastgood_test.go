package lastgood

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// site has two phones: users.conf includes the second from a glob.
type site struct{ *phoneprovtest.Site }

func newSite(t *testing.T) *site {
	return &site{phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf":      "[general]\ndefault_profile = p\n[p]\nstatic_file => fw.bin\n${MAC}.cfg => phone.cfg\n",
		"etc/users.conf":          "#include users.d/*.conf\n[100]\nusername = 100\nsecret = s100\nmacaddress = 0004f2000100\nautoprov = yes\n",
		"etc/users.d/200.conf":    "[200]\nusername = 200\nsecret = s200\nmacaddress = 0004f2000200\nautoprov = yes\n",
		"lib/phoneprov/phone.cfg": "${PP_EACH_EXTENSION(${MAC},line.cfg)}",
		"lib/phoneprov/line.cfg":  "line ${USERNAME}\n",
		"lib/phoneprov/fw.bin":    "firmware v1",
	})}
}

// manager starts a reload manager on the live files, falling back on the
// copy in st.
func (s *site) manager(st *state.Store) *reload.Manager {
	return reload.New(reload.Config{
		Load: func() (*phoneprov.Snapshot, error) { return phoneprov.Load(s.Options) },
		LastGood: func() (*phoneprov.Snapshot, string, error) {
			set, err := Load(st)
			if err != nil || set == nil {
				return nil, "", err
			}
			o := s.Options
			o.Files = set
			snap, err := phoneprov.Load(o)
			return snap, set.Info.Describe(), err
		},
		Rescan: -1,
	})
}

func body(t *testing.T, snap *phoneprov.Snapshot, uri string) string {
	t.Helper()
	r := snap.Route(uri)
	if r == nil {
		return "(no route)"
	}
	b, err := snap.Render(r, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	return string(b.Bytes())
}

func TestStartServesLastGood(t *testing.T) {
	s := newSite(t)
	st, err := state.Open(state.Config{Dir: filepath.Join(s.Root, "state")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	// First run: good files, saved as the last good configuration.
	m := s.manager(st)
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	if m.Degraded() != "" {
		t.Errorf("degraded on good files: %s", m.Degraded())
	}
	set, err := Capture(m.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(set.Paths(), " "); strings.Contains(got, "fw.bin") || !strings.Contains(got, "users.d/200.conf") || !strings.Contains(got, "line.cfg") {
		t.Errorf("saved %s: want every config file and template, no static file", got)
	}
	if err := Save(st, set, time.Now()); err != nil {
		t.Fatal(err)
	}

	// Reboot with a broken users.conf, an edited template and new firmware.
	s.Write("etc/users.conf", "[100\nusername = 100\n")
	s.Write("lib/phoneprov/line.cfg", "edited ${USERNAME}\n")
	s.Write("lib/phoneprov/fw.bin", "firmware v2")
	m = s.manager(st)
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	snap := m.Snapshot()
	if len(snap.Phones()) != 2 || body(t, snap, "0004f2000200.cfg") != "line 200\n" {
		t.Fatalf("after a broken users.conf: %d phones, 200's file %q", len(snap.Phones()), body(t, snap, "0004f2000200.cfg"))
	}
	path, err := snap.StaticPath(snap.Route("fw.bin"))
	if b, _ := os.ReadFile(path); err != nil || string(b) != "firmware v2" {
		t.Errorf("static file served from %s (%v): %q; want the disk's", path, err, b)
	}
	deg := m.Degraded()
	if !strings.Contains(deg, "last good configuration") || !strings.Contains(deg, "users.conf:1") {
		t.Errorf("Degraded() = %q", deg)
	}
	stat := m.Status()
	if stat.ServingLastGood == nil || stat.LastError == nil || !strings.Contains(stat.LastError.Message, "users.conf") {
		t.Errorf("status %+v", stat)
	}

	// The files are fixed: the live files take over.
	go m.Run(t.Context())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The broken files are not tried again while they stay as they are.
	if res, err := m.Check(ctx, "test"); err != nil || res.Reloaded || res.Err != nil {
		t.Fatalf("check of unchanged broken files: %+v %v", res, err)
	}
	s.Write("etc/users.conf", "[100]\nusername = 100\nsecret = s100\nmacaddress = 0004f2000100\nautoprov = yes\n")
	res, err := m.Check(ctx, "test")
	if err != nil || !res.Reloaded || res.Swap.LastGood {
		t.Fatalf("check after the fix: %+v %v", res, err)
	}
	if m.Degraded() != "" || m.Status().ServingLastGood != nil {
		t.Errorf("still degraded: %q", m.Degraded())
	}
	if got := body(t, m.Snapshot(), "0004f2000100.cfg"); got != "edited 100\n" || m.Snapshot().Phone("0004f2000200") != nil {
		t.Errorf("live files: %q", got)
	}
}

func TestStartWithoutLastGood(t *testing.T) {
	s := newSite(t)
	st, err := state.Open(state.Config{Dir: filepath.Join(s.Root, "state")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s.Write("etc/users.conf", "[100\n")
	m := s.manager(st)
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	if deg := m.Degraded(); !strings.Contains(deg, "no last good configuration is saved") || !strings.Contains(deg, "users.conf:1") {
		t.Errorf("Degraded() = %q", deg)
	}
	// A broken phoneprov.conf, with nothing to fall back on, cannot start.
	s.Write("etc/phoneprov.conf", "[general\n")
	err = s.manager(st).Start()
	if err == nil || !strings.Contains(err.Error(), "phoneprov.conf") || !strings.Contains(err.Error(), "no last good configuration is saved") {
		t.Errorf("start: %v", err)
	}
}

// TestSetIsExclusive: the copy answers for what it saved and nothing else,
// under the same paths, directories included.
func TestSetIsExclusive(t *testing.T) {
	s := newSite(t)
	snap, err := phoneprov.Load(s.Options)
	if err != nil {
		t.Fatal(err)
	}
	snap.Fingerprints("", nil) // reads line.cfg
	set, err := Capture(snap)
	if err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(s.ConfigDir, "users.conf")
	if fi, err := set.Stat(users); err != nil || fi.IsDir() || fi.Size() == 0 {
		t.Errorf("stat users.conf: %v %v", fi, err)
	}
	if fi, err := set.Stat(s.ConfigDir); err != nil || !fi.IsDir() {
		t.Errorf("stat the config dir: %v", err)
	}
	entries, err := set.ReadDir(filepath.Join(s.ConfigDir, "users.d"))
	if err != nil || len(entries) != 1 || entries[0].Name() != "200.conf" {
		t.Errorf("readdir users.d: %v %v", entries, err)
	}
	if _, err := set.Stat(filepath.Join(s.ConfigDir, "sip.conf")); !os.IsNotExist(err) {
		t.Errorf("a file never read: %v", err)
	}
	// A file that changed after the load is not copied as what was served.
	s.Write("etc/users.d/200.conf", "changed\n")
	if _, err := Capture(snap); err == nil {
		t.Error("captured a file that changed since the load")
	}
}
