package rollout

import (
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// TestRestartResumes: a rollout saved in the middle of its second wave
// is taken up by a new Manager on the same state: the phones' steps and
// statuses, the holds, the waves; a deadline that passed while it was
// down fails its phone at the first check; the wave ends and the next
// starts; new IDs follow the saved ones.
func TestRestartResumes(t *testing.T) {
	dir := t.TempDir()
	st, err := state.Open(state.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t, newFleet(20, 0))
	s.m.cfg.Flush = st.Flush
	if err := s.m.Restore(st); err != nil {
		t.Fatal(err)
	}
	st.Register(s.m)
	s.create(Request{Waves: "10%,50%,100%", Deadline: "10m", MaxFailures: "2"})
	s.step()
	s.playWave("r1", nil) // wave 1 succeeds, wave 2 starts
	second := s.phones("r1", Upgrading)
	slow, upgraded := second[0], second[1]
	s.upgrade(upgraded, healthy)
	s.upgrade(slow, noFetch) // fetched its configuration, never the firmware
	s.step()
	s.clock.Advance(6 * time.Minute)
	for _, mac := range second[2:] {
		s.upgrade(mac, noFetch) // fetched their configuration 6 minutes later
	}
	s.step()
	if err := st.Flush(); err != nil {
		t.Fatal(err)
	}
	before := s.get("r1")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// phoneprovd is down for 5 minutes: the slow phone's deadline passes
	// meanwhile, not the others'.
	s.clock.Advance(5 * time.Minute)
	st, err = state.Open(state.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s.m = s.manager()
	s.m.cfg.Flush = st.Flush
	if err := s.m.Restore(st); err != nil {
		t.Fatal(err)
	}
	st.Register(s.m)
	after := s.get("r1")
	if after.State != Running || after.Wave != 1 || after.Upgraded != before.Upgraded || after.Upgrading != before.Upgrading || after.Waiting != 10 ||
		after.Route != route || after.Settings.Deadline != 10*time.Minute || len(after.PhoneList) != 20 {
		t.Fatalf("restored: %s %+v", after.State, after.Summary)
	}
	for i, p := range after.PhoneList {
		b := before.PhoneList[i]
		if p.MAC != b.MAC || p.Status != b.Status || p.Wave != b.Wave || !p.Config.Equal(b.Config) || !p.Started.Equal(b.Started) {
			t.Errorf("phone %d: %+v, saved %+v", i, p, b)
		}
		if p.Wave == 2 {
			if file, hold, ok := s.m.Pin(plugin, p.MAC); !ok || !hold || file != "" {
				t.Errorf("a phone of wave 3 is not held after the restart: %q %v %v", file, hold, ok)
			}
		}
	}
	s.swap("start") // the first snapshot after the restart

	s.step()
	var slowNow Phone
	for _, p := range s.get("r1").PhoneList {
		if p.MAC == slow {
			slowNow = p
		}
	}
	if slowNow.Status != Failed || slowNow.Step != StepFirmware {
		t.Fatalf("the phone whose deadline passed while phoneprovd was down: %+v", slowNow)
	}
	for round := 0; round < 5 && s.get("r1").State != Done; round++ {
		s.playWave("r1", nil)
	}
	if d := s.get("r1"); d.State != Done || d.Upgraded != 19 || d.Failed != 1 {
		t.Fatalf("after the restart: %s %+v", d.State, d.Summary)
	}
	if sum := s.create(Request{Select: []string{"mac=" + slow}}); sum.ID != "r2" {
		t.Errorf("the next rollout is %s", sum.ID)
	}
	if err := st.Flush(); err != nil {
		t.Fatal(err)
	}
	// Everything is saved: a third Manager reads the same.
	m3 := New(Config{Fleet: s.fleet, Now: s.clock.Now})
	if err := m3.Restore(st); err != nil {
		t.Fatal(err)
	}
	if got := m3.List(); len(got) != 2 || got[1].State != Done || got[1].Upgraded != 19 || !strings.HasPrefix(got[1].Message, "done:") {
		t.Errorf("saved: %+v", got)
	}
}

// TestSaveFailure: a request whose change cannot be saved says so.
func TestSaveFailure(t *testing.T) {
	s := newSite(t, newFleet(2, 0))
	s.m.cfg.Flush = func() error { return errTest }
	_, err := s.m.Create(Request{Plugin: plugin, Package: pkgID})
	var se *SaveError
	if err == nil || !strings.Contains(err.Error(), "not saved") || !asSaveError(err, &se) {
		t.Errorf("create: %v", err)
	}
	if len(s.m.List()) != 1 {
		t.Error("the rollout was not kept in memory")
	}
}
