package metrics

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
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
