package aritest

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/phoneprovd/phoneprovd/asterisk/internal/relisten"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configures a Server. The zero value behaves like the Asterisk
// 20.20.1 of the golden captures, except for the times, which default to
// the server's start.
type Options struct {
	// Version is Asterisk's version, in the Server header
	// ("Asterisk/<Version>") and /asterisk/info; default "20.20.1".
	Version string
	// AuthRealm is ari.conf auth_realm; default "Asterisk REST Interface".
	AuthRealm string
	// Compact writes compact JSON (ari.conf pretty = no); the default is
	// pretty = yes, as in the golden captures.
	Compact bool
	// EntityID is the system's entity id; default "02:fc:00:00:00:01".
	EntityID string
	// StartupTime and LastReloadTime are /asterisk/info's status times;
	// zero means when NewServer was called.
	StartupTime, LastReloadTime time.Time
	// Location is the time zone of timestamps; nil means UTC.
	Location *time.Location
	// KeepAlive closes idle HTTP connections after this long (http.conf
	// session_keep_alive); 0 means 15s.
	KeepAlive time.Duration
}

// Server is a fake Asterisk HTTP server answering ARI requests on a
// loopback port.
type Server struct {
	// Addr is the listening address, "127.0.0.1:port".
	Addr string
	// URL is the ARI base URL, "http://127.0.0.1:port/ari".
	URL string

	opts Options
	wg   sync.WaitGroup
	quit chan struct{} // closed by Close

	mu         sync.Mutex
	ln         net.Listener
	closed     bool
	conns      map[net.Conn]struct{}
	sockets    map[*wsSession]struct{}
	users      map[string]user
	endpoints  map[string]*endpoint // by id "TECH/resource"
	techs      map[string]bool      // technology endpoints ever created
	nextSeq    uint64
	pjsipEps   map[string]Endpoint
	auths      map[string]Auth
	transports map[string]Transport
	apps       map[string]*application
	requests   []Request
	delay      time.Duration
}

// user is an ari.conf type=user section.
type user struct {
	password string
	readOnly bool
}

// NewServer starts a fake ARI server on 127.0.0.1 and an ephemeral port. It
// panics if it cannot listen, like httptest.NewServer.
func NewServer(opts Options) *Server {
	if opts.Version == "" {
		opts.Version = "20.20.1"
	}
	if opts.AuthRealm == "" {
		opts.AuthRealm = "Asterisk REST Interface"
	}
	if opts.EntityID == "" {
		opts.EntityID = "02:fc:00:00:00:01"
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	now := time.Now()
	if opts.StartupTime.IsZero() {
		opts.StartupTime = now
	}
	if opts.LastReloadTime.IsZero() {
		opts.LastReloadTime = opts.StartupTime
	}
	if opts.KeepAlive <= 0 {
		opts.KeepAlive = 15 * time.Second
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("aritest: failed to listen on a port: %v", err))
	}
	s := &Server{
		Addr:       ln.Addr().String(),
		opts:       opts,
		quit:       make(chan struct{}),
		ln:         ln,
		conns:      make(map[net.Conn]struct{}),
		sockets:    make(map[*wsSession]struct{}),
		users:      make(map[string]user),
		endpoints:  make(map[string]*endpoint),
		techs:      make(map[string]bool),
		pjsipEps:   make(map[string]Endpoint),
		auths:      make(map[string]Auth),
		transports: make(map[string]Transport),
		apps:       make(map[string]*application),
	}
	s.URL = "http://" + s.Addr + "/ari"
	s.wg.Add(1)
	go s.serve(ln)
	return s
}

// Close stops listening, closes every connection and waits for them to end.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.quit)
	ln := s.ln
	s.ln = nil
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	s.closeConns(false)
	s.wg.Wait()
}

// serve accepts connections until the listener is closed.
func (s *Server) serve(ln net.Listener) {
	defer s.wg.Done()
	for {
		conn, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		s.mu.Lock()
		if s.closed || s.ln != ln {
			s.mu.Unlock()
			conn.Close()
			continue
		}
		s.conns[conn] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.serveConn(conn)
			s.mu.Lock()
			delete(s.conns, conn)
			s.mu.Unlock()
			conn.Close()
		}()
	}
}

// serveConn reads requests from one connection and answers them, keeping
// the connection open between requests as Asterisk's HTTP server does
// (main/http.c httpd_helper_thread), until the client closes it, an idle
// period of KeepAlive passes, or a request asks for "Connection: close".
func (s *Server) serveConn(conn net.Conn) {
	br := bufio.NewReader(conn)
	bw := bufio.NewWriter(conn)
	for {
		conn.SetReadDeadline(time.Now().Add(s.opts.KeepAlive))
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		conn.SetReadDeadline(time.Time{})
		keep := s.handle(conn, br, bw, req)
		if err := bw.Flush(); err != nil || !keep {
			return
		}
	}
}

// closeConns closes every open connection (websockets only when
// onlySockets) abruptly, as a crashing Asterisk would.
func (s *Server) closeConns(onlySockets bool) {
	s.mu.Lock()
	var list []net.Conn
	if onlySockets {
		for ws := range s.sockets {
			list = append(list, ws.conn)
		}
	} else {
		for c := range s.conns {
			list = append(list, c)
		}
	}
	s.mu.Unlock()
	for _, c := range list {
		c.Close()
	}
}

// DropWebsockets closes every event websocket abruptly; REST connections
// stay open.
func (s *Server) DropWebsockets() {
	s.closeConns(true)
}

// Websockets returns the number of open event websockets.
func (s *Server) Websockets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sockets)
}

// SetDown takes the server down (true: connections are refused and open
// ones dropped) or brings it back up on the same address (false).
func (s *Server) SetDown(down bool) error {
	if down {
		s.mu.Lock()
		ln := s.ln
		s.ln = nil
		s.mu.Unlock()
		if ln != nil {
			ln.Close()
		}
		s.closeConns(false)
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("aritest: server is closed")
	}
	if s.ln != nil {
		return nil
	}
	ln, err := relisten.Listen(s.Addr)
	if err != nil {
		return fmt.Errorf("aritest: %w", err)
	}
	s.ln = ln
	s.wg.Add(1)
	go s.serve(ln)
	return nil
}

// SetResponseDelay delays every REST response by d (0 removes the delay),
// as a stalled Asterisk would; Close and SetDown cut the wait short.
// Websocket upgrades are not delayed.
func (s *Server) SetResponseDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// responseDelay returns the configured delay.
func (s *Server) responseDelay() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.delay
}

// Requests returns every request received so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// record stores a received request.
func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
}

// AddUser adds an ari.conf user with a plain-text password and write access.
func (s *Server) AddUser(name, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[name] = user{password: password}
}

// AddReadOnlyUser adds an ari.conf user with read_only = yes.
func (s *Server) AddReadOnlyUser(name, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[name] = user{password: password, readOnly: true}
}

// now returns the current time in the server's zone.
func (s *Server) now() time.Time {
	return time.Now().In(s.opts.Location)
}

// timestamp formats t as ast_json_timeval does (AST_ISO8601_FORMAT,
// "%FT%T.%q%z"), e.g. "2026-11-22T07:17:40.580+0000".
func (s *Server) timestamp(t time.Time) string {
	return t.In(s.opts.Location).Format("2006-01-02T15:04:05.000-0700")
}
