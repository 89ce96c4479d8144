package state

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenErrorsNameTheDirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	dir := filepath.Join(file, "state") // below a regular file: cannot exist
	_, err := Open(Config{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "cannot be created") {
		t.Errorf("error %v", err)
	}

	// A second process on the same directory.
	held := t.TempDir()
	s, err := Open(Config{Dir: held})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Open(Config{Dir: held})
	if err == nil || !strings.Contains(err.Error(), held) || !strings.Contains(err.Error(), "another phoneprovd") {
		t.Errorf("second open: %v", err)
	}
}

func TestCorruptDatabaseIsSetAside(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, FileName), []byte(strings.Repeat("not a database ", 1000)), 0o640)
	s, err := Open(Config{Dir: dir, Now: func() time.Time { return time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	aside := filepath.Join(dir, FileName+".corrupt-20261201T080000Z")
	if b, err := os.ReadFile(aside); err != nil || !strings.HasPrefix(string(b), "not a database") {
		t.Errorf("set aside: %v", err)
	}
	var b Batch
	b.Put("x", "k", []byte("v"))
	if err := s.Write(&b); err != nil {
		t.Fatal(err)
	}
}

func TestBatch(t *testing.T) {
	s, err := Open(Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var b Batch
	b.Put("files", "a", []byte("1"))
	b.Put("files", "b", []byte("2"))
	b.Put("other", "c", []byte("3"))
	if err := s.Write(&b); err != nil {
		t.Fatal(err)
	}
	// Clear then refill, and a delete, in one transaction.
	b = Batch{}
	b.Clear("files")
	b.Put("files", "z", []byte("26"))
	b.Delete("other", "c")
	b.Delete("missing", "k")
	if err := s.Write(&b); err != nil {
		t.Fatal(err)
	}
	var keys []string
	s.ForEach("files", func(k string, v []byte) error { keys = append(keys, k+"="+string(v)); return nil })
	if strings.Join(keys, ",") != "z=26" {
		t.Errorf("files after clear: %v", keys)
	}
	if v, _ := s.Get("other", "c"); v != nil {
		t.Errorf("deleted key reads %q", v)
	}
	if v, _ := s.Get("nothing", "c"); v != nil {
		t.Errorf("missing bucket reads %q", v)
	}
	// A failing batch changes nothing: it is one transaction.
	b = Batch{}
	b.Put("files", "y", []byte("25"))
	b.Put("files", strings.Repeat("k", 40000), []byte("too long a key"))
	if err := s.Write(&b); err == nil {
		t.Fatal("an oversized key was accepted")
	}
	if v, _ := s.Get("files", "y"); v != nil {
		t.Error("half of a failed transaction was written")
	}
	if s.Degraded() == "" {
		t.Error("a failed write does not degrade")
	}
}

// counter is a Collector counting what it is told.
type counter struct {
	writes    int
	committed []error
}

func (c *counter) Collect(b *Batch) {
	for i := 0; i < c.writes; i++ {
		b.Put("c", string(rune('a'+i)), []byte{byte(i)})
	}
	c.writes = 0
}
func (c *counter) Committed(err error) { c.committed = append(c.committed, err) }

func TestFlushTellsCollectors(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	c := &counter{writes: 3}
	s.Register(c)
	if err := s.Flush(); err != nil || len(c.committed) != 1 || c.committed[0] != nil {
		t.Fatalf("flush: %v, committed %v", err, c.committed)
	}
	if err := s.Flush(); err != nil || len(c.committed) != 2 {
		t.Fatalf("empty flush: %v, committed %v", err, c.committed)
	}
	h := s.Health()
	if !h.Writable || h.Saves != 1 || h.Bytes == 0 {
		t.Errorf("health %+v", h)
	}
	s.Close()
	if err := s.Write(&Batch{ops: []op{{kind: opPut, bucket: "x", key: "k"}}}); err == nil || errors.Is(err, nil) {
		t.Errorf("write after close: %v", err)
	}
	s2, err := Open(Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	n := 0
	s2.ForEach("c", func(string, []byte) error { n++; return nil })
	if n != 3 {
		t.Errorf("%d records after reopening", n)
	}
}

// periodicSeen is a Collector recording whether each batch it is given is
// periodic.
type periodicSeen chan bool

func (p periodicSeen) Collect(b *Batch) {
	select {
	case p <- b.Periodic():
	default:
	}
}
func (periodicSeen) Committed(error) {}

// TestPeriodic checks that Run's flushes are periodic and explicit ones
// are not, so that a Collector may hold back routine changes only from
// the former.
func TestPeriodic(t *testing.T) {
	s, err := Open(Config{Dir: t.TempDir(), Interval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seen := make(periodicSeen, 1)
	s.Register(seen)
	if err := s.Flush(); err != nil || <-seen {
		t.Errorf("Flush's batch is periodic (%v)", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	if !<-seen {
		t.Error("Run's batch is not periodic")
	}
	cancel()
	<-done
}
