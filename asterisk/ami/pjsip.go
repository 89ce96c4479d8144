package ami

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// ErrNotFound reports an endpoint or peer that Asterisk does not know.
var ErrNotFound = errors.New("ami: not found")

// Endpoint is a PJSIP endpoint as PJSIPShowEndpoint describes it: its
// EndpointDetail and the AuthDetail, TransportDetail, AorDetail and
// ContactStatusDetail events that follow.
type Endpoint struct {
	Name          string
	Callerid      string
	Context       string
	Transport     string   // transport name
	Aors          []string // AOR names, in configuration order
	Auths         []string // inbound auth names, in order
	OutboundAuths []string // outbound auth names, in order

	// AuthDetails are the AuthDetail events: the inbound auths, then the
	// outbound ones, each as configured (an auth listed twice appears
	// twice; a missing one not at all).
	AuthDetails []Auth
	// TransportDetail is the endpoint's transport; zero if it has none.
	TransportDetail Transport
	// Contacts are the contacts of all its AORs, registered and static.
	Contacts []Contact

	// Detail is the EndpointDetail event; Field reads it.
	Detail Message
	// Events are all the list's events in order, Detail first.
	Events []Message
}

// Field returns an EndpointDetail field by its AMI name, such as
// "Context", "Mailboxes" or "DtmfMode".
func (e *Endpoint) Field(name string) string {
	return e.Detail.Get(name)
}

// LogValue implements slog.LogValuer: names only, no credentials.
func (e *Endpoint) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("name", e.Name),
		slog.String("transport", e.Transport),
		slog.Any("aors", e.Aors),
		slog.Any("auths", e.Auths),
		slog.Int("contacts", len(e.Contacts)),
	)
}

// Auth is a PJSIP auth object (AuthDetail, AuthList). Password is the SIP
// password in plain text; String and LogValue redact it.
type Auth struct {
	ID       string // ObjectName
	Username string
	Password string
	Md5Cred  string
	AuthType string // userpass, md5, google_oauth
	Realm    string
}

// String describes the auth without its credentials.
func (a Auth) String() string {
	return fmt.Sprintf("{ID:%s Username:%s Password:%s Md5Cred:%s AuthType:%s Realm:%s}",
		a.ID, a.Username, redactedValue("password", a.Password), redactedValue("md5cred", a.Md5Cred), a.AuthType, a.Realm)
}

// GoString is String, so that %#v does not print the password either.
func (a Auth) GoString() string {
	return "ami.Auth" + a.String()
}

// LogValue implements slog.LogValuer without the credentials.
func (a Auth) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", a.ID),
		slog.String("username", a.Username),
		slog.String("password", redactedValue("password", a.Password)),
		slog.String("auth_type", a.AuthType),
		slog.String("realm", a.Realm),
	)
}

// Transport is a PJSIP transport (TransportDetail).
type Transport struct {
	ID       string // ObjectName
	Protocol string // udp, tcp, tls, ws, wss
	Bind     string // host:port
}

// Contact is a contact of an AOR (ContactStatusDetail).
type Contact struct {
	AOR       string
	URI       string // holds the phone's address (rewritten to the source with rewrite_contact)
	UserAgent string
	Status    string // Reachable, Unreachable, Unknown, NonQualified, Removed
	// ViaAddress is the registration's Via host:port, if any.
	ViaAddress string
	CallID     string
	ID         string // contact object ID ("aor;@hash" registered, "aor@@hash" static)
	// RegExpire is when the registration expires; zero for static
	// contacts.
	RegExpire time.Time
	// RoundtripUsec is the last qualify round-trip time; -1 when not known
	// ("N/A").
	RoundtripUsec int64
}

// EndpointSummary is one EndpointList event of PJSIPShowEndpoints.
type EndpointSummary struct {
	Name          string
	Transport     string
	Aors          []string
	Auths         []string
	OutboundAuths []string
	// Contacts are "aor/uri" entries of all the endpoint's AORs.
	Contacts       []string
	DeviceState    string // e.g. "Not in use", "Unavailable"
	ActiveChannels int
}

// Notify is what a NOTIFY carries: exactly one of Variables ("Name=value"
// headers, each sent as a Variable: field, e.g. "Event=check-sync") and
// Option (a pjsip_notify.conf section, e.g. "polycom-check-cfg").
// Asterisk also splits a Variable value at unquoted commas.
type Notify struct {
	Variables []string
	Option    string
}

// Endpoint reads an endpoint with PJSIPShowEndpoint. An unknown endpoint
// gives an error that is an ErrNotFound and an *ActionError.
func (c *Client) Endpoint(ctx context.Context, name string) (*Endpoint, error) {
	_, events, err := c.List(ctx, "PJSIPShowEndpoint", F("Endpoint", name))
	if err != nil {
		return nil, notFound(err, "Unable to retrieve endpoint")
	}
	return parseEndpoint(events)
}

// parseEndpoint assembles an Endpoint from PJSIPShowEndpoint's events.
func parseEndpoint(events []Message) (*Endpoint, error) {
	e := &Endpoint{Events: events}
	seenDetail := false
	for _, m := range events {
		switch m.Get("Event") {
		case "EndpointDetail":
			if seenDetail {
				continue
			}
			seenDetail = true
			e.Detail = m
			e.Name = m.Get("ObjectName")
			e.Callerid = m.Get("Callerid")
			e.Context = m.Get("Context")
			e.Transport = m.Get("Transport")
			e.Aors = splitList(m.Get("Aors"))
			e.Auths = splitList(m.Get("Auth"))
			e.OutboundAuths = splitList(m.Get("OutboundAuth"))
		case "AuthDetail":
			e.AuthDetails = append(e.AuthDetails, parseAuth(m))
		case "TransportDetail":
			e.TransportDetail = Transport{ID: m.Get("ObjectName"), Protocol: m.Get("Protocol"), Bind: m.Get("Bind")}
		case "ContactStatusDetail":
			e.Contacts = append(e.Contacts, parseContact(m))
		}
	}
	if !seenDetail {
		return nil, fmt.Errorf("%w: PJSIPShowEndpoint: no EndpointDetail event", ErrProtocol)
	}
	return e, nil
}

// parseAuth reads an AuthDetail or AuthList event.
func parseAuth(m Message) Auth {
	return Auth{
		ID:       m.Get("ObjectName"),
		Username: m.Get("Username"),
		Password: m.Get("Password"),
		Md5Cred:  m.Get("Md5Cred"),
		AuthType: m.Get("AuthType"),
		Realm:    m.Get("Realm"),
	}
}

// parseContact reads a ContactStatusDetail event.
func parseContact(m Message) Contact {
	c := Contact{
		AOR:           m.Get("AOR"),
		URI:           m.Get("URI"),
		UserAgent:     m.Get("UserAgent"),
		Status:        m.Get("Status"),
		ViaAddress:    m.Get("ViaAddress"),
		CallID:        m.Get("CallID"),
		ID:            m.Get("ID"),
		RoundtripUsec: -1,
	}
	if secs, err := strconv.ParseInt(m.Get("RegExpire"), 10, 64); err == nil && secs > 0 {
		c.RegExpire = time.Unix(secs, 0)
	}
	if rtt, err := strconv.ParseInt(m.Get("RoundtripUsec"), 10, 64); err == nil {
		c.RoundtripUsec = rtt
	}
	return c
}

// Endpoints lists the endpoints with PJSIPShowEndpoints. Asterisk answers
// an empty list with the error "No endpoints found"; Endpoints returns an
// empty slice for it.
func (c *Client) Endpoints(ctx context.Context) ([]EndpointSummary, error) {
	_, events, err := c.List(ctx, "PJSIPShowEndpoints")
	var ae *ActionError
	if errors.As(err, &ae) && ae.Message == "No endpoints found" {
		return []EndpointSummary{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]EndpointSummary, 0, len(events))
	for _, m := range events {
		if m.Get("Event") != "EndpointList" {
			continue
		}
		s := EndpointSummary{
			Name:          m.Get("ObjectName"),
			Transport:     m.Get("Transport"),
			Aors:          splitList(m.Get("Aor")),
			Auths:         splitList(m.Get("Auths")),
			OutboundAuths: splitList(m.Get("OutboundAuths")),
			DeviceState:   m.Get("DeviceState"),
		}
		for _, v := range m.Values("Contacts") {
			s.Contacts = append(s.Contacts, splitList(v)...)
		}
		s.ActiveChannels, _ = strconv.Atoi(m.Get("ActiveChannels"))
		out = append(out, s)
	}
	return out, nil
}

// Auths lists every PJSIP auth with PJSIPShowAuths; none gives an empty
// slice.
func (c *Client) Auths(ctx context.Context) ([]Auth, error) {
	_, events, err := c.List(ctx, "PJSIPShowAuths")
	var ae *ActionError
	if errors.As(err, &ae) && ae.Message == "No Auths found" {
		return []Auth{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]Auth, 0, len(events))
	for _, m := range events {
		if m.Get("Event") == "AuthList" {
			out = append(out, parseAuth(m))
		}
	}
	return out, nil
}

// PJSIPNotify sends a NOTIFY to every contact of an endpoint, e.g. a
// check-sync: PJSIPNotify(ctx, "7001", Notify{Variables:
// []string{"Event=check-sync"}}). Asterisk queues the NOTIFY and answers
// at once; there is no delivery report. An unknown endpoint gives an
// ErrNotFound.
func (c *Client) PJSIPNotify(ctx context.Context, endpoint string, n Notify) error {
	return c.pjsipNotify(ctx, F("Endpoint", endpoint), n)
}

// PJSIPNotifyURI sends a NOTIFY to a SIP URI ("sip:192.0.2.7"), out of any
// endpoint: for a phone Asterisk has no endpoint or contact of.
func (c *Client) PJSIPNotifyURI(ctx context.Context, uri string, n Notify) error {
	return c.pjsipNotify(ctx, F("URI", uri), n)
}

func (c *Client) pjsipNotify(ctx context.Context, target Field, n Notify) error {
	if (len(n.Variables) == 0) == (n.Option == "") {
		return fmt.Errorf("%w: PJSIPNotify needs exactly one of Variables and Option", errBadAction)
	}
	fields := []Field{target}
	if n.Option != "" {
		fields = append(fields, F("Option", n.Option))
	}
	for _, v := range n.Variables {
		fields = append(fields, F("Variable", v))
	}
	_, err := c.Action(ctx, "PJSIPNotify", fields...)
	return notFound(err, "Unable to retrieve endpoint")
}

// notFound marks an *ActionError whose message starts with prefix as an
// ErrNotFound too.
func notFound(err error, prefix string) error {
	var ae *ActionError
	if errors.As(err, &ae) && strings.HasPrefix(ae.Message, prefix) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

// splitList splits a comma-separated list, trimming blanks and dropping
// empty items (EndpointList's Contacts end in a comma).
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
