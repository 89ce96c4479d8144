package security_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// TestSlowlorisDoesNotLockOutPhones: a client holding 500 idle
// connections (connected, sending nothing) does not stop a phone: with a
// cap of 200 connections, those idle for security.IdleGrace are closed to
// make room. The header timeout is set to a minute here, so only the
// cap's eviction can explain the phone being served.
func TestSlowlorisDoesNotLockOutPhones(t *testing.T) {
	s := newSite(t)
	srv := startServer(t, s, security.Config{}, serverOptions{
		maxConns: 200,
		tune:     func(h *http.Server) { h.ReadHeaderTimeout, h.IdleTimeout = time.Minute, time.Minute },
	})
	host := strings.TrimPrefix(srv.http, "http://")
	var idle []net.Conn
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	for range 500 {
		c, err := net.DialTimeout("tcp", host, 5*time.Second)
		if err != nil {
			t.Fatalf("slowloris connection %d: %v", len(idle), err)
		}
		idle = append(idle, c)
	}
	for i := range 3 {
		r := do(t, nil, http.MethodGet, srv.http+"/phoneprov/"+mac6001+".cfg", nil)
		if r.status != 200 || !strings.Contains(r.body, secret6001) {
			t.Fatalf("phone request %d: %d", i, r.status)
		}
	}
	if n := srv.limit.Open(); n > 200 {
		t.Errorf("%d connections open, cap 200", n)
	}
	// Most of the idle connections were closed by the server.
	closed := 0
	for _, c := range idle {
		c.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); err == io.EOF {
			closed++
		}
	}
	if closed < 300 {
		t.Errorf("%d of 500 idle connections closed, want at least 300", closed)
	}
}

// TestHeaderTimeout: a client that sends part of a request header and
// stops is cut off after the header timeout, and busy connections are not
// evicted: the cap then waits for a slot.
func TestHeaderTimeout(t *testing.T) {
	// The daemon's server bounds every phase of a request.
	h := httpserver.NewServer(http.NotFoundHandler())
	if h.ReadHeaderTimeout <= 0 || h.ReadTimeout <= 0 || h.WriteTimeout <= 0 || h.IdleTimeout <= 0 || h.MaxHeaderBytes <= 0 {
		t.Fatalf("unbounded server: %+v", h)
	}
	s := newSite(t)
	srv := startServer(t, s, security.Config{}, serverOptions{
		maxConns: 2,
		tune:     func(h *http.Server) { h.ReadHeaderTimeout = 300 * time.Millisecond },
	})
	host := strings.TrimPrefix(srv.http, "http://")
	var slow []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// Active: one byte of a request is in, so it is not idle.
		io.WriteString(c, "GET /phoneprov/fw.bin HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		slow = append(slow, c)
	}
	// Both slots are busy; the phone waits until the header timeout
	// frees one, and is then served.
	r := do(t, nil, http.MethodGet, srv.http+"/phoneprov/fw.bin", nil)
	if r.status != 200 {
		t.Fatalf("phone: %d", r.status)
	}
	for _, c := range slow {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		b, _ := io.ReadAll(c)
		if len(b) > 0 && !strings.Contains(string(b), "408") && !strings.Contains(string(b), "400") {
			t.Errorf("slow client got %q", b)
		}
	}
}
