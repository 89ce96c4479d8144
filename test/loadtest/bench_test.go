package loadtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testtool"
)

// Defaults of the environment variables that size the benchmark.
const (
	defaultPhones  = 10000
	defaultClients = 64
)

// warmPhones is how many phones boot, untimed, against each server before
// the storms: it checks the server and warms its caches.
const warmPhones = 500

// BenchmarkBootStorm replays a boot storm against phoneprovd, nginx and a
// bare net/http server in the same run (see the package documentation)
// and prints their figures side by side. Sub-benchmarks:
//
//   - coldstart: starting phoneprovd on the fleet until its first 200;
//   - storm/<workload>: each iteration is one complete storm against each
//     of the three servers in turn (the first server changes from one
//     iteration to the next), so that load from outside the benchmark
//     weighs on all three alike; every phone fetches its six files (or
//     only its four dynamic ones), clients phones at a time, over
//     keep-alive connections or a new connection per phone. Each server's
//     figures are those of its fastest storm: on a shared machine other
//     work only ever slows a storm down, so with -benchtime 3x or more the
//     best of the rounds is the steadiest estimate;
//   - reload: an edit of a template every phone uses, then SIGHUP, until
//     /status shows the new generation.
func BenchmarkBootStorm(b *testing.B) {
	if _, err := os.Stat(nginxBin); err != nil {
		testtool.Missing(b, nginxBin+" (Debian package nginx-light; make bench installs it as root)")
	}
	phones := envInt(b, "PHONEPROVD_BENCH_PHONES", defaultPhones)
	clients := envInt(b, "PHONEPROVD_BENCH_CLIENTS", defaultClients)
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
	rep := newReport(phones, clients)
	probe := fl.phones[len(fl.phones)-1].paths[0]

	b.Run("coldstart", func(b *testing.B) {
		b.ReportAllocs()
		var total time.Duration
		for range b.N {
			d, took, err := startPhoneprovd(ctx, ppBin, fl, b.TempDir(), probe)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(d.stop) // if a later iteration fails
			b.StopTimer()
			d.stop()
			b.StartTimer()
			total += took
		}
		rep.coldStart = total / time.Duration(b.N)
		b.ReportMetric(float64(rep.coldStart)/float64(time.Millisecond), "start-ms")
	})

	// The servers of the storms: phoneprovd, then the other two serving
	// what phoneprovd rendered.
	pp, _, err := startPhoneprovd(ctx, ppBin, fl, filepath.Join(dir, "state"), probe)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pp.stop)
	www := filepath.Join(dir, "www")
	bodies, err := renderToDisk(ctx, pp.base, fl.paths(), www)
	if err != nil {
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
	servers := []*server{nginx, bare, pp.server}

	order := fl.bootOrder()
	for _, s := range servers {
		warm := storm{phones: order[:min(warmPhones, len(order))], bodies: bodies, clients: clients}
		if _, err := warm.run(ctx, s.base); err != nil {
			b.Fatalf("%s: %v", s.name, err)
		}
	}

	for _, w := range []workload{{mode: keepAlive}, {mode: connPerPhone}, {mode: keepAlive, dynamicOnly: true}} {
		st := storm{workload: w, phones: order, bodies: bodies, clients: clients}
		b.Run("storm/"+w.slug(), func(b *testing.B) {
			b.ReportAllocs()
			best := make(map[*server]outcome)
			for i := range b.N {
				for k := range servers {
					s := servers[(i+k)%len(servers)]
					out, err := st.run(ctx, s.base)
					if err != nil {
						b.Fatalf("%s: %v", s.name, err)
					}
					if prev, ok := best[s]; !ok || out.elapsed < prev.elapsed {
						best[s] = out
					}
				}
			}
			rows := make(map[string]row)
			for _, s := range servers {
				x := row{summary: summarize(best[s].latencies, best[s].elapsed)}
				if x.peakRSS, err = s.peakRSS(); err != nil {
					b.Logf("%s: %v", s.name, err)
				}
				rep.set(w, st.requests()/len(st.phones), s.name, x)
				rows[s.name] = x
				unit := strings.Fields(s.name)[0]
				b.ReportMetric(x.rate(), unit+"-req/s")
				b.ReportMetric(float64(x.p99)/float64(time.Millisecond), unit+"-p99-ms")
			}
			pr := rows[namePhoneprovd].rate()
			b.ReportMetric(pr/rows[nameNginx].rate(), "phoneprovd/nginx")
			b.ReportMetric(pr/rows[nameBare].rate(), "phoneprovd/bare")
		})
	}

	b.Run("reload", func(b *testing.B) {
		benchReload(b, pp, fl, rep)
	})
	if rss, err := pp.peakRSS(); err == nil {
		rep.reloadRSS = rss
	}
	// The table goes to standard output: a parent benchmark's b.Log is
	// not shown once it has sub-benchmarks.
	fmt.Print(rep)
}

// benchReload edits the template of every phone's overrides file and sends
// SIGHUP, and measures until /status shows the new generation: loading
// the files, building the snapshot, pre-rendering and fingerprinting every
// phone's files and the swap.
func benchReload(b *testing.B, d *daemon, fl *fleet, rep *report) {
	ctx := b.Context()
	const name = "vvx/overrides.cfg"
	template, text := fl.templatePath(name), fleetTemplates[name]
	if !strings.Contains(text, "<!-- revision 0 -->") {
		b.Fatalf("%s has no revision to edit", name)
	}
	b.ReportAllocs()
	var total, loadTook time.Duration
	for i := range b.N {
		b.StopTimer()
		// Let the watcher's debounce of the previous edit pass, so that
		// each iteration measures one reload.
		time.Sleep(500 * time.Millisecond)
		edited := strings.Replace(text, "<!-- revision 0 -->", fmt.Sprintf("<!-- revision %d.%d -->", time.Now().UnixNano(), i), 1)
		if err := os.WriteFile(template, []byte(edited), 0o644); err != nil {
			b.Fatal(err)
		}
		before, err := d.status(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if err := d.signal(syscall.SIGHUP); err != nil {
			b.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		after, err := d.waitGeneration(wctx, before.Generation)
		cancel()
		took := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if after.LastReload == nil || after.LastReload.Reason != "SIGHUP" || after.LastReload.Changed != len(fl.phones) {
			b.Fatalf("reload %d: %+v: want a SIGHUP reload that changed all %d phones", i, after.LastReload, len(fl.phones))
		}
		lt, err := time.ParseDuration(after.LoadTook)
		if err != nil {
			b.Fatalf("/status load_took: %v", err)
		}
		total += took
		loadTook += lt
	}
	rep.reload = total / time.Duration(b.N)
	rep.loadTook = loadTook / time.Duration(b.N)
	b.ReportMetric(float64(rep.reload)/float64(time.Millisecond), "reload-ms")
	b.ReportMetric(float64(rep.loadTook)/float64(time.Millisecond), "load-took-ms")
}

// startNginx runs nginx on a loopback port serving root, with its files
// under dir, and waits until it answers 200 for probe.
func startNginx(ctx context.Context, dir, root, probe string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	args, err := nginxArgs(dir, root, addr, runtime.NumCPU())
	if err != nil {
		return nil, err
	}
	s, err := startServer(nameNginx, "http://"+addr, nginxBin, args...)
	if err != nil {
		return nil, err
	}
	s.children = true
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := s.waitOK(ctx, probe); err != nil {
		s.stop()
		log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		return nil, fmt.Errorf("%w\nerror.log:\n%s", err, log)
	}
	return s, nil
}

// startBare runs barehttp on a loopback port serving root, and waits
// until it answers 200 for probe.
func startBare(ctx context.Context, bin, root, probe string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s, err := startServer(nameBare, "http://"+addr, bin, "-addr", addr, "-root", root)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := s.waitOK(ctx, probe); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// envInt returns the positive integer in the environment variable name,
// or def when it is unset.
func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}
