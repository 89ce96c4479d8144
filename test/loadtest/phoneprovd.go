package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// daemon is a running `phoneprovd serve` and its admin listener.
type daemon struct {
	*server
	admin string // "http://127.0.0.1:port"
}

// startPhoneprovd starts `phoneprovd serve` (the executable bin) on the
// fleet with its state in stateDir, and waits until it answers 200 for
// probe. It returns the cold start: from starting the process to that
// first 200.
func startPhoneprovd(ctx context.Context, bin string, f *fleet, stateDir, probe string) (*daemon, time.Duration, error) {
	httpAddr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	adminAddr, err := freeAddr()
	if err != nil {
		return nil, 0, err
	}
	start := time.Now()
	s, err := startServer(namePhoneprovd, "http://"+httpAddr, bin, "serve",
		"-config-dir", f.confDir, "-data-dir", f.dataDir,
		"-http", httpAddr, "-admin", adminAddr, "-state-dir", stateDir)
	if err != nil {
		return nil, 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := s.waitOK(ctx, probe); err != nil {
		s.stop()
		return nil, 0, err
	}
	return &daemon{server: s, admin: "http://" + adminAddr}, time.Since(start), nil
}

// configStatus is the part of the admin /status the benchmark reads.
type configStatus struct {
	Generation uint64 `json:"generation"`
	LoadTook   string `json:"load_took"`
	LastReload *struct {
		Reason  string `json:"reason"`
		Changed int    `json:"changed"`
	} `json:"last_reload"`
}

// status reads the daemon's /status config section.
func (d *daemon) status(ctx context.Context) (configStatus, error) {
	var out struct {
		Config configStatus `json:"config"`
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.admin+"/status", nil)
	if err != nil {
		return out.Config, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return out.Config, fmt.Errorf("admin /status: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return out.Config, fmt.Errorf("admin /status: %s", resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return out.Config, fmt.Errorf("admin /status: %w", err)
	}
	return out.Config, nil
}

// statusPoll is how often /status is read while waiting for a reload.
const statusPoll = 2 * time.Millisecond

// waitGeneration reads /status until its generation is past after, and
// returns that status.
func (d *daemon) waitGeneration(ctx context.Context, after uint64) (configStatus, error) {
	for {
		st, err := d.status(ctx)
		if err != nil {
			return st, err
		}
		if st.Generation > after {
			return st, nil
		}
		select {
		case <-ctx.Done():
			return st, fmt.Errorf("generation still %d: %w", st.Generation, ctx.Err())
		case <-d.exited:
			return st, fmt.Errorf("phoneprovd exited (%v):\n%s", d.waitErr, d.output)
		case <-time.After(statusPoll):
		}
	}
}

// renderToDisk fetches every path from the server at base once, writes
// each body under root at its path (what nginx and barehttp then serve)
// and returns the bodies by path.
func renderToDisk(ctx context.Context, base string, paths []string, root string) (map[string][]byte, error) {
	const workers = 8
	tr := newTransport(workers)
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	work := make(chan string, len(paths))
	for _, p := range paths {
		work <- p
	}
	close(work)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		bodies   = make(map[string][]byte, len(paths))
		firstErr error
	)
	for range workers {
		wg.Go(func() {
			for p := range work {
				body, err := fetchOnce(ctx, client, base+p)
				if err == nil {
					err = writeFile(filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(p, "/"))), body)
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				bodies[p] = body
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, fmt.Errorf("rendering the fleet to disk: %w", firstErr)
	}
	return bodies, nil
}

// fetchOnce GETs url and returns its body; anything but 200 is an error.
func fetchOnce(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return body, nil
}

// cpuProfile starts fetching a CPU profile of d for the duration d (at
// least a second) from the admin listener into file, and returns the
// channel its error (or nil) is sent on when done.
func (d *daemon) cpuProfile(ctx context.Context, file string, dur time.Duration) <-chan error {
	done := make(chan error, 1)
	go func() {
		done <- func() error {
			secs := max(int(dur.Seconds()), 1)
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", d.admin, secs), nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("cpu profile: %w", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("cpu profile: %s", resp.Status)
			}
			f, err := os.Create(file)
			if err != nil {
				return err
			}
			if _, err := io.Copy(f, resp.Body); err != nil {
				f.Close()
				return fmt.Errorf("cpu profile: %w", err)
			}
			return f.Close()
		}()
	}()
	return done
}
