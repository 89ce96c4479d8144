package security

import (
	"container/list"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// scanTracker counts, per source, the distinct unknown MACs it asked for
// and its failed authentications inside a sliding window, and bans a
// source whose count goes over the threshold. Memory is bounded: at most
// limit sources are tracked, the least recently active is forgotten first,
// and a source keeps at most threshold+1 events.
type scanTracker struct {
	threshold int
	window    time.Duration
	banTime   time.Duration
	limit     int

	mu      sync.Mutex
	sources map[netip.Prefix]*list.Element // values are *scanSource
	lru     *list.List                     // front: most recently active
	// withBan counts the sources whose bannedUntil is set (a ban that
	// may have expired since), so that a request, when none is, is let
	// through without the lock or the time (anyBan).
	withBan atomic.Int64
}

// scanSource is one tracked source.
type scanSource struct {
	key         netip.Prefix
	macs        []macSighting // distinct unknown MACs, oldest sighting first
	fails       []time.Time   // failed authentications, oldest first
	bannedUntil time.Time     // zero when not banned
	banMACs     int           // what the source had done when banned
	banFails    int
}

// macSighting is one unknown MAC and when it was last asked for.
type macSighting struct {
	mac [6]byte
	at  time.Time
}

// banEvent describes a ban just imposed, for the log.
type banEvent struct {
	source      netip.Prefix
	macs, fails int
	until       time.Time
}

func newScanTracker(threshold int, window, banTime time.Duration, limit int) *scanTracker {
	return &scanTracker{
		threshold: threshold,
		window:    window,
		banTime:   banTime,
		limit:     limit,
		sources:   make(map[netip.Prefix]*list.Element),
		lru:       list.New(),
	}
}

// configure changes the tracker's parameters; a smaller limit forgets the
// least recently active sources at once.
func (t *scanTracker) configure(threshold int, window, banTime time.Duration, limit int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.threshold, t.window, t.banTime, t.limit = threshold, window, banTime, limit
	for t.lru.Len() > t.limit {
		t.forget(t.lru.Back())
	}
}

// forget stops tracking the source of e.
func (t *scanTracker) forget(e *list.Element) {
	s := e.Value.(*scanSource)
	if !s.bannedUntil.IsZero() {
		t.withBan.Add(-1)
	}
	t.lru.Remove(e)
	delete(t.sources, s.key)
}

// anyBan reports whether a source may be banned; false means none is.
func (t *scanTracker) anyBan() bool { return t.withBan.Load() > 0 }

// banned reports whether key is banned at now. A banned source that keeps
// asking stays tracked; an unbanned one is not added.
func (t *scanTracker) banned(key netip.Prefix, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.sources[key]
	if e == nil {
		return false
	}
	s := e.Value.(*scanSource)
	if !t.isBanned(s, now) {
		return false
	}
	t.lru.MoveToFront(e)
	return true
}

// unknownMAC records that key asked for a name carrying mac, which no
// phone has. It reports whether key is banned (already, or from now on,
// in which case ev describes the new ban).
func (t *scanTracker) unknownMAC(key netip.Prefix, mac [6]byte, now time.Time) (banned bool, ev *banEvent) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.source(key)
	if t.isBanned(s, now) {
		return true, nil
	}
	s.prune(now.Add(-t.window))
	for i, m := range s.macs {
		if m.mac == mac {
			// Seen again: it counts once, from its latest sighting.
			copy(s.macs[i:], s.macs[i+1:])
			s.macs[len(s.macs)-1] = macSighting{mac, now}
			return false, nil
		}
	}
	s.macs = append(s.macs, macSighting{mac, now})
	return t.check(s, now)
}

// failure records a failed authentication by key.
func (t *scanTracker) failure(key netip.Prefix, now time.Time) (banned bool, ev *banEvent) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.source(key)
	if t.isBanned(s, now) {
		return true, nil
	}
	s.prune(now.Add(-t.window))
	s.fails = append(s.fails, now)
	return t.check(s, now)
}

// check bans s when its count is over the threshold.
func (t *scanTracker) check(s *scanSource, now time.Time) (bool, *banEvent) {
	if len(s.macs)+len(s.fails) <= t.threshold {
		return false, nil
	}
	s.bannedUntil = now.Add(t.banTime) // not banned before: see the callers
	t.withBan.Add(1)
	s.banMACs, s.banFails = len(s.macs), len(s.fails)
	s.macs, s.fails = nil, nil
	return true, &banEvent{source: s.key, macs: s.banMACs, fails: s.banFails, until: s.bannedUntil}
}

// source returns key's record, made most recently active, creating it and
// forgetting the least recently active source when the table is full.
func (t *scanTracker) source(key netip.Prefix) *scanSource {
	if e := t.sources[key]; e != nil {
		t.lru.MoveToFront(e)
		return e.Value.(*scanSource)
	}
	for t.lru.Len() >= t.limit {
		t.forget(t.lru.Back())
	}
	s := &scanSource{key: key}
	t.sources[key] = t.lru.PushFront(s)
	return s
}

// isBanned reports whether s is banned at now, lifting an expired ban.
func (t *scanTracker) isBanned(s *scanSource, now time.Time) bool {
	if s.bannedUntil.IsZero() {
		return false
	}
	if now.Before(s.bannedUntil) {
		return true
	}
	t.lift(s)
	return false
}

// lift ends the ban of s.
func (t *scanTracker) lift(s *scanSource) {
	s.bannedUntil = time.Time{}
	t.withBan.Add(-1)
}

// prune drops the events at or before cutoff.
func (s *scanSource) prune(cutoff time.Time) {
	i := 0
	for i < len(s.macs) && !s.macs[i].at.After(cutoff) {
		i++
	}
	s.macs = s.macs[i:]
	i = 0
	for i < len(s.fails) && !s.fails[i].After(cutoff) {
		i++
	}
	s.fails = s.fails[i:]
}

// unban lifts the bans of the sources match selects (nil: every source)
// and returns them.
func (t *scanTracker) unban(match func(netip.Prefix) bool, now time.Time) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for e := t.lru.Front(); e != nil; e = e.Next() {
		s := e.Value.(*scanSource)
		if t.isBanned(s, now) && (match == nil || match(s.key)) {
			t.lift(s)
			s.macs, s.fails = nil, nil
			out = append(out, prefixString(s.key))
		}
	}
	return out
}

// Ban is one banned source, as Status reports it.
type Ban struct {
	Source       string    `json:"source"`
	Until        time.Time `json:"until"`
	UnknownMACs  int       `json:"unknown_macs"`
	AuthFailures int       `json:"auth_failures"`
}

// bans lists the sources banned at now, most recently active first.
func (t *scanTracker) bans(now time.Time) []Ban {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := []Ban{}
	for e := t.lru.Front(); e != nil; e = e.Next() {
		s := e.Value.(*scanSource)
		if t.isBanned(s, now) {
			out = append(out, Ban{Source: prefixString(s.key), Until: s.bannedUntil, UnknownMACs: s.banMACs, AuthFailures: s.banFails})
		}
	}
	return out
}

// tracked is the number of sources tracked.
func (t *scanTracker) tracked() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lru.Len()
}
