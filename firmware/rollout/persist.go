package rollout

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/phoneprov/state"
)

// Bucket is the rollouts' bucket in the state store: one JSON record per
// rollout (key: its ID) and one per phone of it (key: ID/MAC), so that a
// phone's step is saved without the rest of a large rollout.
const Bucket = "rollouts"

// Restore reads the saved rollouts. Deadlines go on from the saved times:
// a phone whose step was due while phoneprovd was down fails at the first
// check. Call it before the first snapshot is built, so that the holds
// and the waves under way are served from the start; from then on the
// Manager tracks its changes for the store (register it).
func (m *Manager) Restore(st *state.Store) error {
	rollouts := map[string]*Rollout{}
	phones := map[string][]*Phone{}
	err := st.ForEach(Bucket, func(key string, value []byte) error {
		if id, mac, ok := strings.Cut(key, "/"); ok {
			var p Phone
			if json.Unmarshal(value, &p) != nil || p.MAC != mac {
				m.log.Warn("firmware rollouts: a damaged phone record is left out", "key", key)
				return nil
			}
			phones[id] = append(phones[id], &p)
			return nil
		}
		var r Rollout
		if json.Unmarshal(value, &r) != nil || r.ID != key || r.Wave >= len(r.Waves) {
			m.log.Warn("firmware rollouts: a damaged rollout record is left out", "key", key)
			return nil
		}
		rollouts[key] = &r
		return nil
	})
	if err != nil {
		return fmt.Errorf("firmware rollouts: reading %s: %w", st.Dir(), err)
	}
	list := make([]*Rollout, 0, len(rollouts))
	for id, r := range rollouts {
		r.phones = phones[id]
		sort.Slice(r.phones, func(i, j int) bool { return r.phones[i].Order < r.phones[j].Order })
		for _, p := range r.phones {
			p.r = r
		}
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Seq < list[j].Seq })
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tracking = true
	under := 0
	for _, r := range list {
		m.add(r)
		m.nextSeq = max(m.nextSeq, r.Seq+1)
		if active(r.State) {
			under++
		}
	}
	if under > 0 {
		m.log.Info("firmware rollouts taken up again after the restart", "rollouts", under)
		m.kickRun()
	}
	return nil
}

// markRollout queues r's record for the next flush; m.mu is held.
func (m *Manager) markRollout(r *Rollout) {
	if m.tracking {
		m.dirty[r.ID] = true
	}
}

// markPhone queues p's record (and its rollout's) for the next flush;
// m.mu is held.
func (m *Manager) markPhone(p *Phone) {
	p.r.Updated = m.now()
	if m.tracking {
		m.dirty[p.r.ID+"/"+p.MAC] = true
		m.dirty[p.r.ID] = true
	}
}

// markAll queues every record of r.
func (m *Manager) markAll(r *Rollout) {
	m.markRollout(r)
	for _, p := range r.phones {
		m.markPhone(p)
	}
}

// Collect implements state.Collector.
func (m *Manager) Collect(b *state.Batch) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for key := range m.dirty {
		var v any
		if id, mac, ok := strings.Cut(key, "/"); ok {
			if r := m.byID[id]; r != nil && r.index[mac] != nil {
				v = r.index[mac]
			}
		} else if r := m.byID[key]; r != nil {
			v = r
		}
		if v == nil {
			b.Delete(Bucket, key)
		} else if data, err := json.Marshal(v); err == nil {
			b.Put(Bucket, key, data)
		}
		m.sent = append(m.sent, key)
	}
	clear(m.dirty)
}

// Committed implements state.Collector: what a failed commit held is
// collected again.
func (m *Manager) Committed(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		for _, key := range m.sent {
			m.dirty[key] = true
		}
	}
	m.sent = m.sent[:0]
}
