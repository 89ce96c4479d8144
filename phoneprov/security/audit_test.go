package security

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
)

// TestAuditAggregates checks that a flood of fetches makes one line per
// phone, route and source per interval, with the count, and that a
// scanner past the audit's capacity makes one line more, not thousands.
func TestAuditAggregates(t *testing.T) {
	var buf testlog.Buffer
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	a := newAuditLog(buf.Logger().With("component", "security"), func() time.Time { now = now.Add(time.Millisecond); return now })
	a.max = 50
	lan, other := netip.MustParseAddr("10.0.0.7"), netip.MustParseAddr("10.0.0.8")
	key := auditKey{proto: "http", method: "GET", auth: MethodNone, mac: "0004f2000001", route: "0004f2000001.cfg", remote: lan}
	for range 1000 {
		a.record(key, "PolycomVVX-VVX_400-UA/5.9.0")
	}
	k2 := key
	k2.remote = other
	a.record(k2, "curl/8")
	a.flush()
	got := lines(&buf)
	if len(got) != 2 {
		t.Fatalf("%d lines for 1,001 fetches by two sources:\n%s", len(got), buf.String())
	}
	var first struct {
		Msg, Remote, Route, UA, Component string
		Count                             int
		Audit                             bool
		First, Last                       time.Time
	}
	if err := json.Unmarshal([]byte(got[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Msg != "sensitive file served" || !first.Audit || first.Count != 1000 || first.Remote != "10.0.0.7" ||
		first.UA != "PolycomVVX-VVX_400-UA/5.9.0" || !first.Last.After(first.First) {
		t.Errorf("line %s", got[0])
	}
	if n := strings.Count(got[0], `"component"`); n != 1 {
		t.Errorf("component appears %d times: %s", n, got[0])
	}
	// A new interval starts empty.
	a.flush()
	if n := len(lines(&buf)); n != 2 {
		t.Errorf("an empty interval wrote %d lines", n-2)
	}
	// A scanner fetching 1,000 routes from 1,000 addresses: a.max lines
	// and one more for the rest.
	for i := range 1000 {
		k := key
		k.route = strings.Repeat("x", i%7) + ".cfg"
		k.remote = netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)})
		a.record(k, "scanner")
	}
	a.flush()
	got = lines(&buf)[2:]
	if len(got) != a.max+1 || !strings.Contains(got[len(got)-1], `"count":950`) || !strings.Contains(got[len(got)-1], `"sources":50`) {
		t.Errorf("%d lines; last %s", len(got), got[len(got)-1])
	}
}

func lines(b *testlog.Buffer) []string {
	s := strings.TrimSpace(b.String())
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// TestAuditConcurrent records from several goroutines while intervals
// end (run with -race): every file served is counted in exactly one line.
func TestAuditConcurrent(t *testing.T) {
	var buf testlog.Buffer
	var mu sync.Mutex
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	a := newAuditLog(buf.Logger(), func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Microsecond)
		return now
	})
	a.max = 40
	const goroutines, each = 4, 2000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				k := auditKey{proto: "http", method: "GET", auth: MethodNone, route: fmt.Sprintf("0004f2%06x.cfg", (g*7+i)%60),
					remote: netip.MustParseAddr("10.0.0.7")}
				a.record(k, "ua")
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			a.flush()
			time.Sleep(time.Millisecond)
		}
	})
	wg.Wait()
	a.flush()
	total := 0
	for _, l := range lines(&buf) {
		var v struct{ Count int }
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatal(err)
		}
		total += v.Count
	}
	if total != goroutines*each {
		t.Errorf("%d files counted, %d served", total, goroutines*each)
	}
	if n := a.keys.Load(); n != 0 {
		t.Errorf("%d keys left after the last flush", n)
	}
}

// TestAuditOrder checks that lines come out in first-seen order whatever
// shards their routes fall in.
func TestAuditOrder(t *testing.T) {
	var buf testlog.Buffer
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	a := newAuditLog(buf.Logger(), func() time.Time { now = now.Add(time.Millisecond); return now })
	var want []string
	for i := range 50 {
		route := fmt.Sprintf("0004f2%06x.cfg", (i*37)%101)
		want = append(want, route)
		a.record(auditKey{proto: "http", method: "GET", auth: MethodNone, route: route, remote: netip.MustParseAddr("10.0.0.7")}, "ua")
	}
	a.flush()
	var got []string
	for _, l := range lines(&buf) {
		var v struct{ Route string }
		json.Unmarshal([]byte(l), &v)
		got = append(got, v.Route)
	}
	if !slices.Equal(got, want) {
		t.Errorf("lines in order %q,\nwant %q", got, want)
	}
}
