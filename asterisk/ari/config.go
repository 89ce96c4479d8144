package ari

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/internal/backoff"
)

// Defaults for the zero fields of Config.
const (
	DefaultURL          = "http://127.0.0.1:8088/ari"
	DefaultApplication  = "phoneprovd"
	DefaultTimeout      = 10 * time.Second
	DefaultMinBackoff   = 500 * time.Millisecond
	DefaultMaxBackoff   = 30 * time.Second
	DefaultMaxInFlight  = 32
	DefaultEventBacklog = 1 << 16
)

// DefaultEventSources is the subscription made after each websocket
// connection when Config.EventSources is nil and SubscribeAll is off.
var DefaultEventSources = []string{"endpoint:PJSIP"}

// Config configures a Client. Zero fields take the defaults above.
type Config struct {
	// URL is ARI's base URL, e.g. http://127.0.0.1:8088/ari (https and
	// wss are used for an https URL). User information in the URL is
	// taken as credentials when Username is empty, and never logged.
	URL string
	// Username and Password are an ari.conf user, sent with HTTP Basic.
	// The password is never logged nor put in an error.
	Username, Password string
	// Application is the Stasis application the event websocket
	// registers; default "phoneprovd".
	Application string
	// SubscribeAll connects with subscribeAll=true. Asterisk then sends
	// every endpoint's ContactStatusChange and PeerStatusChange, but no
	// EndpointStateChange (res/stasis/app.c routes only those two types
	// for the all-endpoints subscription), and no subscription request
	// is made.
	SubscribeAll bool
	// EventSources are subscribed after each websocket connection (POST
	// /applications/{app}/subscription, which needs a user with write
	// access); nil means DefaultEventSources unless SubscribeAll is set.
	EventSources []string
	// Timeout bounds a call whose context has no deadline, and each
	// websocket connection attempt; default 10s.
	Timeout time.Duration
	// MinBackoff and MaxBackoff bound the delay between websocket
	// connection attempts, which doubles from MinBackoff up to
	// MaxBackoff with jitter; defaults 500ms and 30s.
	MinBackoff, MaxBackoff time.Duration
	// MaxInFlight bounds the REST calls running at once, abandoned ones
	// included; further calls wait for a slot within their context.
	// Default 32.
	MaxInFlight int
	// EventBacklog caps the events queued for a slow Events reader; beyond
	// it new events are dropped and counted in a warning. Default 65536.
	EventBacklog int
	// Logger receives the client's logs; nil discards them.
	Logger *slog.Logger
}

// withDefaults returns the config with zero fields set to the defaults.
func (c Config) withDefaults() Config {
	if c.URL == "" {
		c.URL = DefaultURL
	}
	if c.Application == "" {
		c.Application = DefaultApplication
	}
	if c.EventSources == nil && !c.SubscribeAll {
		c.EventSources = DefaultEventSources
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	c.MinBackoff, c.MaxBackoff = backoff.Bounds(c.MinBackoff, c.MaxBackoff, DefaultMinBackoff, DefaultMaxBackoff)
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = DefaultMaxInFlight
	}
	if c.EventBacklog <= 0 {
		c.EventBacklog = DefaultEventBacklog
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// LogValue implements slog.LogValuer without the password.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("url", redactURL(c.URL)),
		slog.String("username", c.Username),
		slog.String("password", redactedValue("password", c.Password)),
		slog.String("application", c.Application),
		slog.Bool("subscribe_all", c.SubscribeAll),
		slog.Any("event_sources", c.EventSources),
	)
}

// String describes the config without the password.
func (c Config) String() string {
	return fmt.Sprintf("ari.Config{URL: %q, Username: %q, Password: %q, Application: %q, SubscribeAll: %v, EventSources: %q}",
		redactURL(c.URL), c.Username, redactedValue("password", c.Password), c.Application, c.SubscribeAll, c.EventSources)
}

// GoString is String, so that %#v does not print the password either.
func (c Config) GoString() string {
	return c.String()
}
