package inventory

import (
	"sync/atomic"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Phones finds a snapshot's phones by their MAC in any notation, through
// an index built once per snapshot: a lease or a status request does not
// scan every phone.
type Phones struct {
	idx atomic.Pointer[phoneIndex]
}

// phoneIndex maps the normalised MACs of one snapshot's phones to them.
type phoneIndex struct {
	snap   *phoneprov.Snapshot
	phones map[string]*phoneprov.Phone
}

// Phone returns the phone of snap whose MAC is mac, as written or
// normalised (a MAC configured as 00:04:F2:… is 0004f2…); nil when none
// is, or snap is nil.
func (ps *Phones) Phone(snap *phoneprov.Snapshot, mac string) *phoneprov.Phone {
	if snap == nil {
		return nil
	}
	if p := snap.Phone(mac); p != nil {
		return p
	}
	want, ok := family.NormalizeMAC(mac)
	if !ok {
		return nil
	}
	idx := ps.idx.Load()
	if idx == nil || idx.snap != snap {
		idx = &phoneIndex{snap: snap, phones: make(map[string]*phoneprov.Phone)}
		for _, p := range snap.Phones() {
			if m, ok := family.NormalizeMAC(p.MAC); ok {
				if _, dup := idx.phones[m]; !dup {
					idx.phones[m] = p
				}
			}
		}
		ps.idx.Store(idx)
	}
	return idx.phones[want]
}
