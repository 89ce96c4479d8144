package state

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/metrics"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// tally is a Collector that writes how many times it was collected.
type tally struct{ n int }

func (c *tally) Collect(b *Batch) {
	c.n++
	b.Put("test", "n", []byte{byte(c.n)})
}
func (c *tally) Committed(error) {}

// TestPart opens the database when the part starts, serves its health,
// and closes it when the part stops, after a last flush.
func TestPart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	m := metrics.New()
	p := NewPart(Config{Dir: dir, Interval: time.Hour}, m)
	if p.Store() != nil || p.Status() != nil {
		t.Fatal("open before Start")
	}
	a := admin.New("test")
	a.Ready(func() bool { return true })
	d := daemon.New(daemon.Config{Admin: a})
	if err := d.Start(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	c := &tally{}
	p.Store().Register(c)
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("GET", "/status", nil))
	if !strings.Contains(rec.Body.String(), `"writable": true`) {
		t.Errorf("/status: %s", rec.Body)
	}
	rec = httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), "phoneprovd_state_writable 1") {
		t.Error("state_writable is not 1")
	}
	if restart, _ := p.Reconfigure(&settings.Settings{General: settings.General{StateDir: dir}}); len(restart) != 0 {
		t.Errorf("same dir: %q", restart)
	}
	if restart, _ := p.Reconfigure(&settings.Settings{General: settings.General{StateDir: "/elsewhere"}}); len(restart) != 1 || !strings.HasPrefix(restart[0], "[general] state_dir changed") {
		t.Errorf("another dir: %q", restart)
	}
	if err := d.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c.n == 0 {
		t.Error("no flush when stopping")
	}
	// Closed: another Store may open it at once, and finds what was saved.
	st, err := Open(Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, _ := st.Get("test", "n"); len(v) != 1 || int(v[0]) != c.n {
		t.Errorf("saved %v, collected %d times", v, c.n)
	}
}

// TestPartUnwritable: a state directory that cannot be created stops the
// daemon from starting, naming it.
func TestPartUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	d := daemon.New(daemon.Config{})
	err := d.Start(context.Background(), NewPart(Config{Dir: filepath.Join(file, "state")}, nil))
	if err == nil || !strings.HasPrefix(err.Error(), "state: state directory "+filepath.Join(file, "state")) {
		t.Errorf("err = %v", err)
	}
}
