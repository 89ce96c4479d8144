package security

import (
	"container/list"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Layout of a nonce before base64: issue time (Unix nanoseconds), random
// bytes, and a truncated HMAC of both under the Guard's key.
const (
	nonceTimeLen   = 8
	nonceRandomLen = 12
	nonceMACLen    = 16
	nonceLen       = nonceTimeLen + nonceRandomLen + nonceMACLen
)

// nonces mints and checks digest nonces and remembers, for each nonce in
// use, which nonce counts it has accepted (RFC 7616 §3.3: a server should
// refuse a repeated nc for a nonce). Nonces are stateless until their first
// successful use, so unauthenticated clients cannot fill the table; it
// holds at most limit nonces.
type nonces struct {
	key      [32]byte
	lifetime atomic.Int64 // a time.Duration
	limit    int          // under mu

	mu      sync.Mutex
	used    map[string]*list.Element // values are *nonceUse
	order   *list.List               // front: most recently first used
	evicted time.Time                // latest issue time of a forgotten nonce
}

// nonceUse is the nonce counts accepted for one nonce: the highest, and a
// bitmap of the 64 below and including it, so requests a phone sends on
// parallel connections may arrive out of order.
type nonceUse struct {
	nonce  string
	issued time.Time
	max    uint32
	seen   uint64 // bit i: max-i was accepted
}

func newNonces(lifetime time.Duration, limit int) (*nonces, error) {
	n := &nonces{limit: limit, used: make(map[string]*list.Element), order: list.New()}
	n.lifetime.Store(int64(lifetime))
	if _, err := rand.Read(n.key[:]); err != nil {
		return nil, err
	}
	return n, nil
}

// configure changes how long nonces are valid and how many are
// remembered; the key stays, so nonces already issued remain ours.
func (n *nonces) configure(lifetime time.Duration, limit int) {
	n.lifetime.Store(int64(lifetime))
	n.mu.Lock()
	n.limit = limit
	for n.order.Len() > n.limit {
		n.forget(n.order.Back())
	}
	n.mu.Unlock()
}

// mint returns a fresh nonce issued at now.
func (n *nonces) mint(now time.Time) string {
	var b [nonceLen]byte
	binary.BigEndian.PutUint64(b[:nonceTimeLen], uint64(now.UnixNano()))
	rand.Read(b[nonceTimeLen : nonceTimeLen+nonceRandomLen])
	copy(b[nonceTimeLen+nonceRandomLen:], n.sum(b[:nonceTimeLen+nonceRandomLen]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (n *nonces) sum(b []byte) []byte {
	m := hmac.New(sha256.New, n.key[:])
	m.Write(b)
	return m.Sum(nil)[:nonceMACLen]
}

// Results of nonces.check.
type nonceState int

const (
	nonceValid   nonceState = iota
	nonceStale              // ours, but expired (or its counts were forgotten)
	nonceUnknown            // not minted by this Guard
)

// check reports whether nonce was minted here and is still valid at now,
// and when it was issued.
func (n *nonces) check(nonce string, now time.Time) (nonceState, time.Time) {
	if len(nonce) != base64.RawURLEncoding.EncodedLen(nonceLen) {
		return nonceUnknown, time.Time{}
	}
	var b [nonceLen]byte
	if _, err := base64.RawURLEncoding.Decode(b[:], []byte(nonce)); err != nil {
		return nonceUnknown, time.Time{}
	}
	if !hmac.Equal(b[nonceTimeLen+nonceRandomLen:], n.sum(b[:nonceTimeLen+nonceRandomLen])) {
		return nonceUnknown, time.Time{}
	}
	issued := time.Unix(0, int64(binary.BigEndian.Uint64(b[:nonceTimeLen])))
	if now.Before(issued) || now.Sub(issued) >= time.Duration(n.lifetime.Load()) {
		return nonceStale, issued
	}
	return nonceValid, issued
}

// Results of nonces.accept.
type countResult int

const (
	countAccepted  countResult = iota
	countReplayed              // this nc was already accepted, or is too old to tell
	countForgotten             // the nonce's counts were evicted: treat it as stale
)

// accept records nc for a valid nonce issued at issued, once the request's
// credentials have checked out.
func (n *nonces) accept(nonce string, issued time.Time, nc uint32, now time.Time) countResult {
	n.mu.Lock()
	defer n.mu.Unlock()
	e := n.used[nonce]
	if e == nil {
		if !issued.After(n.evicted) {
			// Its counts may have been forgotten: accepting it could
			// accept a replay.
			return countForgotten
		}
		n.expire(now)
		for n.order.Len() >= n.limit {
			n.forget(n.order.Back())
		}
		u := &nonceUse{nonce: nonce, issued: issued, max: nc, seen: 1}
		n.used[nonce] = n.order.PushFront(u)
		return countAccepted
	}
	u := e.Value.(*nonceUse)
	switch {
	case nc > u.max:
		shift := nc - u.max
		if shift >= 64 {
			u.seen = 0
		} else {
			u.seen <<= shift
		}
		u.seen |= 1
		u.max = nc
	case u.max-nc >= 64:
		return countReplayed
	default:
		bit := uint64(1) << (u.max - nc)
		if u.seen&bit != 0 {
			return countReplayed
		}
		u.seen |= bit
	}
	return countAccepted
}

// expire forgets, from the oldest first use on, the nonces no longer
// valid, stopping at the first valid one: a nonce is first used soon after
// it is issued, so the order is nearly the issue order, and a straggler
// goes when the table is full. An expired nonce is refused as stale by its
// time alone. Caller holds mu.
func (n *nonces) expire(now time.Time) {
	for e := n.order.Back(); e != nil; e = n.order.Back() {
		u := e.Value.(*nonceUse)
		if now.Sub(u.issued) < time.Duration(n.lifetime.Load()) {
			return
		}
		n.order.Remove(e)
		delete(n.used, u.nonce)
	}
}

// forget drops e, remembering its issue time so that older nonces without
// counts are not taken for fresh ones. Caller holds mu.
func (n *nonces) forget(e *list.Element) {
	u := e.Value.(*nonceUse)
	n.order.Remove(e)
	delete(n.used, u.nonce)
	if u.issued.After(n.evicted) {
		n.evicted = u.issued
	}
}

// inUse is the number of nonces whose counts are remembered.
func (n *nonces) inUse() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.order.Len()
}

// parseNC reads a nonce count: exactly 8 hex digits, not zero.
func parseNC(s string) (uint32, bool) {
	if len(s) != 8 {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil || v == 0 {
		return 0, false
	}
	return uint32(v), true
}
