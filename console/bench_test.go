package console

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"
)

// BenchmarkFleetPage measures the fleet page of 10,000 phones (and the 5
// of the base site, and an unknown device), rendered server-side: the
// first page, a filtered page further on, and a search.
func BenchmarkFleetPage(b *testing.B) {
	s := newTestSite(b, siteOptions{extra: generatedPhones(10000), noPhoneBook: true, asteriskAway: true})
	if n := len(s.manager.Snapshot().Phones()); n != 10005 {
		b.Fatalf("%d phones", n)
	}
	runtime.GC() // the garbage of building the site is not the page's
	for _, bc := range []struct{ name, url string }{
		{"first page", "/"},
		{"filtered page 5", "/?vendor=Yealink&page=5"},
		{"search", "/?q=7123"},
		{"re-sync state", "/?state=in-sync&page=20"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, bc.url, nil)
			b.ReportAllocs()
			var took time.Duration
			for i := 0; i < b.N; i++ {
				w := httptest.NewRecorder()
				t0 := time.Now()
				s.console.ServeHTTP(w, req)
				took += time.Since(t0)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", bc.url, w.Code)
				}
			}
			b.ReportMetric(float64(took.Microseconds())/1000/float64(b.N), "ms/page")
		})
	}
}
