package amitest

import (
	"errors"
	"fmt"
	"github.com/phoneprovd/phoneprovd/asterisk/internal/relisten"
	"net"
	"strings"
	"sync"
	"time"
)

// Options configures a Server. The zero value behaves like the Asterisk
// 20.20.1 of the golden transcripts.
type Options struct {
	// AMIVersion is the banner's version; default "9.0.0".
	AMIVersion string
	// AsteriskVersion is CoreSettings' AsteriskVersion; default "20.20.1".
	AsteriskVersion string
	// SystemName is asterisk.conf systemname; default empty.
	SystemName string
	// AuthFailDelay is how long a failed login waits before "Authentication
	// failed" (action_login sleeps one second). 0 means 1s; a negative
	// value means no delay.
	AuthFailDelay time.Duration
	// AuthTimeout closes sessions that have not logged in after this long
	// (manager.conf authtimeout); 0 means 30s.
	AuthTimeout time.Duration
	// NotifyOptions are the pjsip_notify.conf section names PJSIPNotify's
	// Option: accepts (case-insensitively); nil means the sample file's.
	NotifyOptions []string
	// Modules are the module names Reload knows; nil means a small set
	// (res_pjsip.so, res_phoneprov.so, chan_sip.so, ...).
	Modules []string
	// DisableChanSIP makes SIPpeers, SIPshowpeer and SIPnotify unknown
	// actions, as in Asterisk 21 and later.
	DisableChanSIP bool
}

// defaultNotifyOptions are the sections of the pjsip_notify.conf used for
// the golden transcripts (the sample file).
var defaultNotifyOptions = []string{
	"clear-mwi", "aastra-check-cfg", "aastra-xml", "digium-check-cfg",
	"linksys-cold-restart", "linksys-warm-restart", "polycom-check-cfg",
	"sipura-check-cfg", "sipura-get-report", "snom-check-cfg", "snom-reboot",
	"cisco-check-cfg", "custom-notify-1", "custom-notify-2",
}

var defaultModules = []string{
	"res_pjsip.so", "res_pjsip_notify.so", "res_phoneprov.so",
	"res_pjsip_phoneprov_provider.so", "chan_sip.so", "res_ari.so",
}

// user is a manager.conf user.
type user struct {
	secret      string
	read, write int
}

// Server is a fake Asterisk manager listening on a loopback port.
type Server struct {
	// Addr is the listening address, "127.0.0.1:port".
	Addr string

	opts    Options
	started time.Time
	wg      sync.WaitGroup

	mu          sync.Mutex
	ln          net.Listener
	closed      bool
	nextSession int
	sessions    map[*session]struct{}
	lastReload  time.Time
	users       map[string]user
	endpoints   map[string]Endpoint
	auths       map[string]Auth
	transports  map[string]Transport
	aors        map[string]AOR
	contacts    map[string]Contact // by contact ID
	peers       map[string]Peer
	actions     []Action
	notifies    []Notify
	drops       map[string][]int
	disconnects map[string][]int
	delays      map[string]time.Duration
}

// NewServer starts a fake manager on 127.0.0.1 and an ephemeral port. It
// panics if it cannot listen, like httptest.NewServer.
func NewServer(opts Options) *Server {
	if opts.AMIVersion == "" {
		opts.AMIVersion = "9.0.0"
	}
	if opts.AsteriskVersion == "" {
		opts.AsteriskVersion = "20.20.1"
	}
	switch {
	case opts.AuthFailDelay == 0:
		opts.AuthFailDelay = time.Second
	case opts.AuthFailDelay < 0:
		opts.AuthFailDelay = 0
	}
	if opts.AuthTimeout <= 0 {
		opts.AuthTimeout = 30 * time.Second
	}
	if opts.NotifyOptions == nil {
		opts.NotifyOptions = defaultNotifyOptions
	}
	if opts.Modules == nil {
		opts.Modules = defaultModules
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("amitest: failed to listen on a port: %v", err))
	}
	now := time.Now()
	s := &Server{
		Addr:        ln.Addr().String(),
		opts:        opts,
		started:     now,
		ln:          ln,
		sessions:    make(map[*session]struct{}),
		lastReload:  now,
		users:       make(map[string]user),
		endpoints:   make(map[string]Endpoint),
		auths:       make(map[string]Auth),
		transports:  make(map[string]Transport),
		aors:        make(map[string]AOR),
		contacts:    make(map[string]Contact),
		peers:       make(map[string]Peer),
		drops:       make(map[string][]int),
		disconnects: make(map[string][]int),
		delays:      make(map[string]time.Duration),
	}
	s.wg.Add(1)
	go s.serve(ln)
	return s
}

// Close stops listening, closes every session and waits for them to end.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	ln := s.ln
	s.ln = nil
	sessions := s.sessionList()
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	for _, ss := range sessions {
		ss.kill()
	}
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
		s.nextSession++
		ss := newSession(s, conn, s.nextSession)
		s.sessions[ss] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			ss.run()
			s.mu.Lock()
			delete(s.sessions, ss)
			s.mu.Unlock()
		}()
	}
}

// sessionList returns the open sessions; s.mu must be held.
func (s *Server) sessionList() []*session {
	list := make([]*session, 0, len(s.sessions))
	for ss := range s.sessions {
		list = append(list, ss)
	}
	return list
}

// DropConnections closes every open session abruptly, as a crashing or
// restarting Asterisk would.
func (s *Server) DropConnections() {
	s.mu.Lock()
	sessions := s.sessionList()
	s.mu.Unlock()
	for _, ss := range sessions {
		ss.kill()
	}
}

// SetDown takes the server down (true: connections are refused and open
// sessions dropped) or brings it back up on the same address (false).
func (s *Server) SetDown(down bool) error {
	if down {
		s.mu.Lock()
		ln := s.ln
		s.ln = nil
		s.mu.Unlock()
		if ln != nil {
			ln.Close()
		}
		s.DropConnections()
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("amitest: server is closed")
	}
	if s.ln != nil {
		return nil
	}
	ln, err := relisten.Listen(s.Addr)
	if err != nil {
		return fmt.Errorf("amitest: %w", err)
	}
	s.ln = ln
	s.wg.Add(1)
	go s.serve(ln)
	return nil
}

// Sessions returns the number of open connections.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Actions returns every message received so far, in arrival order.
func (s *Server) Actions() []Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Action(nil), s.actions...)
}

// Notifies returns every NOTIFY the server would have sent.
func (s *Server) Notifies() []Notify {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Notify(nil), s.notifies...)
}

// DropListItem makes the next reply to action (case-insensitive) lose its
// list event number n (from 0), once: ListItems still counts it.
func (s *Server) DropListItem(action string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(action)
	s.drops[key] = append(s.drops[key], n)
}

// DisconnectDuringList makes the next reply to action (case-insensitive)
// stop after n list events and close the connection, once.
func (s *Server) DisconnectDuringList(action string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(action)
	s.disconnects[key] = append(s.disconnects[key], n)
}

// SetResponseDelay delays every reply to action (case-insensitive) by d; 0
// removes the delay. The session handles nothing else meanwhile, as an
// Asterisk manager thread busy in an action would.
func (s *Server) SetResponseDelay(action string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays[strings.ToLower(action)] = d
}

// takeFaults returns and consumes the faults planned for one reply.
func (s *Server) takeFaults(action string) (drop, disconnect int, delay time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(action)
	drop, disconnect = -1, -1
	if q := s.drops[key]; len(q) > 0 {
		drop, s.drops[key] = q[0], q[1:]
	}
	if q := s.disconnects[key]; len(q) > 0 {
		disconnect, s.disconnects[key] = q[0], q[1:]
	}
	return drop, disconnect, s.delays[key]
}

// record stores a received message.
func (s *Server) record(a Action) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.actions = append(s.actions, a)
}

// recordNotify stores a NOTIFY the server would have sent.
func (s *Server) recordNotify(n Notify) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notifies = append(s.notifies, n)
}
