package amitest

import "time"

// Field is one "Key: Value" header.
type Field struct {
	Key, Value string
}

// Event is an AMI event to send to sessions with Server.Emit.
type Event struct {
	Name string
	// Class is the event's permission class (manager.conf read= names,
	// e.g. "system", "call", "security"); "" means "system".
	Class  string
	Fields []Field
}

// Endpoint is a pjsip.conf type=endpoint section.
type Endpoint struct {
	Name          string
	Transport     string
	Context       string // default "default"
	Callerid      string
	Auths         []string // auth=, inbound, in order
	OutboundAuths []string // outbound_auth=
	Aors          []string // aors=
	// Allow is the EndpointDetail Allow value; default "(ulaw)".
	Allow string
	// DeviceState overrides the computed state ("Not in use" when a
	// contact is reachable or not qualified, else "Unavailable").
	DeviceState string
	// Extra overrides any other EndpointDetail field by its CamelCase name.
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

// AOR is a pjsip.conf type=aor section. An endpoint's AOR that was never
// added exists implicitly with these defaults (MaxContacts 1).
type AOR struct {
	Name             string
	MaxContacts      int
	QualifyFrequency int
	Mailboxes        string
}

// Contact is a contact of an AOR: registered by a phone, or static
// (contact= in the AOR section) when Static is set.
type Contact struct {
	AOR       string
	URI       string
	UserAgent string
	// Status is a contact status label: Reachable, Unreachable, Unknown,
	// NonQualified (the default) or Removed.
	Status string
	// RoundtripUsec is reported for Reachable contacts.
	RoundtripUsec int64
	// ViaAddress is the registration's Via host:port, if any.
	ViaAddress string
	CallID     string
	// Endpoint names the endpoint that registered it; default the first
	// endpoint listing the AOR.
	Endpoint string
	// Expires is when a registration expires; zero means one hour after it
	// was added. Ignored for static contacts.
	Expires time.Time
	Static  bool
}

// Peer is a chan_sip sip.conf peer (Asterisk 20 and earlier).
type Peer struct {
	Name string
	// Host is the static host address; "" makes the peer dynamic
	// (host=dynamic), reachable only while registered (Addr set).
	Host string
	Port int // static port; default 5060
	// Secret only matters for SecretExist: Y/N; it is never sent.
	Secret   string
	Context  string // default "default"
	Callerid string
	// Registration of a dynamic peer: the address it registered from
	// ("ip:port"), its User-Agent, Contact, username and expiry.
	Addr            string
	UserAgent       string
	RegContact      string
	DefaultUsername string
	RegExpires      time.Time
}

// Action is one message received from a client.
type Action struct {
	Session int     // sequence number of the connection, from 1
	Name    string  // the Action: value
	Fields  []Field // every header line in order, Action and ActionID included
	Raw     []byte  // the exact bytes received, terminating blank line included
}

// Notify is a NOTIFY the fake would have sent for PJSIPNotify or SIPnotify.
type Notify struct {
	Action    string   // "PJSIPNotify" or "SIPnotify"
	Endpoint  string   // endpoint or peer name (prefix stripped); "" for URI mode
	URI       string   // URI mode target
	Option    string   // pjsip_notify.conf section used, if any
	Variables []string // Variable: header values in order
	Contacts  []string // contact URIs the NOTIFY goes to
}
