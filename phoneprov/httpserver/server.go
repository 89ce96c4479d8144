package httpserver

import (
	"crypto/tls"
	"net/http"
	"time"
)

// Timeouts of the phone-facing server: short enough that idle or slow
// clients cannot hold connections for long, long enough for a phone on a
// slow link to fetch firmware.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 10 * time.Minute
	IdleTimeout       = 60 * time.Second
	MaxHeaderBytes    = 16 << 10
)

// NewServer returns an http.Server for h with phoneprovd's timeouts. What
// a connection's requests share — the address it reached (SERVER for the
// phone on it), the phone's address — is worked out once per connection,
// not per request.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ConnContext:       new(places).connContext,
	}
}

// NewTLSServer returns an http.Server for h with phoneprovd's timeouts that
// speaks HTTPS with tc (package security's Guard.TLSConfig supplies one
// that reloads its certificate). Serve it with ServeTLS(ln, "", ""). Only
// HTTP/1.x is offered: phones do not speak HTTP/2. The TLS handshake is
// bounded by the same timeouts as the request header.
func NewTLSServer(h http.Handler, tc *tls.Config) *http.Server {
	srv := NewServer(h)
	tc = tc.Clone()
	tc.NextProtos = []string{"http/1.1"}
	srv.TLSConfig = tc
	srv.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
	return srv
}
