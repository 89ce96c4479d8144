// Package admin serves phoneprovd's admin API (/status and what later parts
// add) on a listener of its own, separate from the phone-facing one so that
// phones cannot read it.
package admin

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/pprof"
	"strings"
	"sync"
	"time"
)

// Server is the admin HTTP handler. Parts of phoneprovd register status
// sections and handlers on it before it serves.
type Server struct {
	mux     *http.ServeMux
	version string

	ready    func() bool
	degraded []func() string

	mu       sync.Mutex
	sections []section
	phone    []phoneSection
}

type phoneSection struct {
	name string
	fn   func(mac string) (any, bool)
}

type section struct {
	name string
	fn   func() any
}

// New returns an admin server reporting version.
func New(version string) *Server {
	s := &Server{mux: http.NewServeMux(), version: version}
	s.mux.HandleFunc("GET /status", s.serveStatus)
	s.mux.HandleFunc("GET /status/phones/{mac}", s.servePhone)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	s.mux.HandleFunc("GET /readyz", s.serveReady)
	// Profiling, on the admin listener only (loopback by default).
	s.mux.HandleFunc("/debug/pprof/", pprof.Index)
	s.mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	s.mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	s.mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	s.mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return s
}

// Ready sets what /readyz asks: whether a configuration is loaded. Until
// it is set, /readyz answers 503.
func (s *Server) Ready(fn func() bool) {
	s.mu.Lock()
	s.ready = fn
	s.mu.Unlock()
}

// Degraded adds a check to /readyz: fn returns why phoneprovd serves
// phones, but not as it should ("" when all is well): serving the last good
// configuration, state not being saved. A degraded daemon is still ready
// (200): phones are served, and a load balancer must not take it out.
func (s *Server) Degraded(fn func() string) {
	s.mu.Lock()
	s.degraded = append(s.degraded, fn)
	s.mu.Unlock()
}

// serveReady is 503 until a snapshot is loaded, then 200: "ready", or
// "degraded:" and one line per problem.
func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	ready, checks := s.ready, append([]func() string(nil), s.degraded...)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if ready == nil || !ready() {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "no configuration loaded yet\n")
		return
	}
	var problems []string
	for _, fn := range checks {
		if p := fn(); p != "" {
			problems = append(problems, p)
		}
	}
	if len(problems) == 0 {
		io.WriteString(w, "ready\n")
		return
	}
	io.WriteString(w, "degraded:\n")
	for _, p := range problems {
		io.WriteString(w, "- "+strings.ReplaceAll(p, "\n", " ")+"\n")
	}
}

// PhoneSection adds a named part to GET /status/phones/{mac}: fn answers
// for one MAC, ok false when it knows nothing about it.
func (s *Server) PhoneSection(name string, fn func(mac string) (any, bool)) {
	s.mu.Lock()
	s.phone = append(s.phone, phoneSection{name, fn})
	s.mu.Unlock()
}

// servePhone reports everything known about one phone; 404 when nothing is.
func (s *Server) servePhone(w http.ResponseWriter, r *http.Request) {
	mac := r.PathValue("mac")
	s.mu.Lock()
	secs := append([]phoneSection(nil), s.phone...)
	s.mu.Unlock()
	out := map[string]any{"mac": mac}
	found := false
	for _, sec := range secs {
		if v, ok := sec.fn(mac); ok {
			out[sec.name] = v
			found = true
		}
	}
	if !found {
		WriteJSON(w, http.StatusNotFound, map[string]string{"error": "no phone " + mac})
		return
	}
	WriteJSON(w, http.StatusOK, out)
}

// Section adds a named part to GET /status: fn is called per request and
// its result encoded as JSON under name. A part that is off returns nil
// (untyped): its section is left out.
func (s *Server) Section(name string, fn func() any) {
	s.mu.Lock()
	s.sections = append(s.sections, section{name, fn})
	s.mu.Unlock()
}

// Handle registers a handler, with http.ServeMux patterns.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Server) serveStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	secs := append([]section(nil), s.sections...)
	s.mu.Unlock()
	out := make(map[string]any, len(secs)+2)
	out["version"] = s.version
	out["time"] = time.Now().UTC()
	for _, sec := range secs {
		if v := sec.fn(); v != nil {
			out[sec.name] = v
		}
	}
	WriteJSON(w, http.StatusOK, out)
}

// WriteJSON writes v as indented JSON with status code.
func WriteJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// NewServer returns an http.Server for the admin handler with sane timeouts.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
}
