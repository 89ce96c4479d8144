package security

import (
	"context"
	"hash/maphash"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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

// auditShards is how many parts the aggregation is split in, each with its
// lock: requests for different phones, served on different CPUs, then
// rarely take (and move between the CPUs' caches) the same lock.
const auditShards = 16

// auditLog aggregates the sensitive files served.
type auditLog struct {
	log *slog.Logger
	now func() time.Time
	max int // distinct lines per interval

	seed   maphash.Seed // of the shards' hash
	keys   atomic.Int64 // distinct keys in the interval, in every shard
	shards [auditShards]auditShard

	overMu   sync.Mutex
	overflow int // files served past max
	sources  map[netip.Addr]struct{}
}

// auditShard is the part of an interval's lines whose route hashes to it.
type auditShard struct {
	mu      sync.Mutex
	entries map[auditKey]*auditEntry
	order   []auditKey // first-seen order
	total   int64      // files served since the start, for Status
	_       [64]byte   // its own cache line, apart from its neighbours'
}

func newAuditLog(log *slog.Logger, now func() time.Time) *auditLog {
	return &auditLog{log: log, now: now, max: auditMaxKeys, seed: maphash.MakeSeed()}
}

// shard returns the shard of route.
func (a *auditLog) shard(route string) *auditShard {
	return &a.shards[maphash.String(a.seed, route)%auditShards]
}

// record counts one sensitive file served. It allocates only for a key
// not seen yet in the interval.
func (a *auditLog) record(k auditKey, ua string) {
	now := a.now()
	sh := a.shard(k.route)
	sh.mu.Lock()
	sh.total++
	if e := sh.entries[k]; e != nil {
		e.count++
		e.last = now
		sh.mu.Unlock()
		return
	}
	if a.keys.Add(1) > int64(a.max) {
		a.keys.Add(-1)
		sh.mu.Unlock()
		a.overMu.Lock()
		a.overflow++
		if a.sources == nil {
			a.sources = make(map[netip.Addr]struct{})
		}
		if len(a.sources) < a.max {
			a.sources[k.remote] = struct{}{}
		}
		a.overMu.Unlock()
		return
	}
	if sh.entries == nil {
		sh.entries = make(map[auditKey]*auditEntry)
	}
	sh.entries[k] = &auditEntry{ua: clip(ua, maxAuditUA), count: 1, first: now, last: now}
	sh.order = append(sh.order, k)
	sh.mu.Unlock()
}

// served is the number of sensitive files served since the start. It is
// counted in the shards, not in one counter every request would write
// (and move between the CPUs' caches, with what shares its cache line).
func (a *auditLog) served() int64 {
	var n int64
	for i := range a.shards {
		sh := &a.shards[i]
		sh.mu.Lock()
		n += sh.total
		sh.mu.Unlock()
	}
	return n
}

// flush writes the interval's lines, in the order their keys were first
// seen, and starts a new interval.
func (a *auditLog) flush() {
	type line struct {
		k auditKey
		e *auditEntry
	}
	var out []line
	for i := range a.shards {
		sh := &a.shards[i]
		sh.mu.Lock()
		entries, order := sh.entries, sh.order
		sh.entries, sh.order = nil, nil
		a.keys.Add(-int64(len(order)))
		sh.mu.Unlock()
		for _, k := range order {
			out = append(out, line{k, entries[k]})
		}
	}
	a.overMu.Lock()
	overflow, sources := a.overflow, len(a.sources)
	a.overflow, a.sources = 0, nil
	a.overMu.Unlock()
	slices.SortStableFunc(out, func(x, y line) int { return x.e.first.Compare(y.e.first) })
	for _, l := range out {
		k, e := l.k, l.e
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
