package reload

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// BenchmarkReload measures what one reload does: load every file, build the
// snapshot, render and fingerprint every phone's files (which also fills the
// render cache). It reports the heap the served snapshot keeps.
func BenchmarkReload(b *testing.B) {
	for _, users := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			s := newTestSite(b, users)
			b.ReportAllocs()
			var load, fingerprint time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				snap, err := s.load()
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				snap.Fingerprints("192.0.2.1", nil)
				load += t1.Sub(t0)
				fingerprint += time.Since(t1)
				if i == b.N-1 {
					runtime.GC()
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
					runtime.KeepAlive(snap)
				}
			}
			b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "load-ms")
			b.ReportMetric(float64(fingerprint.Milliseconds())/float64(b.N), "render+digest-ms")
		})
	}
}

// BenchmarkEditToServed measures the time from an edit of a file to a
// phone being served the new content, with the default debounce (250 ms).
func BenchmarkEditToServed(b *testing.B) {
	s := newTestSite(b, 1000)
	m := New(Config{Load: s.load})
	if err := m.Start(); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.Run(ctx)
	for len(m.Status().Watching.Directories) == 0 {
		time.Sleep(time.Millisecond)
	}
	b.ResetTimer()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		want := fmt.Sprintf("edit %d", i)
		start := time.Now()
		s.Write("lib/phoneprov/master.cfg", want+"\n")
		for {
			snap := m.Snapshot()
			body, err := snap.Render(snap.Route("0004f2000000.cfg"), "192.0.2.1")
			if err == nil && strings.HasPrefix(string(body.Bytes()), want) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "edit-to-served-ms")
}
