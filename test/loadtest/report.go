package loadtest

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// Names of the three servers in the table, in the order they run.
const (
	nameNginx      = "nginx"
	nameBare       = "bare net/http"
	namePhoneprovd = "phoneprovd"
)

// Targets of issue 10, reported and never asserted.
const (
	targetVsNginx = 0.65
	targetVsBare  = 0.95
	targetP99     = 20 * time.Millisecond
	targetReload  = 500 * time.Millisecond
	targetRSS     = 150 << 20
)

// row is one server's figures in one storm.
type row struct {
	summary
	peakRSS int64 // bytes; 0 when unknown
}

// report collects what the benchmark measured and prints it as a table.
type report struct {
	phones, clients int
	workloads       []workload
	perPhone        map[workload]int            // files each phone fetches
	storms          map[workload]map[string]row // by server name
	coldStart       time.Duration               // 0 when not measured
	reload          time.Duration               // SIGHUP to the new generation in /status
	loadTook        time.Duration               // /status config.load_took of the same reloads
	reloadRSS       int64                       // phoneprovd's peak RSS after the reloads
}

func newReport(phones, clients int) *report {
	return &report{phones: phones, clients: clients,
		perPhone: make(map[workload]int), storms: make(map[workload]map[string]row)}
}

// set records a server's figures in a storm where each phone fetched
// perPhone files.
func (r *report) set(w workload, perPhone int, server string, x row) {
	if r.storms[w] == nil {
		r.workloads = append(r.workloads, w)
		r.storms[w] = make(map[string]row)
	}
	r.perPhone[w] = perPhone
	r.storms[w][server] = x
}

// String prints the table.
func (r *report) String() string {
	var b strings.Builder
	for _, w := range r.workloads {
		rows := r.storms[w]
		fmt.Fprintf(&b, "boot storm: %d phones × %d files = %d requests, %d clients, %s\n",
			r.phones, r.perPhone[w], r.phones*r.perPhone[w], r.clients, w)
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "server\treq/s\tp50\tp99\tpeak RSS\t")
		for _, name := range []string{nameNginx, nameBare, namePhoneprovd} {
			x, ok := rows[name]
			if !ok {
				fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t\n", name)
				continue
			}
			fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t\n", name, x.rate(), ms(x.p50), ms(x.p99), mib(x.peakRSS))
		}
		tw.Flush()
		pp, nginx, bare := rows[namePhoneprovd], rows[nameNginx], rows[nameBare]
		fmt.Fprintf(&b, "phoneprovd/nginx = %s   phoneprovd/bare = %s   bare/nginx = %s\n",
			ratio(pp, nginx), ratio(pp, bare), ratio(bare, nginx))
		if pp.requests > 0 {
			var t []string
			if nginx.requests > 0 {
				t = append(t, target(fmt.Sprintf("phoneprovd/nginx ≥ %.2f", targetVsNginx), pp.rate() >= targetVsNginx*nginx.rate()))
			}
			if bare.requests > 0 {
				t = append(t, target(fmt.Sprintf("phoneprovd/bare ≥ %.2f", targetVsBare), pp.rate() >= targetVsBare*bare.rate()))
			}
			t = append(t, target(fmt.Sprintf("p99 < %v", targetP99), pp.p99 < targetP99))
			if pp.peakRSS > 0 {
				t = append(t, target(fmt.Sprintf("peak RSS < %d MiB", targetRSS>>20), pp.peakRSS < targetRSS))
			}
			fmt.Fprintf(&b, "targets: %s\n", strings.Join(t, ", "))
		}
		b.WriteString("\n")
	}
	var last []string
	if r.coldStart > 0 {
		last = append(last, "cold start: "+ms(r.coldStart))
	}
	if r.reload > 0 {
		last = append(last, fmt.Sprintf("reload (%d phones): %s (load_took %s), %s",
			r.phones, ms(r.reload), ms(r.loadTook), target(fmt.Sprintf("target < %v", targetReload), r.reload < targetReload)))
	}
	if r.reloadRSS > 0 {
		last = append(last, "phoneprovd peak RSS after the reloads: "+mib(r.reloadRSS))
	}
	if len(last) > 0 {
		fmt.Fprintln(&b, strings.Join(last, "   "))
	}
	return b.String()
}

// ratio returns a's request rate over b's, "-" when either is missing.
func ratio(a, b row) string {
	if a.rate() == 0 || b.rate() == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a.rate()/b.rate())
}

// target formats a target and whether it was met.
func target(what string, met bool) string {
	if met {
		return what + " met"
	}
	return what + " MISSED"
}

// ms formats d in milliseconds.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// mib formats n bytes in MiB, "-" when unknown.
func mib(n int64) string {
	if n <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
