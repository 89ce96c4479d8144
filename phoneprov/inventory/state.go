package inventory

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// Bucket is the inventory's bucket in the state store: one JSON Device per
// MAC.
const Bucket = "inventory"

// migratedKey marks in the store's meta bucket that inventory.json was
// imported, so that it is imported once.
const migratedKey = "inventory.json migrated"

// SeenInterval bounds how long a device's routine observations — a
// fetch by a phone already known, at the address and with the
// identification already recorded: LastSeen, the request count, the
// fetch history — wait to be written by the periodic flush (Interval);
// every other change is written at the next one. A boot storm thus
// rewrites each record every SeenInterval, not every Interval, and a crash
// loses at most SeenInterval of fetch history. An explicit flush (Close,
// an administrator's request) writes everything.
const SeenInterval = 10 * time.Second

// collectChunk is how many records are copied per hold of the lock while
// collecting, so that a flush during a boot storm does not hold up the
// requests being recorded.
const collectChunk = 128

// Restore reads the devices saved in the store and from then on tracks
// changes for it (the Inventory is then a state.Collector: register it). A
// record that cannot be read is skipped with a warning.
func (inv *Inventory) Restore(st *state.Store) error {
	bad := 0
	var saved []Device
	err := st.ForEach(Bucket, func(key string, value []byte) error {
		if d, ok := decodeRecord(value); ok {
			saved = append(saved, d)
		} else {
			bad++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("inventory: reading %s: %w", st.Dir(), err)
	}
	if bad > 0 {
		inv.log.Warn("some saved inventory records cannot be read; they are forgotten", "records", bad)
	}
	inv.mu.Lock()
	defer inv.mu.Unlock()
	for _, d := range saved {
		if _, have := inv.devices[d.MAC]; !have {
			r := newRecord(d, &inv.words)
			r.inv = inv
			inv.devices[d.MAC] = r
			if r.lastAddr.IsValid() {
				inv.noteAddrLocked(r.lastAddr, r.MAC)
			}
		}
	}
	inv.tracking.Store(true)
	return nil
}

// decodeRecord reads one saved device, in the binary form or as JSON
// (earlier versions); ok is false when it is unreadable or names no valid
// MAC.
func decodeRecord(value []byte) (Device, bool) {
	var d Device
	var err error
	if len(value) > 0 && value[0] == recordFormat {
		d, err = decodeBinaryRecord(value)
	} else {
		err = json.Unmarshal(value, &d)
	}
	if err != nil {
		return Device{}, false
	}
	mac, ok := family.NormalizeMAC(d.MAC)
	if !ok {
		return Device{}, false
	}
	d.MAC = mac
	return d, true
}

// MigrateJSON imports path, the inventory.json of earlier versions, once:
// its devices are written to the store and the file is renamed
// path+".migrated". A file that cannot be parsed is set aside as
// path+".corrupt-<time>" with a warning. A missing file does nothing.
// Restore must have been called.
func (inv *Inventory) MigrateJSON(st *state.Store, path string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("inventory: %w", err)
	}
	if done, err := st.Meta(migratedKey); err == nil && done != nil {
		// Imported already; only the rename was lost.
		return inv.retire(path, ".migrated")
	}
	devices, err := parseJSON(b)
	if err != nil {
		inv.log.Warn("the old inventory file is unreadable; it was set aside and not imported", "file", path, "error", err)
		return inv.retire(path, ".corrupt-"+inv.cfg.Now().UTC().Format("20060102T150405Z"))
	}
	var batch state.Batch
	inv.mu.Lock()
	for _, d := range devices {
		mac, ok := family.NormalizeMAC(d.MAC)
		if !ok {
			continue
		}
		if _, have := inv.devices[mac]; have {
			continue // the store's record is newer
		}
		d.MAC = mac
		r := newRecord(d, &inv.words)
		r.inv = inv
		inv.devices[mac] = r
		batch.Put(Bucket, mac, appendRecord(nil, r, &inv.words))
	}
	inv.mu.Unlock()
	batch.PutMeta(migratedKey, []byte(inv.cfg.Now().UTC().Format(time.RFC3339)))
	if err := st.Write(&batch); err != nil {
		return fmt.Errorf("inventory: importing %s: %w", path, err)
	}
	inv.log.Info("imported the inventory of an earlier version into the state database", "file", path, "devices", len(devices), "renamed_to", path+".migrated")
	return inv.retire(path, ".migrated")
}

func (inv *Inventory) retire(path, suffix string) error {
	if err := os.Rename(path, path+suffix); err != nil {
		return fmt.Errorf("inventory: %w", err)
	}
	return nil
}

// jsonFile is the format of inventory.json (version 1).
type jsonFile struct {
	Version int      `json:"version"`
	Devices []Device `json:"devices"`
}

func parseJSON(b []byte) ([]Device, error) {
	var f jsonFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("unknown format version %d", f.Version)
	}
	return f.Devices, nil
}

// markLocked queues r for the next flush; the inventory's lock and r's
// are held.
func (inv *Inventory) markLocked(r *record) {
	if inv.tracking.Load() && r.queued != queuedDirty {
		r.queued = queuedDirty
		inv.dirty = append(inv.dirty, r)
	}
}

// markSeenLocked queues r, only fetched again, for the next flush that
// takes routine observations (SeenInterval); the inventory's lock and r's
// are held.
func (inv *Inventory) markSeenLocked(r *record) {
	if inv.tracking.Load() && r.queued == queuedNone {
		r.queued = queuedSeen
		inv.seen = append(inv.seen, r)
	}
}

// forgetLocked removes a device, and queues its removal from the store.
func (inv *Inventory) forgetLocked(mac string) {
	if d := inv.devices[mac]; d != nil {
		d.mu.Lock()
		d.gone = true
		d.mu.Unlock()
	}
	delete(inv.devices, mac)
	if inv.tracking.Load() {
		inv.deleted = append(inv.deleted, mac)
	}
}

// Collect implements state.Collector: the devices recorded or forgotten since
// the last Collect. The records are copied a chunk at a time under the
// lock and encoded outside it.
func (inv *Inventory) Collect(b *state.Batch) {
	inv.mu.Lock()
	recs, dels := inv.dirty, inv.deleted
	inv.dirty, inv.deleted = nil, nil
	if now := inv.cfg.Now(); !b.Periodic() || now.Sub(inv.seenAt).Abs() >= SeenInterval {
		recs = append(recs, inv.seen...)
		inv.seen, inv.seenAt = nil, now
	}
	inv.mu.Unlock()
	// Removals first: a MAC forgotten and seen again since the last flush
	// is removed, then written anew.
	for _, mac := range dels {
		b.Delete(Bucket, mac)
	}
	// Encoded in chunks under the lock (a record's fields change under
	// it), each value in its own exact-size slice for the batch.
	var buf []byte
	for i := 0; i < len(recs); i += collectChunk {
		inv.mu.Lock()
		for _, r := range recs[i:min(i+collectChunk, len(recs))] {
			r.mu.Lock()
			if r.queued != queuedNone {
				r.queued = queuedNone
				if inv.devices[r.MAC] == r {
					buf = appendRecord(buf[:0], r, &inv.words)
					b.Put(Bucket, r.MAC, append([]byte(nil), buf...))
				}
			} // else listed twice, and written already
			r.mu.Unlock()
		}
		inv.mu.Unlock()
	}
	inv.sentRecs, inv.sentDels = recs, dels
}

// Committed implements state.Collector: after a failed commit, what was
// collected is queued again.
func (inv *Inventory) Committed(err error) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if err != nil {
		for _, r := range inv.sentRecs {
			r.mu.Lock()
			if r.queued == queuedNone && inv.devices[r.MAC] == r {
				r.queued = queuedDirty
				inv.dirty = append(inv.dirty, r)
			}
			r.mu.Unlock()
		}
		inv.deleted = append(inv.sentDels, inv.deleted...)
	}
	inv.sentRecs, inv.sentDels = nil, nil
}

// Pending is how many changes wait for the next flush.
func (inv *Inventory) Pending() int {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	n := len(inv.dirty) + len(inv.deleted)
	for _, r := range inv.seen {
		r.mu.Lock()
		if r.queued == queuedSeen {
			n++
		}
		r.mu.Unlock()
	}
	return n
}
