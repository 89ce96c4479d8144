package loadtest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// connMode is how the phones of a storm use connections.
type connMode int

const (
	// keepAlive: the clients keep their connections for the whole storm,
	// one shared pool, so the server's per-request cost is measured.
	keepAlive connMode = iota
	// connPerPhone: each phone opens a connection, fetches its files over
	// it and closes it, as a booting phone does.
	connPerPhone
)

// workload is what the phones of a storm do.
type workload struct {
	mode connMode
	// dynamicOnly: each phone fetches only its dynamic files.
	dynamicOnly bool
}

// String describes the workload in the table.
func (w workload) String() string {
	s := "keep-alive"
	if w.mode == connPerPhone {
		s = "a new connection per phone"
	}
	if w.dynamicOnly {
		s += ", dynamic files only"
	}
	return s
}

// slug names the workload in sub-benchmark names.
func (w workload) slug() string {
	s := "keepalive"
	if w.mode == connPerPhone {
		s = "conn-per-phone"
	}
	if w.dynamicOnly {
		s += "-dynamic"
	}
	return s
}

// files returns the paths a phone fetches in this workload.
func (w workload) files(p *phone) []string {
	if !w.dynamicOnly {
		return p.paths[:]
	}
	var out []string
	for i, path := range p.paths {
		if !p.static[i] {
			out = append(out, path)
		}
	}
	return out
}

// userAgent is what every simulated phone sends (a VVX,
// docs/vendors.md#polycom).
const userAgent = "FileTransport PolycomVVX-VVX_411-UA/6.4.3.5018 Type/Application"

// storm replays a boot storm: phones, in boot order, each fetch their
// files one after the other, clients phones at a time.
type storm struct {
	workload
	phones  []phone
	bodies  map[string][]byte // what each path must answer
	clients int
}

// requests returns how many requests the storm makes.
func (s *storm) requests() int {
	n := 0
	for i := range s.phones {
		n += len(s.files(&s.phones[i]))
	}
	return n
}

// outcome is what one storm measured.
type outcome struct {
	elapsed   time.Duration
	latencies []time.Duration // one per request, in no particular order
}

// run replays the storm against the server at base ("http://host:port").
// Every response must be 200 with the expected body; the first that is
// not stops the storm with an error.
func (s *storm) run(ctx context.Context, base string) (outcome, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan []string, len(s.phones))
	for i := range s.phones {
		work <- s.files(&s.phones[i])
	}
	close(work)

	// The keep-alive pool is one Transport holding a connection per
	// client; a phone with a connection of its own has its own Transport.
	shared := newTransport(s.clients)
	defer shared.CloseIdleConnections()

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		all      = make([]time.Duration, 0, s.requests())
		start    = make(chan struct{})
	)
	for range s.clients {
		wg.Go(func() {
			tr := shared
			if s.mode == connPerPhone {
				tr = newTransport(1)
				defer tr.CloseIdleConnections()
			}
			c := client{http: &http.Client{Transport: tr}, base: base, ua: []string{userAgent}}
			lat := make([]time.Duration, 0, 2*cap(all)/s.clients)
			<-start
			for files := range work {
				for _, path := range files {
					took, err := c.fetch(ctx, path, s.bodies[path])
					if err != nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = err
							cancel() // the other clients stop at their next request
						}
						mu.Unlock()
						return
					}
					lat = append(lat, took)
				}
				if s.mode == connPerPhone {
					tr.CloseIdleConnections()
				}
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(t0)
	if firstErr != nil {
		return outcome{}, fmt.Errorf("storm against %s: %w", base, firstErr)
	}
	return outcome{elapsed: elapsed, latencies: all}, nil
}

// newTransport returns a client Transport for benchmarking a loopback
// server: no proxy, no compression, HTTP/1.1, idle connections kept.
func newTransport(idle int) *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        idle,
		MaxIdleConnsPerHost: idle,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

// fetchTimeout bounds one request of a storm.
const fetchTimeout = 30 * time.Second

// client is one simulated phone's HTTP client.
type client struct {
	http *http.Client
	base string
	buf  bytes.Buffer // reused for every body
	ua   []string     // the User-Agent header's value
}

// fetch GETs path and checks that the answer is 200 with body want. It
// returns the latency: from sending the request to having read the body.
func (c *client) fetch(ctx context.Context, path string, want []byte) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header["User-Agent"] = c.ua
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	c.buf.Reset()
	_, err = c.buf.ReadFrom(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	switch {
	case err != nil:
		return 0, fmt.Errorf("GET %s: reading the body: %w", path, err)
	case resp.StatusCode != http.StatusOK:
		return 0, fmt.Errorf("GET %s: %s", path, resp.Status)
	case !bytes.Equal(c.buf.Bytes(), want):
		return 0, fmt.Errorf("GET %s: %d bytes differ from the %d expected", path, c.buf.Len(), len(want))
	}
	return took, nil
}
