package loadtest

import (
	"strings"
	"testing"
	"time"
)

// TestReport checks the table: the ratios of request rates, and each
// target of issue 10 reported as met or missed.
func TestReport(t *testing.T) {
	r := newReport(1000, 64)
	w := workload{mode: keepAlive}
	fig := func(rate int, p99 time.Duration, rss int64) row {
		return row{summary: summary{requests: rate, elapsed: time.Second, p50: p99 / 4, p99: p99}, peakRSS: rss}
	}
	r.set(w, 6, nameNginx, fig(20000, 5*time.Millisecond, 10<<20))
	r.set(w, 6, nameBare, fig(16000, 6*time.Millisecond, 30<<20))
	r.set(w, 6, namePhoneprovd, fig(14000, 25*time.Millisecond, 100<<20))
	dyn := workload{mode: keepAlive, dynamicOnly: true}
	r.set(dyn, 4, nameBare, fig(10000, time.Millisecond, 1))
	r.set(dyn, 4, namePhoneprovd, fig(9600, time.Millisecond, 200<<20))
	r.coldStart = 812 * time.Millisecond
	r.reload, r.loadTook = 620*time.Millisecond, 300*time.Millisecond
	got := r.String()
	for _, want := range []string{
		"boot storm: 1000 phones × 6 files = 6000 requests, 64 clients, keep-alive\n",
		"phoneprovd/nginx = 0.70   phoneprovd/bare = 0.88   bare/nginx = 0.80\n",
		"targets: phoneprovd/nginx ≥ 0.65 met, phoneprovd/bare ≥ 0.95 MISSED, p99 < 20ms MISSED, peak RSS < 150 MiB met\n",
		"boot storm: 1000 phones × 4 files = 4000 requests, 64 clients, keep-alive, dynamic files only\n",
		"phoneprovd/nginx = -   phoneprovd/bare = 0.96   bare/nginx = -\n",
		"targets: phoneprovd/bare ≥ 0.95 met, p99 < 20ms met, peak RSS < 150 MiB MISSED\n",
		"cold start: 812.00 ms",
		"reload (1000 phones): 620.00 ms (load_took 300.00 ms), target < 500ms MISSED",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	if i, j := strings.Index(got, "keep-alive\n"), strings.Index(got, "dynamic files only\n"); i > j {
		t.Errorf("workloads out of order:\n%s", got)
	}
}
