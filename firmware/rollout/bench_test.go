package rollout

import (
	"testing"
	"time"
)

// benchSite is a rollout of n phones with its first wave (all of them)
// under way.
func benchSite(b *testing.B, n int) *site {
	s := &site{clock: &clock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}, fleet: newFleet(n, 0)}
	s.m = s.manager()
	if _, err := s.m.Create(Request{Plugin: plugin, Package: pkgID, Waves: "100%"}); err != nil {
		b.Fatal(err)
	}
	s.step()
	return s
}

// BenchmarkFetched is the cost a rollout adds to a phone's request while
// a wave of 10,000 phones is under way.
func BenchmarkFetched(b *testing.B) {
	s := benchSite(b, 10000)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s.m.Fetched("80:5E:C0:AA:00:10", uint64(i))
	}
}

// BenchmarkCheck is one check of a wave of 10,000 phones under way, each
// with a few fetches in the inventory.
func BenchmarkCheck(b *testing.B) {
	s := benchSite(b, 10000)
	for _, c := range s.fleet.phones {
		for range 5 {
			s.fleet.fetch(c.MAC, s.clock.Now(), "http", c.MAC+".cfg", "200")
		}
	}
	b.ResetTimer()
	for b.Loop() {
		s.m.check()
	}
}
