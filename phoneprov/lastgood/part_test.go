package lastgood

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// TestSaver runs the saver as a part: each snapshot of the live files is
// copied, the copy itself is not, the copy is read back at the next
// start, and Snapshot builds from it once the files break.
func TestSaver(t *testing.T) {
	s := newSite(t)
	stateDir := filepath.Join(s.Root, "state")
	start := func() (*daemon.Daemon, *state.Part, *Saver) {
		st := state.NewPart(state.Config{Dir: stateDir}, nil)
		sv := NewSaver(st, nil)
		d := daemon.New(daemon.Config{})
		if err := d.Start(context.Background(), st, sv); err != nil {
			t.Fatal(err)
		}
		return d, st, sv
	}
	d, _, sv := start()
	if sv.Status() != nil {
		t.Fatal("a copy before any was saved")
	}
	snap, err := phoneprov.Load(s.Options)
	if err != nil {
		t.Fatal(err)
	}
	d.Swapped(reload.Swap{Generation: 1, Snapshot: snap})
	deadline := time.Now().Add(10 * time.Second)
	for sv.Status() == nil && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	info, ok := sv.Status().(Info)
	if !ok || info.Files < 4 {
		t.Fatalf("status %+v", sv.Status())
	}
	if err := d.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}

	d, st, sv := start()
	defer d.Stop(context.Background())
	if got, ok := sv.Status().(Info); !ok || got.Files != info.Files {
		t.Errorf("after a restart: %+v", sv.Status())
	}
	// A snapshot served from the copy is not copied again.
	s.Write("etc/users.conf", "[100\n")
	from, desc, err := Snapshot(st.Store(), s.Options)
	if err != nil || from == nil || len(from.Phones()) != 2 || desc == "" {
		t.Fatalf("from the copy: %v %q %v", from, desc, err)
	}
	d.Swapped(reload.Swap{Generation: 1, Snapshot: from, LastGood: true})
	if len(sv.next) != 0 {
		t.Error("the copy was handed to the saver")
	}
}
