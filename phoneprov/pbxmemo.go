package phoneprov

import (
	"sync"

	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// memoLive gives one snapshot one consistent view of the PBX: each endpoint
// is asked once, and the snapshot keeps that answer for its life.
type memoLive struct {
	src provider.LiveData
	mu  sync.Mutex
	m   map[string]memoAnswer
}

type memoAnswer struct {
	ep       provider.LiveEndpoint
	ok       bool
	answered bool
}

func newMemoLive(src provider.LiveData) *memoLive {
	return &memoLive{src: src, m: make(map[string]memoAnswer)}
}

// Endpoint implements provider.LiveData.
func (l *memoLive) Endpoint(name string) (provider.LiveEndpoint, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a, seen := l.m[name]
	if !seen {
		if src, ok := l.src.(provider.LiveAnswers); ok {
			a.ep, a.ok, a.answered = src.EndpointAnswer(name)
		} else {
			a.ep, a.ok = l.src.Endpoint(name)
			a.answered = true
		}
		l.m[name] = a
	}
	return a.ep, a.ok
}

// answered reports whether the PBX had answered about name when this
// snapshot asked.
func (l *memoLive) answered(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.m[name].answered
}

// LiveAnswered reports whether the PBX had answered about endpoint name
// (that it exists or that it does not) when the snapshot was built. A
// phone that appears or fills in between two snapshots because the first
// answer came is not a changed phone: re-sync leaves it alone.
func (s *Snapshot) LiveAnswered(name string) bool {
	if m, ok := s.opts.Live.(*memoLive); ok {
		return m.answered(name)
	}
	return false
}

// FirstAnswered reports whether phone mac of s uses an endpoint that the
// PBX had not answered about when prev was built and had when s was: the
// phone's change, if any, is the PBX's first answer, not an edit.
func (s *Snapshot) FirstAnswered(prev *Snapshot, mac string) bool {
	p := s.Phone(mac)
	if p == nil {
		return false
	}
	for _, l := range p.Lines {
		if l.Endpoint != "" && s.LiveAnswered(l.Endpoint) && (prev == nil || !prev.LiveAnswered(l.Endpoint)) {
			return true
		}
	}
	return false
}
