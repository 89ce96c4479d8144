package rollout

import (
	"strings"
	"testing"
)

// FuzzParseWaves: whatever is accepted splits any fleet into non-empty
// waves that add up to it.
func FuzzParseWaves(f *testing.F) {
	for _, s := range []string{DefaultWaves, "5,50,100%", "0.5%,100%", "1,10%,100%", "10%,5,100%", "1e2%", "100%,100%", " 3 , 100% "} {
		f.Add(s, 17)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		steps, err := ParseWaves(s)
		if err != nil {
			return
		}
		n = n % 100000
		if n < 0 {
			n = -n
		}
		sum := 0
		for _, size := range Sizes(steps, n) {
			if size <= 0 {
				t.Fatalf("%q of %d: an empty wave", s, n)
			}
			sum += size
		}
		if sum != n {
			t.Fatalf("%q of %d: waves of %d phones", s, n, sum)
		}
	})
}

// FuzzParseThreshold: an accepted threshold halts a wave at one phone or
// more.
func FuzzParseThreshold(f *testing.F) {
	for _, s := range []string{"5%", "3", "0.01%", "100%", "1e-9%"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, size int) {
		th, err := ParseThreshold(s)
		if err != nil {
			return
		}
		size = max(1, size%100000)
		if th.For(size) < 1 {
			t.Fatalf("%q of %d: %d", s, size, th.For(size))
		}
	})
}

// FuzzParseSelector: an accepted selector matches without panicking, and
// its MACs are normalised.
func FuzzParseSelector(f *testing.F) {
	for _, s := range []string{"model=T46S,T48*", "mac=00:15:65:aa:bb:cc", "profile=[a-z]*", "firmware=66.*", "model=[", "x=y"} {
		f.Add(s, "805ec0aabb01")
	}
	f.Fuzz(func(t *testing.T, expr, mac string) {
		sel, err := ParseSelector(strings.Split(expr, ";"), []string{mac})
		if err != nil {
			return
		}
		for m := range sel.MACs {
			if len(m) != 12 || strings.ToLower(m) != m {
				t.Fatalf("MAC %q", m)
			}
		}
		sel.Match(Candidate{MAC: mac, Model: expr, Profile: expr, Firmware: mac})
	})
}

// FuzzReadMACs: every MAC read is normalised, and a refused file names a
// line.
func FuzzReadMACs(f *testing.F) {
	for _, s := range []string{"805ec0aabb01\n", "# x\n00:15:65:AA:BB:CC # y\n", "nope\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		macs, err := ReadMACs("f", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f:") {
				t.Fatalf("error %q", err)
			}
			return
		}
		for _, m := range macs {
			if len(m) != 12 {
				t.Fatalf("MAC %q", m)
			}
		}
	})
}
