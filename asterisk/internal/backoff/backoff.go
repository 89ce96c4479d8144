// Package backoff computes reconnection delays for the AMI and ARI clients.
package backoff

import (
	"context"
	"math/rand/v2"
	"time"
)

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

// Bounds returns the delay bounds to use for configured ones: a min or
// max not above zero takes defMin or defMax, and a max below min is
// raised to min.
func Bounds(min, max, defMin, defMax time.Duration) (time.Duration, time.Duration) {
	if min <= 0 {
		min = defMin
	}
	if max <= 0 {
		max = defMax
	}
	if max < min {
		max = min
	}
	return min, max
}

// Reconnect keeps a connection up until ctx is done: it runs session,
// which returns when its connection ends (connected says whether it got
// one at all), and waits Delay(attempt) before the next try. The attempt
// count starts again after every successful connection. retry, when set,
// hears about each failure before the wait.
func Reconnect(ctx context.Context, min, max time.Duration,
	session func(ctx context.Context) (connected bool, err error),
	retry func(err error, connected bool, attempt int, delay time.Duration)) {
	attempt := 0
	for {
		connected, err := session(ctx)
		if ctx.Err() != nil {
			return
		}
		if connected {
			attempt = 0
		}
		attempt++
		delay := Delay(attempt, min, max, rand.Int64N)
		if retry != nil {
			retry(err, connected, attempt, delay)
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
	}
}
