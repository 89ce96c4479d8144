package metrics

import (
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestPart(t *testing.T) {
	m := New()
	p := NewPart(m)
	a := admin.New("test")
	p.AdminRoutes(a)
	p.Swapped(reload.Swap{Generation: 3, Snapshot: &phoneprov.Snapshot{}})
	if RouteKind(nil) != "none" {
		t.Error("RouteKind(nil)")
	}
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "phoneprovd_snapshot_generation 3") {
		t.Errorf("/metrics: %d\n%s", rec.Code, rec.Body)
	}
}

// TestRequestConcurrent counts requests from many goroutines at once,
// new label combinations appearing meanwhile: none is lost.
func TestRequestConcurrent(t *testing.T) {
	m := New()
	statuses := []string{"200", "404", "403", "500"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				m.Request([]string{"http", "tftp"}[g%2], "dynamic", statuses[i%len(statuses)], time.Millisecond)
			}
		})
	}
	wg.Wait()
	var total float64
	for _, proto := range []string{"http", "tftp"} {
		for _, st := range statuses {
			total += testutil.ToFloat64(m.requests.WithLabelValues(proto, "dynamic", st))
		}
	}
	if total != 8000 {
		t.Errorf("%v requests counted, want 8000", total)
	}
	if n := testutil.CollectAndCount(m.serveSeconds); n != 2 {
		t.Errorf("%d serve-time series, want 2", n)
	}
}
