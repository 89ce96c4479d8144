package inventory

import (
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// record is a Device as the inventory keeps it. Ten thousand phones'
// histories are most of the inventory, and the garbage collector scans
// them on every cycle, so a fetch is packed: one pointer (the file name)
// where a Fetch has four.
//
// Its fields are guarded by mu (MAC and inv never change). The inventory's
// lock guards the inventory (which records there are, the queues) and is
// taken first: a phone's routine fetch takes only mu, so that a boot
// storm's requests do not all wait for, and bounce between the CPUs, one
// lock.
type record struct {
	// What a routine fetch reads and writes, apart from Device, comes
	// first: a boot storm touches few cache lines per request.
	// inv is the inventory the record was made for, set once: a phone's
	// memo may hold another inventory's record (Inventory.memoLocked).
	inv *Inventory
	mu  sync.Mutex
	// gone: the record was forgotten since.
	gone   bool
	queued queue // for which flush to the state store
	// history holds the latest HistoryLen fetches; once full it is a
	// ring whose oldest entry is at head (fetches reads them in order).
	head     int
	history  []fetch
	lastAddr netip.Addr // LastIP as parsed, to compare without formatting
	Device              // Files is always nil: the history is in history
}

// routine reports whether request r of the configured phone d can
// teach the inventory nothing but that it was made — no identification
// is needed: its User-Agent is the one already recorded, or it has none
// (TFTP) and the vendor is known (identification by path or OUI never
// replaces a known vendor).
func (d *record) routine(r Request) bool {
	return r.UserAgent == "" && d.Vendor != "" ||
		d.UserAgent == cut(r.UserAgent, 256) && (r.UserAgent == "" || d.Vendor != "")
}

// queue is which flush to the state store a record waits for.
type queue uint8

const (
	queuedNone  queue = iota // written, or not tracked
	queuedSeen               // only fetched again: Inventory.seen
	queuedDirty              // changed otherwise: Inventory.dirty
)

// fetch is a Fetch packed: the time in Unix nanoseconds, the protocol and
// the status as indexes into the inventory's words.
type fetch struct {
	at     int64
	bytes  int64
	file   string
	proto  uint16
	status uint16
}

// scanWords is how many words are looked up by a scan of the list rather
// than in the index.
const scanWords = 16

// words interns the few strings fetches repeat (protocols, statuses).
// Adding a word takes the inventory's lock; looking one up and reading
// one take none: the list is published whole (an append past its length
// writes where no reader of the shorter list looks), so that a phone's
// routine fetch needs only its record's lock (Inventory.observeRoutine).
type words struct {
	list  atomic.Pointer[[]string]
	index map[string]uint16 // past scanWords words; under the inventory's lock
}

// lookup returns the index of s when it is among the first scanWords
// words, without a lock.
func (w *words) lookup(s string) (uint16, bool) {
	p := w.list.Load()
	if p == nil || len(*p) > scanWords {
		return 0, false
	}
	for i, x := range *p {
		if x == s {
			return uint16(i), true
		}
	}
	return 0, false
}

// id returns the index of s, adding it when new; the inventory's lock is
// held. Past 65,535 distinct words (which the servers never produce) s is
// stored as "".
func (w *words) id(s string) uint16 {
	// A handful of words in practice: a scan beats hashing s.
	if i, ok := w.lookup(s); ok {
		return i
	}
	if i, ok := w.index[s]; ok {
		return i
	}
	var list []string
	if p := w.list.Load(); p != nil {
		list = *p
	} else {
		w.index = map[string]uint16{"": 0}
		list = []string{""}
		if s == "" {
			w.list.Store(&list)
			return 0
		}
	}
	if len(list) > 0xffff {
		return 0
	}
	i := uint16(len(list))
	list = append(list, s)
	w.index[s] = i
	w.list.Store(&list)
	return i
}

func (w *words) word(i uint16) string {
	if p := w.list.Load(); p != nil && int(i) < len(*p) {
		return (*p)[i]
	}
	return ""
}

// add appends a fetch, dropping the oldest past HistoryLen and growing the
// history no further than HistoryLen.
func (r *record) add(f fetch) {
	switch {
	case len(r.history) == HistoryLen:
		// Full: overwrite the oldest, a boot storm's every request would
		// otherwise move the whole history.
		r.history[r.head] = f
		r.head = (r.head + 1) % HistoryLen
		return
	case len(r.history) == cap(r.history):
		grown := make([]fetch, len(r.history), min(HistoryLen, max(8, 2*cap(r.history))))
		copy(grown, r.history)
		r.history = grown
	}
	r.history = append(r.history, f)
}

// fetches calls f on each fetch of the history, oldest first.
func (r *record) fetches(f func(i int, x fetch)) {
	n := len(r.history)
	for i := range n {
		f(i, r.history[(r.head+i)%n])
	}
}

// device returns the record as a Device with its own copy of the history.
func (r *record) device(w *words) Device {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.Device
	if r.DHCP != nil {
		l := *r.DHCP
		d.DHCP = &l
	}
	d.Files = make([]Fetch, len(r.history))
	r.fetches(func(i int, f fetch) {
		d.Files[i] = Fetch{At: time.Unix(0, f.at), Proto: w.word(f.proto), File: f.file, Status: w.word(f.status), Bytes: f.bytes}
	})
	return d
}

// newRecord makes the record of a Device read from the state file.
func newRecord(d Device, w *words) *record {
	r := &record{Device: d}
	r.Files = nil
	files := d.Files
	if len(files) > HistoryLen {
		files = files[len(files)-HistoryLen:]
	}
	r.history = make([]fetch, len(files))
	for i, f := range files {
		r.history[i] = fetch{at: f.At.UnixNano(), bytes: f.Bytes, file: f.File, proto: w.id(f.Proto), status: w.id(f.Status)}
	}
	if ip, err := netip.ParseAddr(d.LastIP); err == nil {
		r.lastAddr = ip
	}
	return r
}
