package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrkBin is wrk, the C load generator (Debian package wrk): a Go load
// generator saturates before the servers it measures do.
const wrkBin = "wrk"

// wrkResult is what one wrk run measured.
type wrkResult struct {
	rate     float64 // requests per second
	requests int64   // answered in the run
	non2xx   int64
	errors   int64 // socket errors: connect, read, write, timeout
	p99      time.Duration
	latency  string // wrk's latency line, for the log
}

// wrkScript returns a wrk Lua script that requests paths in random order.
func wrkScript(paths []string) string {
	var b strings.Builder
	b.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "  %q,\n", p)
	}
	b.WriteString("}\nmath.randomseed(os.time())\nrequest = function()\n  return wrk.format(\"GET\", paths[math.random(#paths)])\nend\n")
	return b.String()
}

// runWrk drives base with wrk for d with the script in dir.
func runWrk(ctx context.Context, script, base string, threads, conns int, d time.Duration) (wrkResult, error) {
	cmd := exec.CommandContext(ctx, wrkBin, "-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns),
		"-d", fmt.Sprintf("%ds", int(d.Seconds())), "--latency", "-s", script, base)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %w\n%s", err, out.Bytes())
	}
	return parseWrk(out.String())
}

var (
	wrkRate   = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkCount  = regexp.MustCompile(`(?m)^\s*(\d+) requests in `)
	wrkNon2xx = regexp.MustCompile(`(?m)^\s*Non-2xx or 3xx responses:\s+(\d+)`)
	wrkErrors = regexp.MustCompile(`(?m)^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkP99    = regexp.MustCompile(`(?m)^\s+99%\s+([0-9.]+)(us|ms|s)`)
	wrkLat    = regexp.MustCompile(`(?m)^\s+Latency\s+.*$`)
)

// parseWrk reads wrk's report.
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	m := wrkRate.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("wrk printed no Requests/sec:\n%s", out)
	}
	r.rate, _ = strconv.ParseFloat(m[1], 64)
	if m := wrkCount.FindStringSubmatch(out); m != nil {
		r.requests, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.non2xx, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := wrkErrors.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.ParseInt(s, 10, 64)
			r.errors += n
		}
	}
	if m := wrkP99.FindStringSubmatch(out); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[2]]
		r.p99 = time.Duration(v * float64(unit))
	}
	r.latency = strings.TrimSpace(wrkLat.FindString(out))
	return r, nil
}

// writeWrkScript writes the script for paths into dir.
func writeWrkScript(dir string, paths []string) (string, error) {
	path := filepath.Join(dir, "routes.lua")
	return path, os.WriteFile(path, []byte(wrkScript(paths)), 0o644)
}
