package loadtest

import (
	"slices"
	"time"
)

// summary is what a number of requests measured.
type summary struct {
	requests int
	elapsed  time.Duration // wall time of the storms, not the sum of latencies
	p50, p99 time.Duration
}

// summarize computes the request rate and latency percentiles of
// latencies, measured over elapsed. It sorts latencies in place.
func summarize(latencies []time.Duration, elapsed time.Duration) summary {
	slices.Sort(latencies)
	return summary{
		requests: len(latencies),
		elapsed:  elapsed,
		p50:      percentile(latencies, 50),
		p99:      percentile(latencies, 99),
	}
}

// rate returns requests per second, 0 when nothing was measured.
func (s summary) rate() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.requests) / s.elapsed.Seconds()
}

// percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// sorted: the smallest value at least p percent of the values do not
// exceed. It is 0 for no values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	// The rank is ceil(p/100 · n), computed in integers so that 99 % of
	// 100 values is exactly rank 99.
	rank := int((int64(p*1000)*int64(n) + 100_000 - 1) / 100_000)
	return sorted[min(max(rank, 1), n)-1]
}
