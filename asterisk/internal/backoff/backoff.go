// Package backoff computes reconnection delays for the AMI and ARI clients.
package backoff

import "time"

// Delay returns the delay before reconnection attempt n (from 1): min
// doubled n-1 times, capped at max, with "equal jitter": half of it fixed
// and half uniformly random (rnd(k) returns a number in [0, k)), so that
// clients restarted together do not reconnect in step.
func Delay(n int, min, max time.Duration, rnd func(int64) int64) time.Duration {
	d := min
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max || d <= 0 {
		d = max
	}
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + time.Duration(rnd(int64(d-half)+1))
}
