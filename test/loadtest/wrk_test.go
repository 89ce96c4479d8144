package loadtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseWrk(t *testing.T) {
	out := `Running 5s test @ http://127.0.0.1:8080
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  512.30us  12.01ms   80.00%
    Req/Sec    31.50k     2.10k   35.00k    70.00%
  Latency Distribution
     50%    0.95ms
     75%    1.20ms
     90%    1.60ms
     99%    2.50ms
  313348 requests in 5.00s, 412.29MB read
  Socket errors: connect 0, read 3, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  62669.12
Transfer/sec:     82.46MB
`
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.rate != 62669.12 || r.requests != 313348 || r.non2xx != 7 || r.errors != 4 || r.p99 != 2500*time.Microsecond {
		t.Errorf("%+v", r)
	}
	if _, err := parseWrk("wrk: connection refused"); err == nil {
		t.Error("no error without Requests/sec")
	}
	if s := wrkScript([]string{"/phoneprov/a.cfg", `/phoneprov/"b".cfg`}); !strings.Contains(s, `"/phoneprov/\"b\".cfg"`) || !strings.Contains(s, "math.random(#paths)") {
		t.Errorf("script:\n%s", s)
	}
}

// BenchmarkWrk drives phoneprovd, nginx (serving the files phoneprovd
// rendered) and the bare net/http handler (the same bodies from a map)
// with wrk, in the same run: GETs of random configuration routes (the
// dynamic files) of a fleet of PHONEPROVD_WRK_PHONES phones (default
// 2,000), keep-alive, -t2 -c64, PHONEPROVD_WRK_SECONDS (default 5) per
// run, PHONEPROVD_WRK_ROUNDS rounds (default 4) with the order of the
// servers rotated. It prints every run with the CPU time each server used
// per request, and the medians of each round's ratios. With
// PHONEPROVD_WRK_PROFILE=FILE it writes a CPU profile of phoneprovd's
// first run to FILE (go tool pprof FILE).
func BenchmarkWrk(b *testing.B) {
	for _, bin := range []string{wrkBin, nginxBin} {
		if _, err := exec.LookPath(bin); err != nil {
			b.Fatalf("%s is not installed (Debian packages wrk, nginx-light; make bench installs them as root): %v", bin, err)
		}
	}
	phones := envInt(b, "PHONEPROVD_WRK_PHONES", 2000)
	seconds := envInt(b, "PHONEPROVD_WRK_SECONDS", 5)
	nRounds := envInt(b, "PHONEPROVD_WRK_ROUNDS", 4)
	ctx := b.Context()
	dir := b.TempDir()
	fl, err := generateFleet(filepath.Join(dir, "site"), phones)
	if err != nil {
		b.Fatal(err)
	}
	ppBin, bareBin := filepath.Join(dir, "bin", "phoneprovd"), filepath.Join(dir, "bin", "barehttp")
	if err := goBuild(ppBin, "../../cmd/phoneprovd"); err != nil {
		b.Fatal(err)
	}
	if err := goBuild(bareBin, "./barehttp"); err != nil {
		b.Fatal(err)
	}
	probe := fl.phones[len(fl.phones)-1].paths[0]
	pp, _, err := startPhoneprovd(ctx, ppBin, fl, filepath.Join(dir, "state"), probe)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pp.stop)
	var routes []string
	for _, p := range fl.phones {
		for i, path := range p.paths {
			if !p.static[i] {
				routes = append(routes, path)
			}
		}
	}
	www := filepath.Join(dir, "www")
	if _, err := renderToDisk(ctx, pp.base, fl.paths(), www); err != nil {
		b.Fatal(err)
	}
	nginx, err := startNginx(ctx, filepath.Join(dir, "nginx"), www, probe)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nginx.stop)
	bare, err := startBare(ctx, bareBin, www, probe)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(bare.stop)
	script, err := writeWrkScript(dir, routes)
	if err != nil {
		b.Fatal(err)
	}
	profile := os.Getenv("PHONEPROVD_WRK_PROFILE")
	servers := []*server{nginx, bare, pp.server}
	// Each round measures every server once; the ratios are taken within
	// a round (the machine's speed drifts between rounds, and pairing
	// cancels it), and their median is the figure.
	type run struct{ rate, cpu float64 } // req/s, CPU µs per request
	var rounds []map[string]run
	var log strings.Builder
	for range b.N {
		for round := range nRounds {
			runs := map[string]run{}
			for k := range servers {
				s := servers[(round+k)%len(servers)]
				var profiled <-chan error
				if s == pp.server && profile != "" {
					profiled = pp.cpuProfile(ctx, profile, time.Duration(seconds-1)*time.Second)
					profile = ""
				}
				before, err := cpuTicks(s.cmd.Process.Pid, s.children)
				if err != nil {
					b.Fatal(err)
				}
				r, err := runWrk(ctx, script, s.base, 2, 64, time.Duration(seconds)*time.Second)
				if err != nil {
					b.Fatalf("%s: %v", s.name, err)
				}
				after, err := cpuTicks(s.cmd.Process.Pid, s.children)
				if err != nil {
					b.Fatal(err)
				}
				if r.non2xx > 0 || r.errors > 0 {
					b.Errorf("%s: %d non-2xx responses, %d socket errors", s.name, r.non2xx, r.errors)
				}
				if profiled != nil {
					if err := <-profiled; err != nil {
						b.Error(err)
					}
				}
				cpu := float64(after-before) / ticksPerSecond * 1e6 / float64(max(r.requests, 1))
				runs[s.name] = run{r.rate, cpu}
				fmt.Fprintf(&log, "round %d %-10s %9.0f req/s  p99 %-9v CPU %5.1f µs/request\n", round+1, strings.Fields(s.name)[0], r.rate, r.p99, cpu)
			}
			rounds = append(rounds, runs)
		}
	}
	median := func(f func(map[string]run) float64) float64 {
		v := make([]float64, len(rounds))
		for i, r := range rounds {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	rate := func(name string) float64 { return median(func(r map[string]run) float64 { return r[name].rate }) }
	cpu := func(name string) float64 { return median(func(r map[string]run) float64 { return r[name].cpu }) }
	ng, br, ph := rate(nameNginx), rate(nameBare), rate(namePhoneprovd)
	vsBare := median(func(r map[string]run) float64 { return r[namePhoneprovd].rate / r[nameBare].rate })
	vsNginx := median(func(r map[string]run) float64 { return r[namePhoneprovd].rate / r[nameNginx].rate })
	cpuVsBare := median(func(r map[string]run) float64 { return r[nameBare].cpu / r[namePhoneprovd].cpu })
	b.ReportMetric(vsBare, "phoneprovd/bare")
	b.ReportMetric(vsNginx, "phoneprovd/nginx")
	b.ReportMetric(cpuVsBare, "bare-cpu/phoneprovd-cpu")
	fmt.Fprintf(os.Stdout, "\nwrk -t2 -c64, random configuration routes of %d phones (%d routes), %d s per run:\n%s"+
		"medians: nginx %.0f req/s, bare net/http %.0f, phoneprovd %.0f; CPU per request nginx %.1f µs, bare %.1f, phoneprovd %.1f\n"+
		"median of each round's ratios: phoneprovd %.2f× bare, %.2f× nginx; CPU per request bare/phoneprovd %.2f\n",
		phones, len(routes), seconds, log.String(), ng, br, ph, cpu(nameNginx), cpu(nameBare), cpu(namePhoneprovd), vsBare, vsNginx, cpuVsBare)
}
