package ami

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"
)

// conn is one manager connection. A reader goroutine reads every message
// as it arrives and never blocks: replies go to the action waiting for
// them (by ActionID), events to onEvent, which must not block either.
type conn struct {
	nc       net.Conn
	log      *slog.Logger
	idPrefix string
	onEvent  func(Message)
	onClose  func(*conn, error) // runs before waiting calls learn of the loss
	version  string             // from the banner
	done     chan struct{}

	wmu sync.Mutex // serializes writes

	mu      sync.Mutex
	pending map[string]*call
	cause   error // why the connection ended; nil while open
}

// call is an action waiting for its reply and, for a list, its events.
type call struct {
	action   string
	list     bool
	resp     Message   // the first response
	haveResp bool      // resp is set
	items    []Message // list events
	complete Message   // the event with EventList: Complete
	extra    []Message // further responses during a list (errors)
	err      error     // set before done is closed if the connection ended
	done     chan struct{}
}

// connLostError reports a connection that ended while an action waited for
// its reply; it is an ErrNotConnected.
type connLostError struct {
	action string
	cause  error
}

func (e *connLostError) Error() string {
	return "ami: " + e.action + ": connection lost: " + e.cause.Error()
}

func (e *connLostError) Unwrap() error { return ErrNotConnected }

// dialConn connects to addr, reads the banner and starts the reader. ctx
// bounds the dial and the banner only. onEvent receives events; onClose
// is told when the connection ends, before any waiting action is failed,
// so that a caller retrying at once never finds the dead connection.
func dialConn(ctx context.Context, addr string, timeout time.Duration, idPrefix string, log *slog.Logger,
	onEvent func(Message), onClose func(*conn, error)) (*conn, error) {
	d := net.Dialer{Timeout: timeout, KeepAlive: 15 * time.Second}
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	nc.SetReadDeadline(time.Now().Add(timeout))
	wr := newWireReader(nc)
	version, err := wr.readBanner()
	if !stop() {
		err = errors.Join(ctx.Err(), err)
	}
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("read banner: %w", err)
	}
	nc.SetDeadline(time.Time{})
	c := &conn{
		nc:       nc,
		log:      log,
		idPrefix: idPrefix,
		onEvent:  onEvent,
		onClose:  onClose,
		version:  version,
		done:     make(chan struct{}),
		pending:  make(map[string]*call),
	}
	go c.readLoop(wr)
	return c, nil
}

// readLoop reads messages until the connection fails.
func (c *conn) readLoop(wr *wireReader) {
	for {
		m, err := wr.readMessage()
		if err != nil {
			c.close(err)
			return
		}
		if m.Len() > 0 {
			c.dispatch(m)
		}
	}
}

// dispatch routes one message: a reply to one of our actions goes to its
// call, an event to onEvent. Replies to actions that gave up waiting (late
// list events after a timeout) are dropped.
func (c *conn) dispatch(m Message) {
	id := m.Get("ActionID")
	if id != "" && strings.HasPrefix(id, c.idPrefix) {
		c.mu.Lock()
		cl := c.pending[id]
		finished := cl != nil && cl.deliver(m)
		if finished {
			delete(c.pending, id)
			close(cl.done)
		}
		c.mu.Unlock()
		if cl == nil {
			c.log.Debug("ami: reply to an abandoned action dropped", "actionid", id, "message", m)
		}
		return
	}
	if m.IsEvent() {
		c.onEvent(m)
		return
	}
	c.log.Debug("ami: unsolicited response dropped", "message", m)
}

// deliver adds a message to the call and reports whether the call is
// complete: at its response, or for a list started by "EventList: start",
// at the event with "EventList: Complete".
func (cl *call) deliver(m Message) bool {
	switch {
	case m.IsResponse() && !cl.haveResp:
		cl.resp, cl.haveResp = m, true
		return !cl.list ||
			!strings.EqualFold(m.Get("Response"), "Success") ||
			!strings.EqualFold(m.Get("EventList"), "start")
	case m.IsResponse():
		cl.extra = append(cl.extra, m)
	case m.IsEvent() && cl.list:
		if strings.EqualFold(m.Get("EventList"), "Complete") {
			cl.complete = m
			return true
		}
		cl.items = append(cl.items, m)
	}
	return false
}

// roundTrip sends an action and waits for its reply (and list events)
// until ctx is done or the connection ends.
func (c *conn) roundTrip(ctx context.Context, action, id string, fields []Field, list bool) (*call, error) {
	b, err := encodeAction(action, id, fields)
	if err != nil {
		return nil, err
	}
	cl := &call{action: action, list: list, done: make(chan struct{})}
	c.mu.Lock()
	if c.cause != nil {
		c.mu.Unlock()
		return nil, &connLostError{action, c.cause}
	}
	c.pending[id] = cl
	c.mu.Unlock()
	if err := c.write(ctx, b); err != nil {
		c.forget(id)
		// A partial write leaves the stream unframed: start over.
		c.close(fmt.Errorf("write: %w", err))
		return nil, &connLostError{action, err}
	}
	select {
	case <-cl.done:
		if cl.err != nil {
			return nil, cl.err
		}
		return cl, nil
	case <-ctx.Done():
		c.forget(id)
		return nil, fmt.Errorf("ami: %s: no reply: %w", action, context.Cause(ctx))
	}
}

// write sends bytes, bounded by ctx's deadline.
func (c *conn) write(ctx context.Context, b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	deadline, _ := ctx.Deadline()
	c.nc.SetWriteDeadline(deadline)
	_, err := c.nc.Write(b)
	return err
}

// forget abandons a call.
func (c *conn) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, id)
}

// close ends the connection and fails the calls still waiting.
func (c *conn) close(cause error) {
	c.mu.Lock()
	if c.cause != nil {
		c.mu.Unlock()
		return
	}
	c.cause = cause
	pending := c.pending
	c.pending = nil
	c.mu.Unlock()
	c.onClose(c, cause)
	close(c.done)
	c.nc.Close()
	for _, cl := range pending {
		cl.err = &connLostError{cl.action, cause}
		close(cl.done)
	}
}

// err returns why the connection ended, or nil.
func (c *conn) err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cause
}
