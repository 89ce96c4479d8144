package backlog

import (
	"bytes"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestQueue checks the queue between a reader and its consumer: nothing
// is queued before Channel is first called, order is kept, the backlog
// limit drops and warns instead of growing, and close ends the channel.
func TestQueue(t *testing.T) {
	var logged bytes.Buffer
	q := New[int]("ami", 3, slog.New(slog.NewTextHandler(&logged, nil)))
	ev := func(i int) int { return i }
	q.Push(ev(0)) // not subscribed yet: dropped silently
	out := q.Channel()
	for i := 1; i <= 10; i++ {
		q.Push(ev(i))
	}
	// Three wait in the queue, and possibly one more in the pump's hand;
	// the others are dropped, in increasing order of arrival.
	var got []int
	for done := false; !done; {
		select {
		case n := <-out:
			got = append(got, n)
		case <-time.After(200 * time.Millisecond):
			done = true
		}
	}
	if len(got) < 3 || len(got) > 4 || got[0] != 1 || !slices.IsSorted(got) {
		t.Fatalf("received %v", got)
	}
	q.Push(ev(11))
	if n := <-out; n != 11 {
		t.Fatalf("after drain: %v", n)
	}
	wantLog := fmt.Sprintf("dropped=%d", 10-len(got))
	if s := logged.String(); !strings.Contains(s, "event backlog full") || !strings.Contains(s, wantLog) {
		t.Errorf("log %q lacks %s", s, wantLog)
	}
	q.Push(ev(12))
	q.Close()
	q.Close()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-out:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("channel not closed")
		}
	}
}
