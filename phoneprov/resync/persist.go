package resync

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// Bucket is the re-sync queue's bucket in the state store: one JSON record
// per phone (by MAC) that was ever queued and not forgotten.
const Bucket = "resync"

// record is a phone's re-sync state as saved.
type record struct {
	Notification Notification `json:"notification"`
	State        string       `json:"state"`
	Due          time.Time    `json:"due,omitzero"`
	QueuedAt     time.Time    `json:"queued_at,omitzero"`
	NotifiedAt   time.Time    `json:"notified_at,omitzero"`
	DoneAt       time.Time    `json:"done_at,omitzero"`
	Err          string       `json:"error,omitempty"`
	Reason       string       `json:"reason,omitempty"`
}

// Restore reads the saved queue: pending phones are queued again, notified
// phones keep waiting for their fetch. Generations start again at every
// start, so each restored phone must fetch generation gen (the first
// served) or newer. keep filters the phones that still exist. From then
// on the Resyncer tracks its changes for the store (register it).
func (r *Resyncer) Restore(st *state.Store, gen uint64, keep func(mac string) bool) error {
	var recs []record
	err := st.ForEach(Bucket, func(key string, value []byte) error {
		var rec record
		if json.Unmarshal(value, &rec) == nil && rec.Notification.MAC == key {
			recs = append(recs, rec)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("resync: reading %s: %w", st.Dir(), err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tracking = true
	pending := 0
	for _, rec := range recs {
		mac := rec.Notification.MAC
		if keep != nil && !keep(mac) {
			r.dirty[mac] = true // removed from the store at the next flush
			continue
		}
		if _, have := r.phones[mac]; have {
			continue
		}
		p := &phone{n: rec.Notification, state: rec.State, target: gen, due: rec.Due, queuedAt: rec.QueuedAt,
			notifiedAt: rec.NotifiedAt, doneAt: rec.DoneAt, err: rec.Err, reason: rec.Reason, index: -1}
		r.phones[mac] = p
		if awaiting(p.state) {
			r.awaiting.Add(1)
		}
		if p.state == Pending {
			heap.Push(&r.queue, &queued{mac: mac, p: p})
			pending++
		}
	}
	if pending > 0 {
		r.log.Info("re-syncs queued before the restart are queued again", "phones", pending)
		r.kick()
	}
	return nil
}

// markLocked queues a phone's record for the next flush.
func (r *Resyncer) markLocked(mac string) {
	if r.tracking {
		r.dirty[mac] = true
	}
}

// Collect implements state.Collector.
func (r *Resyncer) Collect(b *state.Batch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for mac := range r.dirty {
		p := r.phones[mac]
		if p == nil {
			b.Delete(Bucket, mac)
		} else if v, err := json.Marshal(record{Notification: p.n, State: p.state, Due: p.due, QueuedAt: p.queuedAt,
			NotifiedAt: p.notifiedAt, DoneAt: p.doneAt, Err: p.err, Reason: p.reason}); err == nil {
			b.Put(Bucket, mac, v)
		}
		r.sent = append(r.sent, mac)
	}
	clear(r.dirty)
}

// Committed implements state.Collector: what a failed commit held is
// collected again.
func (r *Resyncer) Committed(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		for _, mac := range r.sent {
			r.dirty[mac] = true
		}
	}
	r.sent = r.sent[:0]
}
