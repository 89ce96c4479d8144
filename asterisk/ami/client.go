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
	"sync/atomic"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/internal/backlog"
	"github.com/phoneprovd/phoneprovd/asterisk/internal/backoff"
	"github.com/phoneprovd/phoneprovd/asterisk/internal/cause"
	"github.com/phoneprovd/phoneprovd/asterisk/internal/lifecycle"
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
	sup      *lifecycle.Supervisor[*conn] // the logged-in connection, Run and Close
}

// New returns a client for cfg. It does nothing until Run.
func New(cfg Config) *Client {
	cfg = cfg.withDefaults()
	c := &Client{
		cfg:      cfg,
		log:      cfg.Logger,
		idPrefix: rand.Text()[:10] + "-",
		events:   backlog.New[Message]("ami", cfg.EventBacklog, cfg.Logger),
	}
	c.sup = lifecycle.New(lifecycle.Config[*conn]{
		Name:            "ami",
		ErrClosed:       ErrClosed,
		ErrNotConnected: ErrNotConnected,
		Up: func(cn *conn) {
			c.log.Info("ami: connected", "addr", c.cfg.Addr, "username", c.cfg.Username, "ami_version", cn.version)
		},
		Release: c.events.Close,
	})
	return c
}

// Run connects and keeps the session up until ctx is done or Close is
// called. It returns ctx's error, or nil after Close. Run may be called
// once; it closes the Events channel when it returns.
func (c *Client) Run(ctx context.Context) error {
	return c.sup.Run(ctx, func(ctx context.Context) {
		backoff.Reconnect(ctx, c.cfg.MinBackoff, c.cfg.MaxBackoff, c.session,
			func(err error, connected bool, attempt int, delay time.Duration) {
				msg := "ami: connect failed"
				if connected {
					msg = "ami: connection lost"
				}
				c.log.Warn(msg, "addr", c.cfg.Addr, "err", err, "attempt", attempt, "retry_in", delay)
			})
	})
}

// session connects, logs in and serves one connection until it ends.
func (c *Client) session(ctx context.Context) (connected bool, err error) {
	cn, err := c.connect(ctx)
	if err != nil {
		c.sup.SetLastError(err)
		return false, err
	}
	c.sup.SetConn(cn)
	select {
	case <-cn.done:
	case <-ctx.Done():
		cn.close(ErrClosed)
	}
	err = cn.err()
	c.sup.ClearConn(cn, err)
	return true, err
}

// Close stops Run, closes the connection and the Events channel, and
// waits for Run to return. It is safe to call at any time, more than once.
func (c *Client) Close() error {
	c.sup.Close()
	return nil
}

// connect dials, reads the banner and logs in, within ActionTimeout.
func (c *Client) connect(ctx context.Context) (*conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.ActionTimeout)
	defer cancel()
	cn, err := dialConn(ctx, c.cfg.Addr, c.cfg.ActionTimeout, c.idPrefix, c.log, c.events.Push, c.sup.ClearConn)
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
// challenge (docs/asterisk.md#wire-format-and-login). Errors never
// contain the secret.
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

// Connected reports whether a session is logged in.
func (c *Client) Connected() bool {
	return c.sup.Connected()
}

// LastError returns why the last connection attempt or session failed,
// e.g. an ErrAuthFailed, or nil while connected.
func (c *Client) LastError() error {
	return c.sup.LastError()
}

// WaitConnected waits until a session is logged in. When ctx ends first,
// the error wraps ErrNotConnected, ctx's error and the last connection
// error (errors.Is works on each).
func (c *Client) WaitConnected(ctx context.Context) error {
	return c.sup.WaitConnected(ctx)
}

// OnConnect registers f to run after each successful login from then on,
// e.g. to resynchronize state missed while disconnected. Hooks run in
// registration order on a goroutine of their own, one login at a time.
func (c *Client) OnConnect(f func()) {
	c.sup.OnConnect(f)
}

// Events returns the channel of events (messages with an Event field that
// are not part of a list reply). The connection reader never waits for
// it: events queue up behind a slow reader (see Config.EventBacklog).
// Events are queued from the first call of Events on; the channel is
// closed when Run returns or Close is called.
func (c *Client) Events() <-chan Message {
	return c.events.Channel()
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

// Failure says why the client is not connected: the cause in a few words
// ("authentication failed", "timeout", "connection refused", …), the error
// (which never holds the secret) and when it happened. It is the zero
// Failure while connected, and before the first attempt.
func (c *Client) Failure() Failure {
	err, at := c.sup.LastFailure()
	if err == nil {
		return Failure{}
	}
	return Failure{Cause: cause.Of(err, ErrAuthFailed, ErrProtocol), Err: err, At: at}
}

// Failure is why a connection failed.
type Failure struct {
	Cause string
	Err   error
	At    time.Time
}
