package reload

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
)

// testSite is a configuration with n users over three profiles.
type testSite struct{ *phoneprovtest.Site }

func newTestSite(t testing.TB, users int) *testSite {
	t.Helper()
	var u strings.Builder
	for i := 0; i < users; i++ {
		fmt.Fprintf(&u, "[%d]\nusername = %d\nfullname = User %d\nsecret = pw%d\ncid_number = %d\nmacaddress = 0004f2%06x\nprofile = p%d\nautoprov = yes\n\n",
			10000+i, 10000+i, i, i, 10000+i, i, i%3)
	}
	return &testSite{phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf": "[general]\ndefault_profile = p0\n" +
			"[p0]\nstatic_file => fw.bin\n${MAC}.cfg => master.cfg\n${MAC}-phone.cfg => phone.cfg\n" +
			"[p1]\ny${MAC}.cfg => phone.cfg\n${MAC}.boot => master.cfg\n" +
			"[p2]\ncfg${MAC}.xml => phone.cfg\n",
		"etc/users.conf":           u.String(),
		"lib/phoneprov/master.cfg": "<APPLICATION CONFIG_FILES=\"${MAC}-phone.cfg\"/>\n",
		"lib/phoneprov/phone.cfg":  "<reg ${PP_EACH_EXTENSION(${MAC},line.cfg)}/>\n<tz offset=\"${TZOFFSET}\"/>\n",
		"lib/phoneprov/line.cfg":   "reg.${LINE}.displayName=\"${DISPLAY_NAME}\" reg.${LINE}.address=\"${USERNAME}\" reg.${LINE}.auth.password=\"${SECRET}\" reg.${LINE}.server.1.address=\"${SERVER}\"",
		"lib/phoneprov/fw.bin":     "firmware",
	})}
}

// load is the manager's Config.Load.
func (s *testSite) load() (*phoneprov.Snapshot, error) { return phoneprov.Load(s.Options) }

func TestManagerSwapsAndDiffs(t *testing.T) {
	s := newTestSite(t, 6)
	var swaps []Swap
	m := New(Config{Load: s.load, OnSwap: func(sw Swap) { swaps = append(swaps, sw) }})
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	if m.Generation() != 1 || len(swaps) != 1 || len(swaps[0].Changes.Added) != 6 {
		t.Fatalf("start: generation %d, swaps %+v", m.Generation(), swaps)
	}
	// Nothing changed: a check does nothing.
	if res := m.check("test", false); res.Reloaded || res.Err != nil {
		t.Fatalf("check without change: %+v", res)
	}
	// One user's name: exactly that phone changed.
	s.Edit("etc/users.conf", "fullname = User 4\n", "fullname = Renamed\n")
	res := m.check("test", false)
	if !res.Reloaded || m.Generation() != 2 {
		t.Fatalf("after edit: %+v", res)
	}
	c := res.Swap.Changes
	if fmt.Sprint(c.Changed) != "[0004f2000004]" || len(c.Added)+len(c.Removed) != 0 || c.Unchanged != 5 {
		t.Errorf("changes %+v", c)
	}
	// A template used by profile p1 only (phones 1 and 4): those two change.
	s.Write("lib/phoneprov/master.cfg", "changed master\n")
	res = m.check("test", false)
	if got := fmt.Sprint(res.Swap.Changes.Changed); got != "[0004f2000000 0004f2000001 0004f2000003 0004f2000004]" {
		t.Errorf("master.cfg is used by p0 and p1: changed %s", got)
	}
	// A comment only: the files changed, the phones did not.
	s.Edit("etc/users.conf", "[10000]", "; a comment\n[10000]")
	res = m.check("test", false)
	if !res.Reloaded || !res.Swap.Changes.Empty() {
		t.Errorf("comment: %+v", res.Swap.Changes)
	}
	// A removed user.
	s.Edit("etc/users.conf", "macaddress = 0004f2000005", "macaddress_gone = x")
	res = m.check("test", false)
	if fmt.Sprint(res.Swap.Changes.Removed) != "[0004f2000005]" {
		t.Errorf("removed: %+v", res.Swap.Changes)
	}
}

func TestManagerKeepsLastGood(t *testing.T) {
	s := newTestSite(t, 2)
	m := New(Config{Load: s.load})
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	before := m.Snapshot()

	// A missing template is an error the served snapshot does not have.
	s.Edit("etc/phoneprov.conf", "master.cfg", "nosuch.cfg")
	res := m.checkOrSkip("test", false)
	if !errors.Is(res.Err, ErrRejected) || m.Snapshot() != before {
		t.Fatalf("missing template: %+v", res)
	}
	st := m.Status()
	if st.LastError == nil || !strings.Contains(st.LastError.Message, `phoneprov.conf:5: template "nosuch.cfg"`) || st.ReloadErrors != 1 {
		t.Errorf("status %+v", st.LastError)
	}
	// The same broken files are not tried again.
	if res := m.checkOrSkip("rescan", false); res.Err != nil || res.Reloaded {
		t.Errorf("retried the same broken files: %+v", res)
	}
	if m.Status().ReloadErrors != 1 {
		t.Error("error counted twice")
	}
	// A syntax error in phoneprov.conf: Load fails.
	s.Edit("etc/phoneprov.conf", "[p2]", "[p2")
	if res := m.checkOrSkip("test", false); res.Err == nil || m.Snapshot() != before {
		t.Fatalf("syntax error: %+v", res)
	}
	// Undone: the files are what is served again, so nothing reloads and
	// the error is gone.
	s.Edit("etc/phoneprov.conf", "[p2", "[p2]")
	s.Edit("etc/phoneprov.conf", "nosuch.cfg", "master.cfg")
	if res := m.checkOrSkip("test", false); res.Reloaded || res.Err != nil || m.Status().LastError != nil || m.Snapshot() != before {
		t.Fatalf("undo: %+v, %+v", res, m.Status().LastError)
	}
	// A good edit after a bad one reloads.
	s.Edit("etc/phoneprov.conf", "master.cfg", "nosuch.cfg")
	m.checkOrSkip("test", false)
	s.Write("lib/phoneprov/nosuch.cfg", "now it exists")
	if res := m.checkOrSkip("test", false); !res.Reloaded || m.Status().LastError != nil {
		t.Fatalf("fix: %+v, %+v", res, m.Status().LastError)
	}
}

func TestManagerStartFails(t *testing.T) {
	s := newTestSite(t, 1)
	s.Write("etc/phoneprov.conf", "[general\n")
	if err := New(Config{Load: s.load}).Start(); err == nil || !strings.Contains(err.Error(), "phoneprov.conf:1:") {
		t.Fatalf("err = %v", err)
	}
}

func TestManagerRunReloadsOnEvent(t *testing.T) {
	s := newTestSite(t, 2)
	m := New(Config{Load: s.load, Debounce: 20 * time.Millisecond})
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.Run(ctx)
	for len(m.Status().Watching.Directories) == 0 {
		time.Sleep(time.Millisecond)
	}
	// The watcher sees the edit and swaps within the debounce and a load.
	s.Edit("lib/phoneprov/line.cfg", "displayName", "name")
	deadline := time.Now().Add(5 * time.Second)
	for m.Generation() != 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if m.Generation() != 2 {
		t.Fatal("no reload after an edit")
	}
	// Reload forces one; Check without change does nothing.
	if res, err := m.Reload(ctx, "test"); err != nil || !res.Reloaded || m.Generation() != 3 {
		t.Fatalf("Reload: %+v %v", res, err)
	}
	if res, err := m.Check(ctx, "test"); err != nil || res.Reloaded {
		t.Fatalf("Check: %+v %v", res, err)
	}
	if dirs := m.Status().Watching.Directories; len(dirs) != 2 {
		t.Errorf("watching %v", dirs)
	}
}

func TestSplitGlob(t *testing.T) {
	for _, tt := range []struct{ in, dir, rest string }{
		{"/etc/asterisk/users.d/*.conf", "/etc/asterisk/users.d", "*.conf"},
		{"/etc/asterisk/*/x.conf", "/etc/asterisk", "*/x.conf"},
		{"/etc/asterisk/plain.conf", "/etc/asterisk", "plain.conf"},
		{"/etc/asterisk/{a,b}.conf", "/etc/asterisk", "{a,b}.conf"},
	} {
		dir, rest := splitGlob(tt.in)
		if dir != tt.dir || rest != tt.rest {
			t.Errorf("splitGlob(%q) = %q, %q", tt.in, dir, rest)
		}
	}
}
