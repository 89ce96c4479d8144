// Package resync makes phones whose configuration changed fetch it again:
// it sends each of them a SIP NOTIFY (check-sync, or the vendor's event)
// through Asterisk, paced and deduplicated, and counts a re-sync as done
// only when the phone then fetches one of its files with the new content.
//
// Asterisk answers "NOTIFY sent" whether or not anybody received it, so
// the confirmation is the phone's own fetch. Each phone goes through the
// states pending (queued), notified (NOTIFY sent), then confirmed (fetched
// the new content) or timed-out (did not, within the confirmation
// timeout); failed when Asterisk refused the NOTIFY. A phone that fetches
// its new configuration before it is notified (it rebooted by itself) is
// confirmed without a NOTIFY.
package resync

import (
	"container/heap"
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// States of a phone.
const (
	InSync    = "in-sync"
	Pending   = "pending"
	Notified  = "notified"
	Confirmed = "confirmed"
	TimedOut  = "timed-out"
	Failed    = "failed"
)

// awaiting reports whether a phone in state waits for the fetch that
// confirms its re-sync.
func awaiting(state string) bool {
	switch state {
	case Pending, Notified, TimedOut, Failed:
		return true
	}
	return false
}

// Notification is one NOTIFY to send.
type Notification struct {
	MAC      string
	Tech     string // "PJSIP" (PJSIPNotify) or "SIP" (SIPnotify, chan_sip)
	Endpoint string
	// URI is where a phone without an endpoint is notified ("sip:IP",
	// its DHCP address); "" when Endpoint is set.
	URI string
	// Event is sent as "Variable: Event=<Event>", unless Option names a
	// pjsip_notify.conf section to send instead (PJSIP only).
	Event  string
	Option string
}

// Notifier sends NOTIFYs through the PBX.
type Notifier interface {
	Connected() bool
	Notify(ctx context.Context, n Notification) error
}

// ErrNotConnected is what a Notifier returns (wrapped) when the PBX cannot
// be reached; the NOTIFY then waits for the connection instead of being lost.
var ErrNotConnected = errors.New("resync: Asterisk is not connected")

// Config configures a Resyncer.
type Config struct {
	Notifier Notifier
	// Rate is NOTIFYs per second (default 10); each is also delayed by a
	// random amount up to Jitter (default 2 s) so a site does not reboot
	// in lockstep.
	Rate   float64
	Jitter time.Duration
	// ConfirmTimeout is how long a notified phone has to fetch its new
	// configuration (default 10 min).
	ConfirmTimeout time.Duration
	Logger         *slog.Logger
	Now            func() time.Time
}

// Resyncer holds the queue and every phone's state.
type Resyncer struct {
	cfg  Config
	log  *slog.Logger
	now  func() time.Time
	wake chan struct{}

	// awaiting counts the phones whose fetch would confirm a re-sync
	// (awaiting): while there are none, Fetched — told of every request —
	// returns without the lock.
	awaiting atomic.Int64

	mu     sync.Mutex
	phones map[string]*phone
	queue  dueQueue
	counts map[string]uint64 // NOTIFYs sent, failed, confirmed, timed out
	rnd    *rand.Rand
	last   time.Time // when the last NOTIFY went out

	// Persistence (persist.go), once Restore was called: phones changed
	// since the last Collect, and those the last Collect sent.
	tracking bool
	dirty    map[string]bool
	sent     []string
}

// phone is the state of one phone.
type phone struct {
	n          Notification
	state      string
	target     uint64 // the generation the phone must fetch (or newer)
	due        time.Time
	queuedAt   time.Time
	notifiedAt time.Time
	doneAt     time.Time
	err        string
	reason     string
	index      int // in the queue, -1 when not queued
}

// New returns a Resyncer; Run sends.
func New(cfg Config) *Resyncer {
	cfg.withDefaults()
	r := &Resyncer{cfg: cfg, now: cfg.Now, wake: make(chan struct{}, 1),
		phones: make(map[string]*phone), counts: make(map[string]uint64), dirty: make(map[string]bool),
		rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x9e3779b97f4a7c15))}
	if r.now == nil {
		r.now = time.Now
	}
	r.log = cfg.Logger
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	return r
}

// Enqueue asks for phone n.MAC to be notified, so that it fetches the
// configuration of generation gen (or newer). A phone already pending, or
// notified and not yet confirmed, is not notified twice — the NOTIFY it has
// (or will get) makes it fetch the newest configuration anyway — unless
// force (an administrator asked) re-queues a notified one.
func (r *Resyncer) Enqueue(n Notification, gen uint64, reason string, force bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.phones[n.MAC]
	if p == nil {
		p = &phone{index: -1}
		r.phones[n.MAC] = p
	}
	p.n = n
	if gen > p.target {
		p.target = gen
	}
	r.markLocked(n.MAC)
	if p.state == Pending || (p.state == Notified && !force) {
		return
	}
	now := r.now()
	if !awaiting(p.state) {
		r.awaiting.Add(1)
	}
	p.state, p.err, p.reason = Pending, "", reason
	p.queuedAt, p.notifiedAt, p.doneAt = now, time.Time{}, time.Time{}
	p.due = now
	if r.cfg.Jitter > 0 {
		p.due = now.Add(time.Duration(r.rnd.Int64N(int64(r.cfg.Jitter) + 1)))
	}
	heap.Push(&r.queue, &queued{mac: n.MAC, p: p})
	r.kick()
}

// Forget drops a phone that no longer exists.
func (r *Resyncer) Forget(mac string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p := r.phones[mac]; p != nil {
		r.unqueue(p)
		if awaiting(p.state) {
			r.awaiting.Add(-1)
		}
		delete(r.phones, mac)
		r.markLocked(mac)
	}
}

// Fetched records that phone mac fetched one of its dynamic files,
// rendered from generation gen. Fetching the content it was to fetch
// confirms its re-sync, whether or not the NOTIFY went out yet.
func (r *Resyncer) Fetched(mac string, gen uint64) {
	if r.awaiting.Load() == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.phones[mac]
	if p == nil || gen < p.target {
		return
	}
	if awaiting(p.state) {
		r.unqueue(p)
		r.awaiting.Add(-1)
		p.state, p.doneAt = Confirmed, r.now()
		r.markLocked(mac)
		r.counts["confirmed"]++
		r.log.Info("re-sync confirmed: the phone fetched its new configuration", "mac", mac, "generation", gen)
	}
}

func (r *Resyncer) unqueue(p *phone) {
	if p.index >= 0 {
		heap.Remove(&r.queue, p.index)
	}
}

func (r *Resyncer) kick() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// SetPace changes the rate, jitter and confirmation timeout while the
// Resyncer runs (zero or negative values: the defaults, as in Config).
// The rate applies from the next NOTIFY, the jitter to phones queued from
// then on, the timeout to every phone notified.
func (r *Resyncer) SetPace(rate float64, jitter, confirmTimeout time.Duration) {
	r.mu.Lock()
	r.cfg.Rate, r.cfg.Jitter, r.cfg.ConfirmTimeout = rate, jitter, confirmTimeout
	r.cfg.withDefaults()
	r.mu.Unlock()
	r.kick()
}

// withDefaults gives zero fields their defaults.
func (c *Config) withDefaults() {
	if c.Rate <= 0 {
		c.Rate = 10
	}
	if c.Jitter < 0 {
		c.Jitter = 0
	}
	if c.ConfirmTimeout <= 0 {
		c.ConfirmTimeout = 10 * time.Minute
	}
}

// Run sends NOTIFYs and times out unconfirmed ones until ctx is done.
func (r *Resyncer) Run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		wait := r.step(ctx)
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-r.wake:
		}
	}
}

// step sends the next NOTIFY if one is due and allowed by the pace, times
// out what must be, and returns how long to wait before the next step.
func (r *Resyncer) step(ctx context.Context) time.Duration {
	r.expire()
	r.mu.Lock()
	interval := time.Duration(float64(time.Second) / r.cfg.Rate)
	if r.queue.Len() == 0 {
		r.mu.Unlock()
		return time.Second // for expiries
	}
	next := r.queue[0]
	now := r.now()
	at := next.p.due
	if paced := r.last.Add(interval); paced.After(at) {
		at = paced
	}
	if wait := at.Sub(now); wait > 0 {
		r.mu.Unlock()
		return wait
	}
	if !r.cfg.Notifier.Connected() {
		r.mu.Unlock()
		return 250 * time.Millisecond // wait for Asterisk; nothing is lost
	}
	heap.Pop(&r.queue)
	n := next.p.n
	r.last = now
	r.mu.Unlock()

	err := r.cfg.Notifier.Notify(ctx, n)

	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.phones[n.MAC]
	if p == nil || p != next.p || p.state != Pending {
		return 0 // forgotten or confirmed meanwhile
	}
	r.markLocked(n.MAC)
	switch {
	case err == nil:
		p.state, p.notifiedAt = Notified, r.now()
		r.counts["sent"]++
		r.log.Info("NOTIFY sent", "mac", n.MAC, "endpoint", n.Endpoint, "uri", n.URI, "tech", n.Tech, "event", n.Event, "option", n.Option)
	case errors.Is(err, ErrNotConnected) || ctx.Err() != nil:
		heap.Push(&r.queue, next) // retried when Asterisk is back
		r.log.Info("NOTIFY postponed until Asterisk is reachable", "mac", n.MAC, "error", err)
		return 250 * time.Millisecond
	default:
		p.state, p.err, p.doneAt = Failed, err.Error(), r.now()
		r.counts["failed"]++
		r.log.Warn("NOTIFY refused by Asterisk", "mac", n.MAC, "endpoint", n.Endpoint, "uri", n.URI, "error", err)
	}
	return 0
}

// expire moves notified phones that did not fetch in time to timed-out.
func (r *Resyncer) expire() {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	for mac, p := range r.phones {
		if p.state == Notified && now.Sub(p.notifiedAt) >= r.cfg.ConfirmTimeout {
			p.state, p.doneAt = TimedOut, now
			r.markLocked(mac)
			r.counts["timed_out"]++
			r.log.Warn("re-sync not confirmed: the phone did not fetch its new configuration", "mac", mac, "endpoint", p.n.Endpoint, "timeout", r.cfg.ConfirmTimeout.String())
		}
	}
}

// PhoneStatus is one phone's re-sync state.
type PhoneStatus struct {
	State      string    `json:"state"`
	Endpoint   string    `json:"endpoint,omitempty"`
	URI        string    `json:"uri,omitempty"`
	Tech       string    `json:"tech,omitempty"`
	Event      string    `json:"event,omitempty"`
	Option     string    `json:"option,omitempty"`
	Generation uint64    `json:"generation"`
	Reason     string    `json:"reason,omitempty"`
	QueuedAt   time.Time `json:"queued_at,omitzero"`
	NotifiedAt time.Time `json:"notified_at,omitzero"`
	DoneAt     time.Time `json:"done_at,omitzero"`
	Error      string    `json:"error,omitempty"`
}

// Phone returns a phone's re-sync state; a phone never re-synced is
// in-sync (ok false).
func (r *Resyncer) Phone(mac string) (PhoneStatus, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.phones[mac]
	if p == nil {
		return PhoneStatus{State: InSync}, false
	}
	return PhoneStatus{State: p.state, Endpoint: p.n.Endpoint, URI: p.n.URI, Tech: p.n.Tech, Event: p.n.Event, Option: p.n.Option,
		Generation: p.target, Reason: p.reason, QueuedAt: p.queuedAt, NotifiedAt: p.notifiedAt, DoneAt: p.doneAt, Error: p.err}, true
}

// Status is the re-sync part of /status.
type Status struct {
	Rate           float64           `json:"rate_per_second"`
	Jitter         string            `json:"jitter"`
	ConfirmTimeout string            `json:"confirm_timeout"`
	Queued         int               `json:"queued"`
	Connected      bool              `json:"asterisk_connected"`
	Phones         map[string]int    `json:"phones_by_state"`
	Totals         map[string]uint64 `json:"totals"`
	Pending        []string          `json:"pending,omitempty"` // the first few
}

// Status reports the queue and the phones by state.
func (r *Resyncer) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := Status{Rate: r.cfg.Rate, Jitter: r.cfg.Jitter.String(), ConfirmTimeout: r.cfg.ConfirmTimeout.String(),
		Queued: r.queue.Len(), Connected: r.cfg.Notifier.Connected(),
		Phones: map[string]int{}, Totals: map[string]uint64{}}
	for _, p := range r.phones {
		st.Phones[p.state]++
	}
	for k, v := range r.counts {
		st.Totals[k] = v
	}
	for _, q := range r.queue {
		st.Pending = append(st.Pending, q.mac)
	}
	sort.Strings(st.Pending)
	if len(st.Pending) > 50 {
		st.Pending = st.Pending[:50]
	}
	return st
}

// queued is a phone waiting for its NOTIFY.
type queued struct {
	mac string
	p   *phone
}

// dueQueue orders queued phones by due time.
type dueQueue []*queued

func (q dueQueue) Len() int           { return len(q) }
func (q dueQueue) Less(i, j int) bool { return q[i].p.due.Before(q[j].p.due) }
func (q dueQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].p.index, q[j].p.index = i, j
}
func (q *dueQueue) Push(x any) {
	e := x.(*queued)
	e.p.index = len(*q)
	*q = append(*q, e)
}
func (q *dueQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	e.p.index = -1
	return e
}
