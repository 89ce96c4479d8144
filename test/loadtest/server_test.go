package loadtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testtool"
)

// TestServerLifecycle starts real processes: one that exits at once makes
// waitOK fail without waiting for its deadline, and stop ends one that
// runs, with the children it started (its process group).
func TestServerLifecycle(t *testing.T) {
	sh := testtool.Need(t, "sh", "dash")
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}

	gone, err := startServer("gone", "http://"+addr, sh, "-c", "echo broken config >&2; exit 3")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	err = gone.waitOK(ctx, "/")
	if err == nil || !strings.Contains(err.Error(), "broken config") || time.Since(start) > 10*time.Second {
		t.Errorf("waitOK on an exited process: %v after %v", err, time.Since(start))
	}

	// sh starts a grandchild in the group and waits for it.
	run, err := startServer("sleeper", "http://"+addr, sh, "-c", "sleep 60 & wait")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(run.stop)
	var kids []int
	for deadline := time.Now().Add(5 * time.Second); len(kids) == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		kids, _ = childrenOf(run.cmd.Process.Pid)
	}
	if len(kids) == 0 {
		t.Fatal("sh started no child")
	}
	start = time.Now()
	run.stop()
	if took := time.Since(start); took >= stopGrace {
		t.Errorf("stop took %v: SIGTERM was not enough", took)
	}
	if _, err := peakRSS(kids[0], false); err == nil {
		t.Errorf("child %d outlived stop", kids[0])
	}
	run.stop() // again: nothing left to do
}
