package provider

import "strings"

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
