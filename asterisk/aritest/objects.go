package aritest

import "time"

// EndpointState is the ARI endpoint state, as ast_endpoint_state_to_string
// prints it.
const (
	StateUnknown = "unknown"
	StateOffline = "offline"
	StateOnline  = "online"
)

// Endpoint is a pjsip.conf type=endpoint section. Adding one also creates
// the ARI endpoint PJSIP/<Name>.
type Endpoint struct {
	Name          string
	Transport     string
	Context       string // default "default"
	Callerid      string
	Auths         []string // auth=, inbound, in order
	OutboundAuths []string // outbound_auth=
	Aors          []string // aors=
	Allow         string   // the allow value as printed; default "(ulaw)"
	// State is the ARI endpoint state; default "unknown".
	State string
	// Extra overrides any other attribute by its option name, e.g.
	// "dtmf_mode".
	Extra map[string]string
}

// Auth is a pjsip.conf type=auth section.
type Auth struct {
	Name     string
	Username string
	Password string
	AuthType string // default "userpass"
	Realm    string
	Md5Cred  string
}

// Transport is a pjsip.conf type=transport section.
type Transport struct {
	Name     string
	Protocol string // default "udp"
	Bind     string // default "0.0.0.0:5060"
}

// ContactStatus is the contact_info of a ContactStatusChange event
// (main/stasis_endpoints.c contactstatus_to_json).
type ContactStatus struct {
	// Endpoint is the PJSIP endpoint the contact belongs to.
	Endpoint string
	AOR      string
	URI      string
	// Status is Reachable, Unreachable, Unknown, NonQualified or Removed.
	Status string
	// RoundtripUsec is sent only when not empty, as a string.
	RoundtripUsec string
}

// PeerStatus is the peer of a PeerStatusChange event
// (main/stasis_endpoints.c peerstatus_to_json copies every field given).
type PeerStatus struct {
	Status  string // peer_status, e.g. Reachable
	Cause   string // cause, omitted when empty
	Address string // address, omitted when empty
	Port    string // port, omitted when empty
	Time    string // time, omitted when empty
}

// Request is one HTTP request the server received. Passwords are never
// recorded: an api_key's password part is replaced by "[redacted]".
type Request struct {
	Method string
	// Path is the request path as sent, still URL-encoded.
	Path string
	// Query is the raw query string, api_key password redacted.
	Query string
	// User is the user name of the credentials presented (Basic or
	// api_key), authenticated or not; "" when there were none.
	User string
	// Status is the response status, 101 for an accepted websocket.
	Status int
	// Time is when the request arrived.
	Time time.Time
}

// endpoint is one ARI endpoint snapshot in the stasis cache.
type endpoint struct {
	tech, resource string
	state          string
	channelIDs     []string
	seq            uint64 // insertion order, for the cache's bucket order
}

// id returns "tech/resource".
func (e *endpoint) id() string {
	return e.tech + "/" + e.resource
}

// snapshotJSON is ast_endpoint_snapshot_to_json.
func (e *endpoint) snapshotJSON() object {
	ids := make(array, len(e.channelIDs))
	for i, id := range e.channelIDs {
		ids[i] = id
	}
	return object{
		{"technology", e.tech},
		{"resource", e.resource},
		{"state", e.state},
		{"channel_ids", ids},
	}
}
