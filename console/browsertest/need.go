package browsertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testtool"
)

// Need starts a browser for a test, stopped when the test ends. Without
// Chromium, the test fails under CI=true and is skipped elsewhere.
func Need(t testing.TB) *Browser {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	b, err := Start(ctx)
	if errors.Is(err, ErrNoChromium) {
		testtool.Missing(t, "chromium (Debian package chromium)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}
