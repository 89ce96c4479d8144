package loadtest

import (
	"testing"
	"time"
)

// TestPercentile checks the nearest-rank definition: the p-th percentile
// of n sorted values is the value at rank ceil(p/100·n).
func TestPercentile(t *testing.T) {
	seq := func(n int) []time.Duration {
		out := make([]time.Duration, n)
		for i := range out {
			out[i] = time.Duration(i + 1)
		}
		return out
	}
	tests := []struct {
		values []time.Duration
		p      float64
		want   time.Duration
	}{
		{nil, 50, 0},
		{seq(1), 50, 1},
		{seq(1), 99, 1},
		{seq(3), 50, 2}, // ceil(1.5) = 2
		{seq(4), 50, 2}, // exactly 2
		{seq(100), 50, 50},
		{seq(100), 99, 99}, // not 100: 99 % of 100 values is rank 99
		{seq(101), 99, 100},
		{seq(1000), 99, 990},
		{seq(60000), 99, 59400},
		{seq(10), 100, 10},
	}
	for _, tt := range tests {
		if got := percentile(tt.values, tt.p); got != tt.want {
			t.Errorf("p%v of %d values: %d, want %d", tt.p, len(tt.values), got, tt.want)
		}
	}
}

// TestSummarize checks that latencies are sorted before the percentiles
// are taken and that the rate is over the wall time given.
func TestSummarize(t *testing.T) {
	lat := []time.Duration{9, 1, 5, 3, 7, 2, 8, 4, 6, 10}
	s := summarize(lat, 2*time.Second)
	if s.requests != 10 || s.p50 != 5 || s.p99 != 10 {
		t.Errorf("summary %+v: want 10 requests, p50 5, p99 10", s)
	}
	if s.rate() != 5 {
		t.Errorf("rate %v, want 5 requests per second", s.rate())
	}
	if (summary{}).rate() != 0 {
		t.Error("an empty summary has a rate")
	}
}
