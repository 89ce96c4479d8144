package phoneprov

import (
	"strings"
	"sync"
)

// LiveData is endpoint data taken from the running Asterisk (AMI or ARI).
// It fills what the files do not say; values written in the files win.
// Implementations answer from memory: a snapshot asks while it loads and
// while it renders, never waiting on the network.
type LiveData interface {
	// Endpoint returns what the PBX knows about an endpoint (a PJSIP
	// endpoint, or a chan_sip peer on Asterisk ≤ 20).
	Endpoint(name string) (LiveEndpoint, bool)
}

// LiveAnswers is implemented by LiveData that can tell an endpoint the
// PBX has not been asked about yet (or did not answer about) from one it
// has no such endpoint: answered is false for the former.
type LiveAnswers interface {
	EndpointAnswer(name string) (ep LiveEndpoint, found, answered bool)
}

// LiveEndpoint is an endpoint as the PBX reports it.
type LiveEndpoint struct {
	Name          string
	Tech          string // "PJSIP", or "SIP" for a chan_sip peer
	Transport     string
	TransportPort string
	CallerIDName  string
	CallerIDNum   string
	AuthID        string // the first inbound auth
	Username      string
	Secret        string
	// Fields are the endpoint's options keyed by FieldKey of their
	// pjsip.conf names (so AMI's "CalleridPrivacy" and ARI's
	// "callerid_privacy" meet), for PJSIP_ENDPOINT.
	Fields map[string]string
}

// FieldKey normalises an endpoint option name: lower case, without
// underscores ("callerid_privacy" and "CalleridPrivacy" both give
// "calleridprivacy").
func FieldKey(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, "_", ""))
}

// Equal reports whether two answers are the same.
func (e LiveEndpoint) Equal(o LiveEndpoint) bool {
	if e.Name != o.Name || e.Tech != o.Tech || e.Transport != o.Transport || e.TransportPort != o.TransportPort ||
		e.CallerIDName != o.CallerIDName || e.CallerIDNum != o.CallerIDNum || e.AuthID != o.AuthID ||
		e.Username != o.Username || e.Secret != o.Secret || len(e.Fields) != len(o.Fields) {
		return false
	}
	for k, v := range e.Fields {
		if ov, ok := o.Fields[k]; !ok || ov != v {
			return false
		}
	}
	return true
}

// memoLive gives one snapshot one consistent view of the PBX: each endpoint
// is asked once, and the snapshot keeps that answer for its life.
type memoLive struct {
	src LiveData
	mu  sync.Mutex
	m   map[string]memoAnswer
}

type memoAnswer struct {
	ep       LiveEndpoint
	ok       bool
	answered bool
}

func newMemoLive(src LiveData) *memoLive {
	return &memoLive{src: src, m: make(map[string]memoAnswer)}
}

// Endpoint implements LiveData.
func (l *memoLive) Endpoint(name string) (LiveEndpoint, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a, seen := l.m[name]
	if !seen {
		if src, ok := l.src.(LiveAnswers); ok {
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
