package security

import (
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// The audit log records who fetched which phone's secrets. A line per
// request let a boot storm or a scanner write hundreds of megabytes a
// minute (a 5-second load wrote 52 MB), so the audit is aggregated: one
// line per phone, route, source, protocol, method and authentication per
// interval, with how many times and when first and last, written at the
// end of the interval (and when phoneprovd stops). At most auditMaxKeys
// distinct lines are kept per interval; the rest are counted in one line.

// maxAuditUA is how much of a User-Agent the audit log keeps.
const maxAuditUA = 256

// Defaults of the audit aggregation.
const (
	DefaultAuditInterval = time.Minute
	auditMaxKeys         = 10000
)

// auditKey is what one audit line is about.
type auditKey struct {
	proto, method, auth, mac, route string
	remote                          netip.Addr
}

// auditEntry is what was seen of one key in the interval.
type auditEntry struct {
	ua          string // the first User-Agent seen
	count       int
	first, last time.Time
}

// auditLog aggregates the sensitive files served.
type auditLog struct {
	log *slog.Logger
	now func() time.Time
	max int // distinct lines per interval

	mu       sync.Mutex
	entries  map[auditKey]*auditEntry
	order    []auditKey // first-seen order, so lines come out in it
	overflow int        // files served past auditMaxKeys
	sources  map[netip.Addr]struct{}
}

func newAuditLog(log *slog.Logger, now func() time.Time) *auditLog {
	return &auditLog{log: log, now: now, max: auditMaxKeys, entries: make(map[auditKey]*auditEntry)}
}

// record counts one sensitive file served. It allocates only for a key
// not seen yet in the interval.
func (a *auditLog) record(k auditKey, ua string) {
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if e := a.entries[k]; e != nil {
		e.count++
		e.last = now
		return
	}
	if len(a.entries) >= a.max {
		a.overflow++
		if a.sources == nil {
			a.sources = make(map[netip.Addr]struct{})
		}
		if len(a.sources) < a.max {
			a.sources[k.remote] = struct{}{}
		}
		return
	}
	a.entries[k] = &auditEntry{ua: clip(ua, maxAuditUA), count: 1, first: now, last: now}
	a.order = append(a.order, k)
}

// flush writes the interval's lines and starts a new interval.
func (a *auditLog) flush() {
	a.mu.Lock()
	entries, order, overflow, sources := a.entries, a.order, a.overflow, len(a.sources)
	a.entries, a.order, a.overflow, a.sources = make(map[auditKey]*auditEntry, len(entries)), nil, 0, nil
	a.mu.Unlock()
	for _, k := range order {
		e := entries[k]
		a.log.Info("sensitive file served",
			"audit", true,
			"proto", k.proto,
			"method", k.method,
			"mac", k.mac,
			"route", k.route,
			"remote", k.remote.String(),
			"ua", e.ua,
			"auth", k.auth,
			"count", e.count,
			"first", e.first.UTC().Format(time.RFC3339Nano),
			"last", e.last.UTC().Format(time.RFC3339Nano))
	}
	if overflow > 0 {
		a.log.Warn("sensitive files served past the audit's capacity for one interval", "audit", true,
			"count", overflow, "sources", sources, "capacity", a.max)
	}
}

// audit records one sensitive file let through: who (address, User-Agent,
// how authenticated), which phone and which route. Never the body.
func (g *Guard) audit(proto, method, mac, route string, remote netip.Addr, ua, auth string) {
	g.counters.servedSensitive.Add(1)
	g.auditLog.record(auditKey{proto: proto, method: method, auth: auth, mac: mac, route: route, remote: remote}, ua)
}

// FlushAudit writes the audit lines aggregated so far.
func (g *Guard) FlushAudit() { g.auditLog.flush() }

// RunAudit writes the aggregated audit lines every AuditInterval until ctx
// ends, and once more then.
func (g *Guard) RunAudit(ctx context.Context) {
	every := g.r().cfg.AuditInterval
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			g.auditLog.flush()
			return
		case <-t.C:
			g.auditLog.flush()
			if now := g.r().cfg.AuditInterval; now != every { // Reconfigure
				every = now
				t.Reset(every)
			}
		}
	}
}

// clip cuts s to at most n bytes and drops invalid UTF-8, including a
// sequence the cut split.
func clip(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}
