// Package live keeps what the running Asterisk knows about the endpoints
// phones use — credentials, caller ID, transport port, endpoint options —
// fetched over AMI or ARI, and answers the engine from memory.
//
// The engine asks for endpoints while it builds a snapshot; the cache
// remembers which ones are wanted, fetches them in the background, and asks
// for a new snapshot when an answer changes: at start, when Asterisk comes
// back, on ContactStatus/Reload/FullyBooted events and on a periodic
// refresh. Nothing is fetched on a phone's request. When Asterisk is down
// the last known values keep serving.
package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// Backend is one way of asking the PBX: AMI or ARI.
type Backend interface {
	// Name is "ami" or "ari".
	Name() string
	// Connected reports whether the backend can answer now.
	Connected() bool
	// Lookup fetches an endpoint; ok is false when the PBX has none.
	Lookup(ctx context.Context, name string) (ep provider.LiveEndpoint, ok bool, err error)
	// Refresh delivers names of endpoints to fetch again, "" for all of
	// them (after a reconnect, a reload of the PBX).
	Refresh() <-chan string
	// Failure says why the backend is not connected; nil while it is (or
	// before its first attempt).
	Failure() *Failure
}

// Failure is why talking to Asterisk failed. Message never holds a secret.
type Failure struct {
	Backend string `json:"source"` // "ami" or "ari"
	// Cause is what happened in a few words: "authentication failed",
	// "timeout", "connection refused", "host unreachable", …
	Cause   string    `json:"cause"`
	Message string    `json:"message"`
	At      time.Time `json:"at"`
}

// Config configures a Cache.
type Config struct {
	Backends []Backend
	// Changed is called (from one goroutine, one call at a time) when
	// what the PBX says about a wanted endpoint changed; the daemon
	// reloads the snapshot.
	Changed func(reason string)
	// Timeout bounds each lookup (default 10 s); Refresh is the period of
	// the safety-net refresh of every wanted endpoint (default 5 min).
	Timeout time.Duration
	Refresh time.Duration
	Logger  *slog.Logger
}

// Cache answers provider.LiveData from memory.
type Cache struct {
	cfg  Config
	log  *slog.Logger
	kick chan struct{} // something wanted is unknown

	mu      sync.RWMutex
	known   map[string]answer
	wanted  map[string]bool
	fetched time.Time
	lastErr *Failure // the last failed lookup, cleared by a successful one
}

type answer struct {
	ep    provider.LiveEndpoint
	found bool
	from  string
	at    time.Time
}

// New returns a Cache; Run fetches.
func New(cfg Config) *Cache {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = 5 * time.Minute
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Cache{cfg: cfg, log: log, kick: make(chan struct{}, 1),
		known: make(map[string]answer), wanted: make(map[string]bool)}
}

// Endpoint implements provider.LiveData: it answers from memory and
// remembers that name is wanted, so that Run fetches it.
func (c *Cache) Endpoint(name string) (provider.LiveEndpoint, bool) {
	ep, found, _ := c.endpoint(name)
	return ep, found
}

// endpoint answers for name from memory: the endpoint, whether the PBX
// has it, and whether the PBX answered about it at all yet (read at once).
func (c *Cache) endpoint(name string) (provider.LiveEndpoint, bool, bool) {
	c.mu.RLock()
	a, known := c.known[name]
	wanted := c.wanted[name]
	c.mu.RUnlock()
	if !wanted {
		c.mu.Lock()
		c.wanted[name] = true
		c.mu.Unlock()
	}
	if !known {
		select {
		case c.kick <- struct{}{}:
		default:
		}
	}
	return a.ep, a.found, known
}

// EndpointAnswer implements provider.LiveAnswers: Endpoint, and whether
// the PBX has answered about name yet.
func (c *Cache) EndpointAnswer(name string) (provider.LiveEndpoint, bool, bool) {
	return c.endpoint(name)
}

// Run fetches until ctx is done.
func (c *Cache) Run(ctx context.Context) error {
	refresh := make(chan string, 64)
	for _, s := range c.cfg.Backends {
		go func(s Backend) {
			for {
				select {
				case <-ctx.Done():
					return
				case name, ok := <-s.Refresh():
					if !ok {
						return
					}
					select {
					case refresh <- name:
					case <-ctx.Done():
						return
					}
				}
			}
		}(s)
	}
	tick := time.NewTicker(c.cfg.Refresh)
	defer tick.Stop()
	for {
		var names map[string]bool // nil: all wanted
		all := false
		select {
		case <-ctx.Done():
			return nil
		case <-c.kick:
			names = c.unknown()
		case name := <-refresh:
			names = map[string]bool{}
			if name == "" {
				all = true
			} else {
				names[name] = true
			}
			// Coalesce a burst of events into one pass.
			for drained := false; !drained; {
				select {
				case n := <-refresh:
					if n == "" {
						all = true
					} else {
						names[n] = true
					}
				default:
					drained = true
				}
			}
		case <-tick.C:
			all = true
		}
		if all {
			names = c.wantedNames()
		}
		if changed := c.fetch(ctx, names); len(changed) > 0 && c.cfg.Changed != nil {
			c.cfg.Changed(reason(changed))
		}
	}
}

// fetch asks the backends about names (only those wanted) and returns the
// names whose answer changed.
func (c *Cache) fetch(ctx context.Context, names map[string]bool) []string {
	var changed []string
	for name := range names {
		c.mu.RLock()
		wanted := c.wanted[name]
		c.mu.RUnlock()
		if !wanted {
			continue
		}
		a, f := c.lookup(ctx, name)
		if f != nil {
			c.mu.Lock()
			c.lastErr = f
			c.mu.Unlock()
			c.log.Warn("cannot look the endpoint up in Asterisk; keeping the last known values", "endpoint", name,
				"cause", f.Cause, "error", f.Message)
			continue
		}
		c.mu.Lock()
		c.lastErr = nil
		prev, had := c.known[name]
		c.known[name] = a
		c.fetched = a.at
		c.mu.Unlock()
		if !had && !a.found {
			continue // still nothing to say about it
		}
		if !had || prev.found != a.found || !prev.ep.Equal(a.ep) {
			changed = append(changed, name)
		}
	}
	sort.Strings(changed)
	return changed
}

// lookup asks the first connected backend that answers; it says why none
// did otherwise.
func (c *Cache) lookup(ctx context.Context, name string) (answer, *Failure) {
	var failed *Failure
	for _, s := range c.cfg.Backends {
		if !s.Connected() {
			continue
		}
		lctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		ep, ok, err := s.Lookup(lctx, name)
		cancel()
		if err != nil {
			failed = &Failure{Backend: s.Name(), Cause: lookupCause(err), Message: fmt.Sprintf("%s: looking up endpoint %s: %v", s.Name(), name, err), At: time.Now()}
			continue
		}
		return answer{ep: ep, found: ok, from: s.Name(), at: time.Now()}, nil
	}
	if failed == nil {
		failed = c.backendFailure()
	}
	return answer{}, failed
}

// lookupCause names why a lookup on a connected backend failed.
func lookupCause(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	return "error"
}

// backendFailure is why no backend is connected: the most recent failure
// of one of them.
func (c *Cache) backendFailure() *Failure {
	var last *Failure
	for _, s := range c.cfg.Backends {
		if f := s.Failure(); f != nil && (last == nil || f.At.After(last.At)) {
			last = f
		}
	}
	if last == nil {
		return &Failure{Cause: "not connected yet", Message: "Asterisk has not answered yet", At: time.Now()}
	}
	return last
}

func (c *Cache) unknown() map[string]bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]bool)
	for n := range c.wanted {
		if _, ok := c.known[n]; !ok {
			out[n] = true
		}
	}
	return out
}

func (c *Cache) wantedNames() map[string]bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]bool, len(c.wanted))
	for n := range c.wanted {
		out[n] = true
	}
	return out
}

func reason(changed []string) string {
	if len(changed) == 1 {
		return "Asterisk: endpoint " + changed[0] + " changed"
	}
	if len(changed) > 5 {
		return fmt.Sprintf("Asterisk: %d endpoints changed", len(changed))
	}
	return fmt.Sprintf("Asterisk: endpoints %v changed", changed)
}

// Status is the cache's part of /status.
type Status struct {
	Backends []BackendStatus `json:"sources"`
	Wanted   int             `json:"endpoints_wanted"`
	Known    int             `json:"endpoints_known"`
	Fetched  time.Time       `json:"last_fetch,omitzero"`
	// LastError is why Asterisk cannot be asked: while no backend is
	// connected, the latest connection failure; else the last failed
	// lookup. It is cleared by a successful connection or lookup.
	LastError *Failure `json:"last_error,omitempty"`
	// Stale is true when no backend is connected: the values served are
	// the last ones Asterisk gave.
	Stale bool `json:"serving_last_known_values"`
}

// BackendStatus is one backend's state. (The JSON keeps the name
// "sources" that /status has always used.)
type BackendStatus struct {
	Name      string `json:"name"`
	Connected bool   `json:"connected"`
	// LastError is why it is not connected (nil while it is).
	LastError *Failure `json:"last_error,omitempty"`
}

// Status reports the cache's state.
func (c *Cache) Status() Status {
	c.mu.RLock()
	defer c.mu.RUnlock()
	st := Status{Wanted: len(c.wanted), Fetched: c.fetched, LastError: c.lastErr, Stale: true}
	for _, a := range c.known {
		if a.found {
			st.Known++
		}
	}
	for _, s := range c.cfg.Backends {
		ss := BackendStatus{Name: s.Name(), Connected: s.Connected()}
		if ss.Connected {
			st.Stale = false
		} else {
			ss.LastError = s.Failure()
		}
		st.Backends = append(st.Backends, ss)
	}
	if st.Stale {
		st.LastError = nil
		for _, s := range st.Backends {
			if f := s.LastError; f != nil && (st.LastError == nil || f.At.After(st.LastError.At)) {
				st.LastError = f
			}
		}
	}
	return st
}
