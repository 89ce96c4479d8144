package ari

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/CyCoreSystems/ari/v6/client/native"
	"golang.org/x/net/websocket"

	"github.com/phoneprovd/phoneprovd/asterisk/internal/backlog"
	"github.com/phoneprovd/phoneprovd/asterisk/internal/backoff"
	"github.com/phoneprovd/phoneprovd/asterisk/internal/cause"
	"github.com/phoneprovd/phoneprovd/asterisk/internal/lifecycle"
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
	sup      *lifecycle.Supervisor[*websocket.Conn] // the event websocket, Run and Close
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
	}
	c.sup = lifecycle.New(lifecycle.Config[*websocket.Conn]{
		Name:            "ari",
		ErrClosed:       ErrClosed,
		ErrNotConnected: ErrNotConnected,
		Up: func(*websocket.Conn) {
			c.log.Info("ari: events connected", "url", redactURL(c.base), "username", c.cfg.Username,
				"application", c.cfg.Application)
		},
		Release: func() {
			c.events.Close()
			c.http.CloseIdleConnections()
		},
	})
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
	return c.sup.Run(ctx, func(ctx context.Context) {
		backoff.Reconnect(ctx, c.cfg.MinBackoff, c.cfg.MaxBackoff, c.session,
			func(err error, connected bool, attempt int, delay time.Duration) {
				msg := "ari: websocket connect failed"
				if connected {
					msg = "ari: websocket lost"
				}
				c.log.Warn(msg, "url", redactURL(c.base), "err", err, "attempt", attempt, "retry_in", delay)
			})
	})
}

// session opens the event websocket and reads it until it ends.
func (c *Client) session(ctx context.Context) (connected bool, err error) {
	ws, err := c.connect(ctx)
	if err != nil {
		c.sup.SetLastError(err)
		return false, err
	}
	c.sup.SetConn(ws)
	err = c.readEvents(ctx, ws)
	c.sup.ClearConn(ws, err)
	return true, err
}

// Close stops Run, closes the websocket and the Events channel, and waits
// for Run to return. Later calls fail with ErrClosed. It is safe to call
// at any time, more than once.
func (c *Client) Close() error {
	c.sup.Close()
	return nil
}

// Connected reports whether the event websocket is connected.
func (c *Client) Connected() bool {
	return c.sup.Connected()
}

// LastError returns why the last websocket connection attempt or
// connection failed, e.g. an ErrUnauthorized, or nil while connected.
func (c *Client) LastError() error {
	return c.sup.LastError()
}

// WaitConnected waits until the event websocket is connected (and its
// event sources subscribed). When ctx ends first, the error wraps
// ErrNotConnected, ctx's error and the last connection error.
func (c *Client) WaitConnected(ctx context.Context) error {
	return c.sup.WaitConnected(ctx)
}

// OnConnect registers f to run after each websocket connection from then
// on, e.g. to re-read endpoints and credentials missed while
// disconnected. Hooks run in registration order on a goroutine of their
// own, one connection at a time.
func (c *Client) OnConnect(f func()) {
	c.sup.OnConnect(f)
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

// Failure says why the event websocket is not connected: the cause in a
// few words ("authentication failed", "timeout", "connection refused",
// …), the error (which never holds the password) and when it happened. It
// is the zero Failure while connected, and before the first attempt.
func (c *Client) Failure() Failure {
	err, at := c.sup.LastFailure()
	if err == nil {
		return Failure{}
	}
	return Failure{Cause: cause.Of(err, ErrUnauthorized, nil), Err: err, At: at}
}

// Failure is why a connection failed.
type Failure struct {
	Cause string
	Err   error
	At    time.Time
}
