package inventory

import (
	"net/netip"
	"time"
)

// record is a Device as the inventory keeps it. Ten thousand phones'
// histories are most of the inventory, and the garbage collector scans
// them on every cycle, so a fetch is packed: one pointer (the file name)
// where a Fetch has four.
type record struct {
	Device              // Files is always nil: the history is in history
	lastAddr netip.Addr // LastIP as parsed, to compare without formatting
	// history holds the latest HistoryLen fetches; once full it is a
	// ring whose oldest entry is at head (fetches reads them in order).
	history []fetch
	head    int
	queued  queue // for which flush to the state store
	// inv is the inventory the record was made for, set once: a phone's
	// memo may hold another inventory's record (Inventory.memoLocked).
	// gone: the record was forgotten since (guarded by inv.mu).
	inv  *Inventory
	gone bool
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
type words struct {
	list  []string
	index map[string]uint16
}

// id returns the index of s, adding it when new. Past 65,535 distinct
// words (which the servers never produce) s is stored as "".
func (w *words) id(s string) uint16 {
	// A handful of words in practice: a scan beats hashing s.
	if len(w.list) <= scanWords {
		for i, x := range w.list {
			if x == s {
				return uint16(i)
			}
		}
	} else if i, ok := w.index[s]; ok {
		return i
	}
	if w.index == nil {
		w.index = map[string]uint16{"": 0}
		w.list = []string{""}
		if s == "" {
			return 0
		}
	}
	if len(w.list) > 0xffff {
		return 0
	}
	i := uint16(len(w.list))
	w.list = append(w.list, s)
	w.index[s] = i
	return i
}

func (w *words) word(i uint16) string {
	if int(i) < len(w.list) {
		return w.list[i]
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
