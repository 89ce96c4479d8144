package ari

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/CyCoreSystems/ari/v6/client/native"
	"golang.org/x/net/websocket"

	"github.com/phoneprovd/phoneprovd/asterisk/internal/backlog"
	"github.com/phoneprovd/phoneprovd/asterisk/internal/backoff"
)

// Client talks to one Asterisk's ARI: REST calls at any time, and, while
// Run runs, an event websocket kept connected with capped exponential
// backoff. Methods may be called from any goroutine.
type Client struct {
	cfg      Config
	log      *slog.Logger
	base     string // the base URL without user information or trailing '/'
	http     *http.Client
	lib      *native.Client
	slots    chan struct{} // REST calls in flight
	libSlots chan struct{} // ari/v6 calls in flight, abandoned ones included
	events   *backlog.Queue[Event]
	done     chan struct{} // closed when Run has returned, or by Close if Run never ran
	hookMu   sync.Mutex    // runs OnConnect hooks one connection at a time

	mu      sync.Mutex
	ws      *websocket.Conn // the connected event websocket, nil while down
	up      chan struct{}   // closed when ws is set; replaced when it is lost
	lastErr error           // why the last connection attempt or websocket failed
	hooks   []func()
	running bool
	closed  bool
	stop    context.CancelFunc
}

// New returns a client for cfg. REST calls work at once; events need Run.
func New(cfg Config) *Client {
	cfg = cfg.withDefaults()
	base := strings.TrimRight(cfg.URL, "/")
	if u, err := url.Parse(base); err == nil && u.User != nil {
		if cfg.Username == "" {
			cfg.Username = u.User.Username()
			cfg.Password, _ = u.User.Password()
		}
		u.User = nil
		base = u.String()
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = cfg.MaxInFlight
	c := &Client{
		cfg:      cfg,
		log:      cfg.Logger,
		base:     base,
		http:     &http.Client{Transport: transport},
		slots:    make(chan struct{}, cfg.MaxInFlight),
		libSlots: make(chan struct{}, maxLibraryCalls),
		events:   backlog.New[Event]("ari", cfg.EventBacklog, cfg.Logger),
		done:     make(chan struct{}),
		up:       make(chan struct{}),
	}
	c.lib = native.New(&native.Options{
		Application:  cfg.Application,
		URL:          base,
		WebsocketURL: eventsURL(base),
		Username:     cfg.Username,
		Password:     cfg.Password,
	})
	return c
}

// Run keeps the event websocket connected until ctx is done or Close is
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
		return errors.New("ari: Run called twice")
	}
	c.running = true
	ctx, cancel := context.WithCancel(ctx)
	c.stop = cancel
	c.mu.Unlock()
	defer c.finish(cancel)

	backoff.Reconnect(ctx, c.cfg.MinBackoff, c.cfg.MaxBackoff, c.session,
		func(err error, connected bool, attempt int, delay time.Duration) {
			msg := "ari: websocket connect failed"
			if connected {
				msg = "ari: websocket lost"
			}
			c.log.Warn(msg, "url", redactURL(c.base), "err", err, "attempt", attempt, "retry_in", delay)
		})
	return c.stopReason(ctx)
}

// session opens the event websocket and reads it until it ends.
func (c *Client) session(ctx context.Context) (connected bool, err error) {
	ws, err := c.connect(ctx)
	if err != nil {
		c.setLastErr(err)
		return false, err
	}
	c.setConn(ws)
	err = c.readEvents(ctx, ws)
	c.clearConn(ws, err)
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
	c.ws = nil
	c.mu.Unlock()
	c.events.Close()
	c.http.CloseIdleConnections()
	close(c.done)
}

// Close stops Run, closes the websocket and the Events channel, and waits
// for Run to return. Later calls fail with ErrClosed. It is safe to call
// at any time, more than once.
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
	c.http.CloseIdleConnections()
	close(c.done)
	return nil
}

// isClosed reports whether Close was called or Run returned.
func (c *Client) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// setConn publishes a connected websocket and runs the OnConnect hooks.
func (c *Client) setConn(ws *websocket.Conn) {
	c.mu.Lock()
	c.ws = ws
	c.lastErr = nil
	close(c.up)
	hooks := append([]func(){}, c.hooks...)
	c.mu.Unlock()
	c.log.Info("ari: events connected", "url", redactURL(c.base), "username", c.cfg.Username,
		"application", c.cfg.Application)
	go func() {
		c.hookMu.Lock()
		defer c.hookMu.Unlock()
		for _, h := range hooks {
			h()
		}
	}()
}

// clearConn records that a websocket is gone.
func (c *Client) clearConn(ws *websocket.Conn, cause error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ws == ws {
		c.ws = nil
		c.up = make(chan struct{})
	}
	c.lastErr = cause
}

// setLastErr records a failed connection attempt.
func (c *Client) setLastErr(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lastErr = err
}

// Connected reports whether the event websocket is connected.
func (c *Client) Connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws != nil
}

// LastError returns why the last websocket connection attempt or
// connection failed, e.g. an ErrUnauthorized, or nil while connected.
func (c *Client) LastError() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastErr
}

// WaitConnected waits until the event websocket is connected (and its
// event sources subscribed). When ctx ends first, the error wraps
// ErrNotConnected, ctx's error and the last connection error.
func (c *Client) WaitConnected(ctx context.Context) error {
	c.mu.Lock()
	ws, closed, up := c.ws, c.closed, c.up
	c.mu.Unlock()
	switch {
	case ws != nil:
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
		if last := c.LastError(); last != nil {
			return fmt.Errorf("%w: %w (last error: %w)", ErrNotConnected, ctx.Err(), last)
		}
		return fmt.Errorf("%w: %w", ErrNotConnected, ctx.Err())
	}
}

// OnConnect registers f to run after each websocket connection from then
// on, e.g. to re-read endpoints and credentials missed while
// disconnected. Hooks run in registration order on a goroutine of their
// own, one connection at a time.
func (c *Client) OnConnect(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hooks = append(c.hooks, f)
}

// Events returns the channel of websocket events. The websocket reader
// never waits for it: events queue up behind a slow reader (see
// Config.EventBacklog). Events are queued from the first call of Events
// on; the channel is closed when Run returns or Close is called.
func (c *Client) Events() <-chan Event {
	return c.events.Channel()
}

// withTimeout applies Config.Timeout to a context without a deadline.
func (c *Client) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.cfg.Timeout)
}
