package security

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultMaxConnections is the default cap of ConnLimit.
const DefaultMaxConnections = 1024

// IdleGrace is how long a connection must have been idle before the
// limiter may close it: a client sends its request (or TLS handshake)
// right after connecting, so a connection this young is not yet silent,
// only not yet read.
const IdleGrace = time.Second

// ConnLimit caps the connections one or more HTTP servers hold at once.
// When the cap is reached and a new connection arrives, the connection
// that has waited longest without a request in progress (one that has
// sent nothing yet, as a slowloris client's, or an idle keep-alive one),
// if idle for IdleGrace at least, is closed to make room; otherwise the
// new one waits for a slot. Idle and silent clients thus cannot lock
// phones out for more than about IdleGrace per cap's worth of them, and
// busy ones cannot exhaust file descriptors.
//
// Wrap each listener with Listener and set each server's ConnState to the
// limiter's ConnState; without the latter no connection is known to be
// idle and the limiter only waits.
type ConnLimit struct {
	max   int
	grace time.Duration

	mu    sync.Mutex
	freed *sync.Cond
	conns map[net.Conn]*connInfo // every open connection
	open  int
}

// connInfo is what the limiter knows of one connection.
type connInfo struct {
	idle  bool      // http.StateNew or http.StateIdle
	since time.Time // when it became idle
}

// NewConnLimit returns a limiter holding at most max connections;
// max <= 0 means DefaultMaxConnections.
func NewConnLimit(max int) *ConnLimit {
	if max <= 0 {
		max = DefaultMaxConnections
	}
	l := &ConnLimit{max: max, grace: IdleGrace, conns: make(map[net.Conn]*connInfo)}
	l.freed = sync.NewCond(&l.mu)
	return l
}

// SetMax changes the cap (max <= 0: DefaultMaxConnections). Connections
// above a lowered cap are not closed; new ones wait until the count is
// below it. Accepts waiting for a raised cap proceed at once.
func (l *ConnLimit) SetMax(max int) {
	if max <= 0 {
		max = DefaultMaxConnections
	}
	l.mu.Lock()
	l.max = max
	l.freed.Broadcast()
	l.mu.Unlock()
}

// Max returns the cap.
func (l *ConnLimit) Max() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.max
}

// Open returns the number of connections held.
func (l *ConnLimit) Open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open
}

// Listener wraps ln so that its connections count against the cap.
func (l *ConnLimit) Listener(ln net.Listener) net.Listener {
	return &limitedListener{Listener: ln, limit: l}
}

// ConnState is the http.Server.ConnState hook telling the limiter which
// connections are idle. TLS connections are recognised by the connection
// beneath.
func (l *ConnLimit) ConnState(c net.Conn, state http.ConnState) {
	if u, ok := c.(interface{ NetConn() net.Conn }); ok {
		c = u.NetConn()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	info := l.conns[c]
	if info == nil {
		return
	}
	switch state {
	case http.StateNew, http.StateIdle:
		info.idle, info.since = true, time.Now()
	case http.StateActive:
		info.idle = false
	}
}

// admit makes room for a new connection from ln: it closes the
// longest-idle connection when the cap is reached, or waits until one
// closes or has been idle long enough. It fails when ln is closed
// meanwhile.
func (l *ConnLimit) admit(c net.Conn, ln *limitedListener) error {
	l.mu.Lock()
	for l.open >= l.max {
		if ln.closed {
			l.mu.Unlock()
			return net.ErrClosed
		}
		victim, wait := l.longestIdle(time.Now())
		if victim != nil {
			l.drop(victim)
			l.mu.Unlock()
			victim.Close()
			l.mu.Lock()
			continue
		}
		if wait > 0 {
			time.AfterFunc(wait, l.wake)
		}
		l.freed.Wait()
	}
	l.open++
	l.conns[c] = &connInfo{}
	l.mu.Unlock()
	return nil
}

// wake makes waiting Accepts look again.
func (l *ConnLimit) wake() {
	l.mu.Lock()
	l.freed.Broadcast()
	l.mu.Unlock()
}

// longestIdle returns the connection idle for longest if it has been idle
// for the grace period; if it has not, how long until it will have been.
// Caller holds mu.
func (l *ConnLimit) longestIdle(now time.Time) (net.Conn, time.Duration) {
	var victim net.Conn
	var since time.Time
	for c, info := range l.conns {
		if info.idle && (victim == nil || info.since.Before(since)) {
			victim, since = c, info.since
		}
	}
	if victim == nil {
		return nil, 0
	}
	if idle := now.Sub(since); idle < l.grace {
		return nil, l.grace - idle
	}
	return victim, 0
}

// drop stops counting c. Caller holds mu.
func (l *ConnLimit) drop(c net.Conn) {
	if _, ok := l.conns[c]; !ok {
		return
	}
	delete(l.conns, c)
	l.open--
	l.freed.Broadcast()
}

// release is called when a connection is closed.
func (l *ConnLimit) release(c net.Conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.drop(c)
}

// limitedListener counts the connections it accepts.
type limitedListener struct {
	net.Listener
	limit  *ConnLimit
	closed bool // guarded by limit.mu
}

// Accept waits for a connection and a slot for it.
func (ln *limitedListener) Accept() (net.Conn, error) {
	c, err := ln.Listener.Accept()
	if err != nil {
		return nil, err
	}
	lc := &limitedConn{Conn: c, limit: ln.limit}
	if err := ln.limit.admit(lc, ln); err != nil {
		c.Close()
		return nil, err
	}
	return lc, nil
}

// Close closes the listener and wakes an Accept waiting for a slot.
func (ln *limitedListener) Close() error {
	ln.limit.mu.Lock()
	ln.closed = true
	ln.limit.freed.Broadcast()
	ln.limit.mu.Unlock()
	return ln.Listener.Close()
}

// limitedConn releases its slot when closed.
type limitedConn struct {
	net.Conn
	limit *ConnLimit
	once  sync.Once
}

// Close closes the connection and frees its slot.
func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.limit.release(c) })
	return err
}
