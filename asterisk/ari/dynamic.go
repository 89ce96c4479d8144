package ari

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
)

// Attribute is one tuple of a dynamic configuration reply.
type Attribute struct {
	Name  string `json:"attribute"`
	Value string `json:"value"`
}

// Object is a sorcery object read through the dynamic configuration API
// (GET /asterisk/config/dynamic/{class}/{type}/{id}): every registered
// field, in Asterisk's order. Secret values (password, md5_cred, ...) are
// redacted in String, GoString and LogValue.
type Object struct {
	Class, Type, ID string
	Attributes      []Attribute
}

// Fields returns the attributes as a map; an attribute given more than
// once (set_var, local_net) has its values joined with ",".
func (o Object) Fields() map[string]string {
	m := make(map[string]string, len(o.Attributes))
	for _, a := range o.Attributes {
		if prev, ok := m[a.Name]; ok {
			m[a.Name] = prev + "," + a.Value
			continue
		}
		m[a.Name] = a.Value
	}
	return m
}

// String describes the object with secrets redacted.
func (o Object) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s/%s{", o.Class, o.Type, o.ID)
	for i, a := range o.Attributes {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %q", a.Name, redactedValue(a.Name, a.Value))
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String.
func (o Object) GoString() string { return o.String() }

// LogValue implements slog.LogValuer with secrets redacted.
func (o Object) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("class", o.Class), slog.String("type", o.Type), slog.String("id", o.ID)}
	for _, a := range o.Attributes {
		attrs = append(attrs, slog.String(a.Name, redactedValue(a.Name, a.Value)))
	}
	return slog.GroupValue(attrs...)
}

// ConfigObject reads any sorcery object; an unknown class, type or id is
// ErrNotFound. The reply holds every field, credentials in plain text
// (docs/asterisk.md#ari).
func (c *Client) ConfigObject(ctx context.Context, class, objectType, id string) (*Object, error) {
	obj := &Object{Class: class, Type: objectType, ID: id}
	path := "/asterisk/config/dynamic/" + pathEscape(class) + "/" + pathEscape(objectType) + "/" + pathEscape(id)
	if err := c.do(ctx, "GET", path, &obj.Attributes); err != nil {
		return nil, err
	}
	return obj, nil
}

// Endpoint is a PJSIP endpoint's configuration (res_pjsip/endpoint/<id>).
type Endpoint struct {
	Name          string
	Transport     string   // transport=, "" when unset
	Auths         []string // auth=, the inbound auths, in order
	OutboundAuths []string // outbound_auth=
	AORs          []string // aors=
	Callerid      string   // callerid=, e.g. `"Carol Pjsip" <7001>`
	Context       string   // context=
	// Fields holds every attribute by option name.
	Fields map[string]string
}

// Endpoint reads PJSIP endpoint name through the dynamic configuration
// API; an unknown endpoint is ErrNotFound.
func (c *Client) Endpoint(ctx context.Context, name string) (*Endpoint, error) {
	obj, err := c.ConfigObject(ctx, "res_pjsip", "endpoint", name)
	if err != nil {
		return nil, err
	}
	f := obj.Fields()
	return &Endpoint{
		Name:          name,
		Transport:     f["transport"],
		Auths:         splitList(f["auth"]),
		OutboundAuths: splitList(f["outbound_auth"]),
		AORs:          splitList(f["aors"]),
		Callerid:      f["callerid"],
		Context:       f["context"],
		Fields:        f,
	}, nil
}

// splitList splits a comma-separated option value, dropping blanks.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Auth is a PJSIP auth (res_pjsip/auth/<id>). Its password and other
// secrets are redacted in String, GoString and LogValue.
type Auth struct {
	ID       string
	Username string
	Password string
	AuthType string // userpass, md5, google_oauth
	Realm    string
	// Fields holds every attribute by option name, secrets included.
	Fields map[string]string
}

// Auth reads PJSIP auth id, password included; an unknown auth is
// ErrNotFound.
func (c *Client) Auth(ctx context.Context, id string) (*Auth, error) {
	obj, err := c.ConfigObject(ctx, "res_pjsip", "auth", id)
	if err != nil {
		return nil, err
	}
	f := obj.Fields()
	return &Auth{ID: id, Username: f["username"], Password: f["password"],
		AuthType: f["auth_type"], Realm: f["realm"], Fields: f}, nil
}

// String describes the auth with its secrets redacted.
func (a Auth) String() string {
	return fmt.Sprintf("ari.Auth{ID: %q, Username: %q, Password: %q, AuthType: %q, Realm: %q, Fields: %v}",
		a.ID, a.Username, redactedValue("password", a.Password), a.AuthType, a.Realm, redactFields(a.Fields))
}

// GoString is String, so that %#v does not print the password either.
func (a Auth) GoString() string { return a.String() }

// LogValue implements slog.LogValuer with the secrets redacted.
func (a Auth) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", a.ID),
		slog.String("username", a.Username),
		slog.String("password", redactedValue("password", a.Password)),
		slog.String("auth_type", a.AuthType),
		slog.String("realm", a.Realm),
	)
}

// Transport is a PJSIP transport (res_pjsip/transport/<id>).
type Transport struct {
	ID       string
	Protocol string // udp, tcp, tls, ws, wss
	Bind     string // e.g. "127.0.0.1:5062"
	// Fields holds every attribute by option name; its "password" (of a
	// TLS key) is redacted in String and LogValue.
	Fields map[string]string
}

// Transport reads PJSIP transport id; an unknown one is ErrNotFound.
func (c *Client) Transport(ctx context.Context, id string) (*Transport, error) {
	obj, err := c.ConfigObject(ctx, "res_pjsip", "transport", id)
	if err != nil {
		return nil, err
	}
	f := obj.Fields()
	return &Transport{ID: id, Protocol: f["protocol"], Bind: f["bind"], Fields: f}, nil
}

// Port returns the bind port: the port of Bind, else PJSIP's default for
// the protocol (5061 for tls, 5060 otherwise), which is what res_phoneprov
// uses as SERVER_PORT (docs/asterisk.md#pjsipconf-phones).
func (t Transport) Port() (int, error) {
	if _, port, err := net.SplitHostPort(t.Bind); err == nil {
		n, err := strconv.Atoi(port)
		if err != nil || n < 0 || n > 65535 {
			return 0, fmt.Errorf("ari: transport %s: bad bind port %q", t.ID, port)
		}
		return n, nil
	}
	if strings.EqualFold(t.Protocol, "tls") {
		return 5061, nil
	}
	return 5060, nil
}

// String describes the transport with its key password redacted.
func (t Transport) String() string {
	return fmt.Sprintf("ari.Transport{ID: %q, Protocol: %q, Bind: %q, Fields: %v}",
		t.ID, t.Protocol, t.Bind, redactFields(t.Fields))
}

// GoString is String.
func (t Transport) GoString() string { return t.String() }

// LogValue implements slog.LogValuer.
func (t Transport) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", t.ID), slog.String("protocol", t.Protocol), slog.String("bind", t.Bind))
}
