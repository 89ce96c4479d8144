package gctune

import (
	"runtime/debug"
	"testing"
)

func TestGCPercentFor(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		want int
	}{
		{0, gcMaxPercent},
		{1 << 10, gcMaxPercent},         // tiny: capped
		{8 << 20, 400},                  // 32 MiB of headroom over 8 MiB
		{32 << 20, 100},                 //
		{128 << 20, gcMinPercent},       // a quarter of 128 MiB is 32 MiB
		{1 << 30, gcMinPercent},         // large: a quarter
		{(128 << 20) - 1, gcMinPercent}, // rounding down stays at the floor
	} {
		if got := gcPercentFor(tt.live); got != tt.want {
			t.Errorf("gcPercentFor(%d) = %d, want %d", tt.live, got, tt.want)
		}
	}
}

func TestGCTunerLeavesOperatorsChoice(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		debug.SetGCPercent(137)
		tu := New(func(k string) (string, bool) { return "x", k == env }, nil)
		if got := tu.retune(); got != 137 || debug.SetGCPercent(137) != 137 {
			t.Errorf("with %s set, retune changed GOGC to %d", env, got)
		}
	}
	tu := New(func(string) (string, bool) { return "", false }, nil)
	if got := tu.retune(); got < gcMinPercent || debug.SetGCPercent(100) != got {
		t.Errorf("retune = %d", got)
	}
}
