package ami

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/internal/backlog"
	"github.com/phoneprovd/phoneprovd/asterisk/internal/backoff"
)

// Client keeps one logged-in AMI session alive: Run connects, logs in,
// and reconnects with capped exponential backoff whenever the connection
// ends, until its context is done or Close is called. Actions may be sent
// from any goroutine; while no session is up they fail at once with
// ErrNotConnected.
type Client struct {
	cfg      Config
	log      *slog.Logger
	idPrefix string
	seq      atomic.Uint64
	events   *backlog.Queue[Message]
	done     chan struct{} // closed when Run has returned, or by Close if Run never ran
	hookMu   sync.Mutex    // runs OnConnect hooks one login at a time

	mu      sync.Mutex
	conn    *conn         // the logged-in connection, nil while down
	up      chan struct{} // closed when conn is set; replaced when it is lost
	lastErr error         // why the last connection attempt or session failed
	hooks   []func()
	running bool
	closed  bool
	stop    context.CancelFunc
}

// New returns a client for cfg. It does nothing until Run.
func New(cfg Config) *Client {
	cfg = cfg.withDefaults()
	return &Client{
		cfg:      cfg,
		log:      cfg.Logger,
		idPrefix: rand.Text()[:10] + "-",
		events:   backlog.New[Message]("ami", cfg.EventBacklog, cfg.Logger),
		done:     make(chan struct{}),
		up:       make(chan struct{}),
	}
}

// Run connects and keeps the session up until ctx is done or Close is
// called. It returns ctx's error, or nil after Close. Run may be called
// once; it closes the Events channel when it returns.
func (c *Client) Run(ctx context.Context) error {
	c.mu.Lock()
	switch {
	case c.closed:
		c.mu.Unlock()
		return ErrClosed
	case c.running:
		c.mu.Unlock()
		return errors.New("ami: Run called twice")
	}
	c.running = true
	ctx, cancel := context.WithCancel(ctx)
	c.stop = cancel
	c.mu.Unlock()
	defer c.finish(cancel)

	backoff.Reconnect(ctx, c.cfg.MinBackoff, c.cfg.MaxBackoff, c.session,
		func(err error, connected bool, attempt int, delay time.Duration) {
			msg := "ami: connect failed"
			if connected {
				msg = "ami: connection lost"
			}
			c.log.Warn(msg, "addr", c.cfg.Addr, "err", err, "attempt", attempt, "retry_in", delay)
		})
	return c.stopReason(ctx)
}

// session connects, logs in and serves one connection until it ends.
func (c *Client) session(ctx context.Context) (connected bool, err error) {
	cn, err := c.connect(ctx)
	if err != nil {
		c.setLastErr(err)
		return false, err
	}
	c.setConn(cn)
	select {
	case <-cn.done:
	case <-ctx.Done():
		cn.close(ErrClosed)
	}
	err = cn.err()
	c.clearConn(cn, err)
	return true, err
}

// stopReason is Run's result: nil after Close, else the context's error.
func (c *Client) stopReason(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	return ctx.Err()
}

// finish marks the client closed when Run returns.
func (c *Client) finish(cancel context.CancelFunc) {
	cancel()
	c.mu.Lock()
	c.closed = true
	c.conn = nil
	c.mu.Unlock()
	c.events.Close()
	close(c.done)
}

// Close stops Run, closes the connection and the Events channel, and
// waits for Run to return. It is safe to call at any time, more than once.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	running, stop := c.running, c.stop
	c.mu.Unlock()
	if running {
		stop()
		<-c.done
		return nil
	}
	c.events.Close()
	close(c.done)
	return nil
}

// connect dials, reads the banner and logs in, within ActionTimeout.
func (c *Client) connect(ctx context.Context) (*conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.ActionTimeout)
	defer cancel()
	cn, err := dialConn(ctx, c.cfg.Addr, c.cfg.ActionTimeout, c.idPrefix, c.log, c.events.Push, c.clearConn)
	if err != nil {
		return nil, fmt.Errorf("ami: connect to %s: %w", c.cfg.Addr, err)
	}
	if err := c.login(ctx, cn); err != nil {
		cn.close(err)
		return nil, err
	}
	return cn, nil
}

// login authenticates a new connection, with a plain secret or an MD5
// challenge (SPEC §6 login). Errors never contain the secret.
func (c *Client) login(ctx context.Context, cn *conn) error {
	fields := []Field{F("Username", c.cfg.Username), F("Secret", c.cfg.Secret)}
	if c.cfg.MD5 {
		cl, err := cn.roundTrip(ctx, "Challenge", c.nextID(), []Field{F("AuthType", "MD5")}, false)
		if err != nil {
			return fmt.Errorf("ami: login to %s as %q: %w", c.cfg.Addr, c.cfg.Username, err)
		}
		challenge := cl.resp.Get("Challenge")
		if err := responseError("Challenge", cl.resp); err != nil || challenge == "" {
			return fmt.Errorf("ami: login to %s as %q: no MD5 challenge: %w", c.cfg.Addr, c.cfg.Username, errors.Join(err, ErrProtocol))
		}
		sum := md5.Sum([]byte(challenge + c.cfg.Secret))
		fields = []Field{F("AuthType", "MD5"), F("Username", c.cfg.Username), F("Key", hex.EncodeToString(sum[:]))}
	}
	if c.cfg.Events != "" {
		fields = append(fields, F("Events", c.cfg.Events))
	}
	cl, err := cn.roundTrip(ctx, "Login", c.nextID(), fields, false)
	if err != nil {
		return fmt.Errorf("ami: login to %s as %q: %w", c.cfg.Addr, c.cfg.Username, err)
	}
	if !strings.EqualFold(cl.resp.Get("Response"), "Success") {
		return fmt.Errorf("ami: login to %s as %q: %w: %s", c.cfg.Addr, c.cfg.Username, ErrAuthFailed, cl.resp.Get("Message"))
	}
	return nil
}

// setConn publishes a logged-in connection and runs the OnConnect hooks.
func (c *Client) setConn(cn *conn) {
	c.mu.Lock()
	c.conn = cn
	c.lastErr = nil
	close(c.up)
	hooks := append([]func(){}, c.hooks...)
	c.mu.Unlock()
	c.log.Info("ami: connected", "addr", c.cfg.Addr, "username", c.cfg.Username, "ami_version", cn.version)
	go func() {
		c.hookMu.Lock()
		defer c.hookMu.Unlock()
		for _, h := range hooks {
			h()
		}
	}()
}

// clearConn records that a connection is gone; the connection calls it
// when it ends, and Run again after.
func (c *Client) clearConn(cn *conn, cause error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch c.conn {
	case cn:
		c.conn = nil
		c.up = make(chan struct{})
		c.lastErr = cause
	case nil:
		c.lastErr = cause
	}
}

// setLastErr records a failed connection attempt.
func (c *Client) setLastErr(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lastErr = err
}

// Connected reports whether a session is logged in.
func (c *Client) Connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn != nil
}

// LastError returns why the last connection attempt or session failed,
// e.g. an ErrAuthFailed, or nil while connected.
func (c *Client) LastError() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastErr
}

// WaitConnected waits until a session is logged in. When ctx ends first,
// the error wraps ErrNotConnected, ctx's error and the last connection
// error (errors.Is works on each).
func (c *Client) WaitConnected(ctx context.Context) error {
	c.mu.Lock()
	conn, closed, up, last := c.conn, c.closed, c.up, c.lastErr
	c.mu.Unlock()
	switch {
	case conn != nil:
		return nil
	case closed:
		return ErrClosed
	}
	select {
	case <-up:
		return nil
	case <-c.done:
		return ErrClosed
	case <-ctx.Done():
		c.mu.Lock()
		last = c.lastErr
		c.mu.Unlock()
		if last != nil {
			return fmt.Errorf("%w: %w (last error: %w)", ErrNotConnected, ctx.Err(), last)
		}
		return fmt.Errorf("%w: %w", ErrNotConnected, ctx.Err())
	}
}

// OnConnect registers f to run after each successful login from then on,
// e.g. to resynchronize state missed while disconnected. Hooks run in
// registration order on a goroutine of their own, one login at a time.
func (c *Client) OnConnect(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hooks = append(c.hooks, f)
}

// Events returns the channel of events (messages with an Event field that
// are not part of a list reply). The connection reader never waits for
// it: events queue up behind a slow reader (see Config.EventBacklog).
// Events are queued from the first call of Events on; the channel is
// closed when Run returns or Close is called.
func (c *Client) Events() <-chan Message {
	return c.events.Channel()
}

// current returns the logged-in connection or why there is none.
func (c *Client) current() (*conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.conn != nil:
		return c.conn, nil
	case c.closed:
		return nil, ErrClosed
	case c.lastErr != nil:
		return nil, fmt.Errorf("%w (last error: %w)", ErrNotConnected, c.lastErr)
	}
	return nil, ErrNotConnected
}

// nextID returns a new ActionID: the client's random prefix and a
// sequence number, unique across reconnections.
func (c *Client) nextID() string {
	return c.idPrefix + strconv.FormatUint(c.seq.Add(1), 10)
}

// withTimeout applies ActionTimeout to a context without a deadline.
func (c *Client) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.cfg.ActionTimeout)
}
