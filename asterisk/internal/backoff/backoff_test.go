package backoff

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestBackoff checks the reconnection delays: doubling from min, capped
// at max, with half of each delay random.
func TestBackoff(t *testing.T) {
	const min, max = 500 * time.Millisecond, 30 * time.Second
	low := func(int64) int64 { return 0 }
	high := func(k int64) int64 { return k - 1 }
	tests := []struct {
		attempt  int
		min, max time.Duration
		wantLow  time.Duration
		wantHigh time.Duration
	}{
		{1, min, max, 250 * time.Millisecond, 500 * time.Millisecond},
		{2, min, max, 500 * time.Millisecond, time.Second},
		{6, min, max, 8 * time.Second, 16 * time.Second},
		{7, min, max, 15 * time.Second, 30 * time.Second}, // 32 s capped
		{1000, min, max, 15 * time.Second, 30 * time.Second},
		{3, time.Nanosecond, time.Nanosecond, time.Nanosecond, time.Nanosecond},
		{40, time.Hour, 100 * time.Hour, 50 * time.Hour, 100 * time.Hour}, // no overflow
	}
	for _, tc := range tests {
		if got := Delay(tc.attempt, tc.min, tc.max, low); got != tc.wantLow {
			t.Errorf("attempt %d low: %v, want %v", tc.attempt, got, tc.wantLow)
		}
		if got := Delay(tc.attempt, tc.min, tc.max, high); got != tc.wantHigh {
			t.Errorf("attempt %d high: %v, want %v", tc.attempt, got, tc.wantHigh)
		}
	}
}

// TestReconnect: sessions are retried until the context ends, and the
// attempt count starts again after a session that connected.
func TestReconnect(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outcomes := []bool{false, false, true, false} // connected?
	var attempts []int
	n := 0
	Reconnect(ctx, time.Microsecond, time.Millisecond,
		func(context.Context) (bool, error) {
			if n == len(outcomes) {
				cancel()
				return false, nil
			}
			n++
			return outcomes[n-1], errors.New("x")
		},
		func(err error, connected bool, attempt int, delay time.Duration) {
			attempts = append(attempts, attempt)
		})
	if fmt.Sprint(attempts) != "[1 2 1 2]" {
		t.Errorf("attempts %v", attempts)
	}
}

// TestBounds checks the configured delay bounds: defaults for values not
// above zero, and a max below min raised to it.
func TestBounds(t *testing.T) {
	const defMin, defMax = 500 * time.Millisecond, 30 * time.Second
	tests := []struct {
		name             string
		min, max         time.Duration
		wantMin, wantMax time.Duration
	}{
		{"zero", 0, 0, defMin, defMax},
		{"negative", -time.Second, -time.Second, defMin, defMax},
		{"set", time.Second, time.Minute, time.Second, time.Minute},
		{"min only", time.Second, 0, time.Second, defMax},
		{"max only", 0, time.Minute, defMin, time.Minute},
		{"max below min", time.Minute, time.Second, time.Minute, time.Minute},
		{"max below default min", 0, time.Millisecond, defMin, defMin},
		{"min above default max", time.Hour, 0, time.Hour, time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			min, max := Bounds(tc.min, tc.max, defMin, defMax)
			if min != tc.wantMin || max != tc.wantMax {
				t.Errorf("Bounds(%v, %v) = %v, %v, want %v, %v", tc.min, tc.max, min, max, tc.wantMin, tc.wantMax)
			}
		})
	}
}
