package ami

import (
	"bytes"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestEventQueue checks the queue between the reader and Events: nothing
// is queued before Events is first called, order is kept, the backlog
// limit drops and warns instead of growing, and close ends the channel.
func TestEventQueue(t *testing.T) {
	var logged bytes.Buffer
	q := newEventQueue(3, slog.New(slog.NewTextHandler(&logged, nil)))
	ev := func(i int) Message { return NewMessage(F("Event", "E"), F("Seq", fmt.Sprint(i))) }
	q.push(ev(0)) // not subscribed yet: dropped silently
	out := q.channel()
	for i := 1; i <= 10; i++ {
		q.push(ev(i))
	}
	// Three wait in the queue, and possibly one more in the pump's hand;
	// the others are dropped, in increasing order of arrival.
	var got []int
	for done := false; !done; {
		select {
		case m := <-out:
			var n int
			fmt.Sscan(m.Get("Seq"), &n)
			got = append(got, n)
		case <-time.After(200 * time.Millisecond):
			done = true
		}
	}
	if len(got) < 3 || len(got) > 4 || got[0] != 1 || !slices.IsSorted(got) {
		t.Fatalf("received %v", got)
	}
	q.push(ev(11))
	if m := <-out; m.Get("Seq") != "11" {
		t.Fatalf("after drain: %v", m)
	}
	wantLog := fmt.Sprintf("dropped=%d", 10-len(got))
	if s := logged.String(); !strings.Contains(s, "event backlog full") || !strings.Contains(s, wantLog) {
		t.Errorf("log %q lacks %s", s, wantLog)
	}
	q.push(ev(12))
	q.close()
	q.close()
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
