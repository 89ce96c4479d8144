package ami

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/internal/backoff"
)

// Defaults for the zero fields of Config.
const (
	DefaultAddr          = "127.0.0.1:5038"
	DefaultActionTimeout = 10 * time.Second
	DefaultMinBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff    = 30 * time.Second
	DefaultListAttempts  = 3
	DefaultEventBacklog  = 1 << 16
)

// Config configures a Client. Zero fields take the defaults above.
type Config struct {
	// Addr is the manager's host:port; default 127.0.0.1:5038.
	Addr string
	// Username and Secret are a manager.conf user. The secret is never
	// logged nor put in an error.
	Username string
	Secret   string
	// MD5 logs in with the challenge/response exchange (Action: Challenge,
	// then Login with Key: md5(challenge+secret)), so the secret never
	// crosses the network.
	MD5 bool
	// Events is the Events: header of the login, e.g. "system" or "off";
	// empty sends none, so the user's read= classes apply.
	Events string
	// ActionTimeout bounds an action whose context has no deadline, and
	// the connection and login; default 10s.
	ActionTimeout time.Duration
	// MinBackoff and MaxBackoff bound the delay between reconnection
	// attempts, which doubles from MinBackoff up to MaxBackoff with
	// jitter; defaults 500ms and 30s.
	MinBackoff, MaxBackoff time.Duration
	// ListAttempts is how often List sends a list action whose events do
	// not add up to its ListItems, or whose connection dropped; default 3.
	ListAttempts int
	// EventBacklog caps the events queued for a slow Events reader; beyond
	// it new events are dropped and counted in a warning. Default 65536.
	EventBacklog int
	// Logger receives the client's logs; nil discards them.
	Logger *slog.Logger
}

// withDefaults returns the config with zero fields set to the defaults.
func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.ActionTimeout <= 0 {
		c.ActionTimeout = DefaultActionTimeout
	}
	c.MinBackoff, c.MaxBackoff = backoff.Bounds(c.MinBackoff, c.MaxBackoff, DefaultMinBackoff, DefaultMaxBackoff)
	if c.ListAttempts <= 0 {
		c.ListAttempts = DefaultListAttempts
	}
	if c.EventBacklog <= 0 {
		c.EventBacklog = DefaultEventBacklog
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// LogValue implements slog.LogValuer without the secret.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("username", c.Username),
		slog.String("secret", redactedValue("secret", c.Secret)),
		slog.Bool("md5", c.MD5),
		slog.String("events", c.Events),
	)
}

// String describes the config without the secret.
func (c Config) String() string {
	return fmt.Sprintf("ami.Config{Addr: %q, Username: %q, Secret: %q, MD5: %v, Events: %q}",
		c.Addr, c.Username, redactedValue("secret", c.Secret), c.MD5, c.Events)
}

// GoString is String, so that %#v does not print the secret either.
func (c Config) GoString() string {
	return c.String()
}
