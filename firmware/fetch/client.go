package fetch

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// NewClient returns the HTTP client downloads use: proxies are taken from
// the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY and their lower-case
// forms, exactly as http.ProxyFromEnvironment reads them, but read when the
// client is made rather than once per process), and a server that sends no
// headers within 30 seconds is given up on. The client has no overall
// time limit: a firmware can be 700 MB; stalls are caught per read (see
// Cache.Stall).
func NewClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	proxy := httpproxy.FromEnvironment().ProxyFunc()
	t.Proxy = func(r *http.Request) (*url.URL, error) { return proxy(r.URL) }
	t.ResponseHeaderTimeout = 30 * time.Second
	return &http.Client{Transport: t}
}

// stallReader cancels its request when no byte arrives for timeout.
type stallReader struct {
	r     io.Reader
	timer *time.Timer
	d     time.Duration
	fired atomic.Bool
}

func newStallReader(r io.Reader, d time.Duration, cancel context.CancelFunc) *stallReader {
	s := &stallReader{r: r, d: d}
	s.timer = time.AfterFunc(d, func() {
		s.fired.Store(true)
		cancel()
	})
	return s
}

func (s *stallReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 {
		s.timer.Reset(s.d)
	}
	return n, err
}

// stalled reports whether the request was cancelled for lack of data.
func (s *stallReader) stalled() bool { return s.fired.Load() }

func (s *stallReader) stop() { s.timer.Stop() }
