package httpserver

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
)

func TestHeaderValues(t *testing.T) {
	var hv headerValues
	for _, n := range []int64{0, 1, 1234, sharedLengths - 1, sharedLengths, 5 << 20} {
		got := hv.length(n)
		if len(got) != 1 || got[0] != strconv.FormatInt(n, 10) {
			t.Errorf("length(%d) = %q", n, got)
		}
		if again := hv.length(n); n < sharedLengths && &again[0] != &got[0] {
			t.Errorf("length(%d) is built again on every call", n)
		}
	}
	for _, m := range []string{"text/xml", "application/octet-stream", "text/xml"} {
		got := hv.mime(m)
		if len(got) != 1 || got[0] != m {
			t.Errorf("mime(%q) = %q", m, got)
		}
		if again := hv.mime(m); &again[0] != &got[0] {
			t.Errorf("mime(%q) is built again on every call", m)
		}
	}
	// Past the bound, values are still right, only no longer kept.
	for i := range maxSharedMIMEs + 10 {
		m := fmt.Sprintf("application/x-%d", i)
		if got := hv.mime(m); len(got) != 1 || got[0] != m {
			t.Fatalf("mime(%q) = %q", m, got)
		}
	}
	if n := len(*hv.mimes.Load()); n != maxSharedMIMEs {
		t.Errorf("%d MIME types kept, want the bound %d", n, maxSharedMIMEs)
	}
}

func TestHeaderValuesConcurrent(t *testing.T) {
	// Run with -race: requests share the values.
	var hv headerValues
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				n := int64(i % 37)
				if v := hv.length(n); v[0] != strconv.FormatInt(n, 10) {
					t.Errorf("length(%d) = %q", n, v)
				}
				m := fmt.Sprintf("text/x-%d", (g+i)%5)
				if v := hv.mime(m); v[0] != m {
					t.Errorf("mime(%q) = %q", m, v)
				}
			}
		})
	}
	wg.Wait()
}
