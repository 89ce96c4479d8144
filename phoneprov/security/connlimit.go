package security

import (
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
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

	epoch time.Time // idle times are kept as monotonic offsets from it

	mu    sync.Mutex
	freed *sync.Cond
	conns map[*limitedConn]struct{} // every open connection
	open  int
}

// NewConnLimit returns a limiter holding at most max connections;
// max <= 0 means DefaultMaxConnections.
func NewConnLimit(max int) *ConnLimit {
	if max <= 0 {
		max = DefaultMaxConnections
	}
	l := &ConnLimit{max: max, grace: IdleGrace, epoch: time.Now(), conns: make(map[*limitedConn]struct{})}
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
// beneath. It is called twice per request, so it takes no lock: each
// connection keeps its own state.
func (l *ConnLimit) ConnState(c net.Conn, state http.ConnState) {
	if u, ok := c.(interface{ NetConn() net.Conn }); ok {
		c = u.NetConn()
	}
	lc, ok := c.(*limitedConn)
	if !ok || lc.limit != l {
		return
	}
	switch state {
	case http.StateNew, http.StateIdle:
		lc.idleSince.Store(l.now())
	case http.StateActive:
		lc.idleSince.Store(0)
	}
}

// now is the limiter's monotonic clock: nanoseconds since epoch, plus one
// so that it is never 0 (which means active).
func (l *ConnLimit) now() int64 { return int64(time.Since(l.epoch)) + 1 }

// admit makes room for a new connection from ln: it closes the
// longest-idle connection when the cap is reached, or waits until one
// closes or has been idle long enough. It fails when ln is closed
// meanwhile.
func (l *ConnLimit) admit(c *limitedConn, ln *limitedListener) error {
	l.mu.Lock()
	for l.open >= l.max {
		if ln.closed {
			l.mu.Unlock()
			return net.ErrClosed
		}
		victim, wait := l.longestIdle(l.now())
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
	l.conns[c] = struct{}{}
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
func (l *ConnLimit) longestIdle(now int64) (*limitedConn, time.Duration) {
	var victim *limitedConn
	var since int64
	for c := range l.conns {
		if t := c.idleSince.Load(); t != 0 && (victim == nil || t < since) {
			victim, since = c, t
		}
	}
	if victim == nil {
		return nil, 0
	}
	if idle := time.Duration(now - since); idle < l.grace {
		return nil, l.grace - idle
	}
	return victim, 0
}

// drop stops counting c. Caller holds mu.
func (l *ConnLimit) drop(c *limitedConn) {
	if _, ok := l.conns[c]; !ok {
		return
	}
	delete(l.conns, c)
	l.open--
	l.freed.Broadcast()
}

// release is called when a connection is closed.
func (l *ConnLimit) release(c *limitedConn) {
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
	// idleSince is when the connection became idle (StateNew or
	// StateIdle) on the limiter's clock, 0 while a request is in
	// progress.
	idleSince atomic.Int64
}

// ReadFrom sends what r holds with the connection beneath's ReadFrom, so
// that net/http streams a static file (firmware) with sendfile(2) as it
// does on an unwrapped connection.
func (c *limitedConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(c.Conn, r)
}

// Close closes the connection and frees its slot.
func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.limit.release(c) })
	return err
}
