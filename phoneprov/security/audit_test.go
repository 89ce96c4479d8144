package security

import (
	"encoding/json"
	"net/netip"
	"strings"
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
