package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkScale measures phoneprovd on the fleets users run, one
// sub-benchmark per site: the time from starting the process to /readyz
// 200 (the configuration loaded and every phone's files rendered), from
// writing an edit of one user's name to the phone book of another phone
// serving it (debounce included), from writing an edit of a template every
// phone uses to a phone serving it, and the peak RSS over all of it.
// PHONEPROVD_SCALE lists the sites as kind:phones (kinds: shipped —
// the shipped Polycom profile with its phone book; stock — Asterisk's
// stock polycom profile and templates; fleet — the boot-storm fleet,
// without a phone book).
func BenchmarkScale(b *testing.B) {
	spec := os.Getenv("PHONEPROVD_SCALE")
	if spec == "" {
		spec = "shipped:10000,stock:10000,fleet:100000"
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "phoneprovd")
	if err := goBuild(bin, "../../cmd/phoneprovd"); err != nil {
		b.Fatal(err)
	}
	var rows []scaleRow
	for _, item := range strings.Split(spec, ",") {
		kind, count, ok := strings.Cut(strings.TrimSpace(item), ":")
		n, err := strconv.Atoi(count)
		if !ok || err != nil || n < 2 {
			b.Fatalf("PHONEPROVD_SCALE item %q: want kind:phones", item)
		}
		b.Run(kind+"-"+count, func(b *testing.B) {
			for range b.N {
				root := b.TempDir()
				var site *scaleSite
				switch kind {
				case "shipped":
					site, err = shippedPolycomSite(root, n)
				case "stock":
					site, err = stockPolycomSite(root, n)
				case "fleet":
					site, err = fleetSite(root, n)
				default:
					err = fmt.Errorf("unknown kind %q (shipped, stock, fleet)", kind)
				}
				if err != nil {
					b.Fatal(err)
				}
				row, err := measureScale(b.Context(), bin, site, filepath.Join(root, "state"))
				if err != nil {
					b.Fatal(err)
				}
				row.phones = n
				rows = append(rows, row)
				b.ReportMetric(float64(row.start)/float64(time.Millisecond), "start-ms")
				if row.nameEdit > 0 {
					b.ReportMetric(float64(row.nameEdit)/float64(time.Millisecond), "name-edit-ms")
				}
				b.ReportMetric(float64(row.templateEdit)/float64(time.Millisecond), "template-edit-ms")
				b.ReportMetric(float64(row.peakRSS)/(1<<20), "peak-MiB")
			}
		})
	}
	fmt.Print(scaleTable(rows))
}

// scaleRow is one site's figures.
type scaleRow struct {
	site                          string
	phones                        int
	start, nameEdit, templateEdit time.Duration
	peakRSS                       int64
}

func scaleTable(rows []scaleRow) string {
	var b strings.Builder
	b.WriteString("\n| site | phones | start to /readyz | name edit served | template edit served | peak RSS |\n|---|---|---|---|---|---|\n")
	for _, r := range rows {
		name := "—"
		if r.nameEdit > 0 {
			name = ms(r.nameEdit)
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s |\n", r.site, r.phones, ms(r.start), name, ms(r.templateEdit), mib(r.peakRSS))
	}
	return b.String()
}

// measureScale runs phoneprovd on site and measures it.
func measureScale(ctx context.Context, bin string, site *scaleSite, stateDir string) (scaleRow, error) {
	row := scaleRow{site: site.name}
	httpAddr, err := freeAddr()
	if err != nil {
		return row, err
	}
	adminAddr, err := freeAddr()
	if err != nil {
		return row, err
	}
	start := time.Now()
	s, err := startServer(namePhoneprovd, "http://"+httpAddr, bin, "serve",
		"-config-dir", site.confDir, "-data-dir", site.dataDir,
		"-http", httpAddr, "-admin", adminAddr, "-state-dir", stateDir, "-log-level", "warn")
	if err != nil {
		return row, err
	}
	defer s.stop()
	admin := &server{name: s.name, base: "http://" + adminAddr, exited: s.exited, output: s.output}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if err := admin.waitOK(wctx, "/readyz"); err != nil {
		return row, err
	}
	row.start = time.Since(start)
	if err := s.waitOK(wctx, site.probe()); err != nil {
		return row, err
	}

	// Settle, so that the edits are not coalesced with the start.
	time.Sleep(time.Second)
	if site.usersConf != "" {
		users := strings.Replace(site.users, "fullname = ", "fullname = Renamed ", 1)
		if err := os.WriteFile(site.usersConf, []byte(users), 0o644); err != nil {
			return row, err
		}
		if row.nameEdit, err = waitContains(wctx, s.base+site.probeBook, "Renamed "); err != nil {
			return row, err
		}
		time.Sleep(time.Second)
	}
	text, err := os.ReadFile(site.template)
	if err != nil {
		return row, err
	}
	mark := fmt.Sprintf("<!-- edited %d -->", time.Now().UnixNano())
	if err := os.WriteFile(site.template, append(text, mark+"\n"...), 0o644); err != nil {
		return row, err
	}
	if row.templateEdit, err = waitContains(wctx, s.base+site.probe(), mark); err != nil {
		return row, err
	}
	row.peakRSS, err = s.peakRSS()
	return row, err
}

// waitContains GETs url until its body contains want and returns how long
// that took.
func waitContains(ctx context.Context, url, want string) (time.Duration, error) {
	start := time.Now()
	client := &http.Client{}
	defer client.CloseIdleConnections()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return 0, err
		}
		resp, err := client.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), want) {
				return time.Since(start), nil
			}
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("%s never served %q: %w", url, want, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}
