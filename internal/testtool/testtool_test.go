package testtool

import (
	"strings"
	"testing"
)

func TestNeed(t *testing.T) {
	if p := Need(t, "sh", "dash"); !strings.HasSuffix(p, "/sh") {
		t.Errorf("Need(sh) = %q", p)
	}
	// A missing program skips outside CI and fails under CI=true.
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		var ft fakeT
		func() {
			defer func() { recover() }() // Skipf and Fatalf end the test's goroutine
			Need(&ft, "no-such-program-phoneprovd", "nothing")
		}()
		if ci == "true" && !ft.failed || ci == "" && !ft.skipped {
			t.Errorf("CI=%q: failed %v skipped %v", ci, ft.failed, ft.skipped)
		}
	}
}

// fakeT records what Missing does instead of ending a test.
type fakeT struct {
	testing.TB
	failed, skipped bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}
func (f *fakeT) Skipf(string, ...any) {
	f.skipped = true
	panic("skip")
}
