package main

import (
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })

	for _, tt := range []struct {
		name string
		env  map[string]string
		want int
	}{
		{"default", nil, gcPercent},
		{"GOGC set by the operator", map[string]string{"GOGC": "100"}, 100},
	} {
		t.Run(tt.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			got := tuneGC(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			if now := debug.SetGCPercent(100); got != tt.want || now != tt.want {
				t.Errorf("tuneGC = %d, GOGC in effect %d, want %d", got, now, tt.want)
			}
		})
	}
}
