package ami

import (
	"context"
	"strconv"
	"strings"
)

// Peer is a chan_sip peer as SIPshowpeer describes it (Asterisk 20 and
// earlier). chan_sip never reveals secrets, only whether they exist.
type Peer struct {
	Name            string
	Context         string
	Callerid        string
	Dynamic         bool // host=dynamic
	SecretExist     bool
	AddressIP       string // "(null)" when unknown
	AddressPort     int
	DefaultUsername string
	UserAgent       string // SIP-Useragent of the last registration
	RegContact      string // Contact of the last registration
	// RegExpireSeconds is the time left on the registration, -1 for none.
	RegExpireSeconds int
	Status           string // e.g. "OK (12 ms)", "UNREACHABLE", "Unmonitored"
	Codecs           string
	// Response is the whole reply, for any other field.
	Response Message
}

// PeerEntry is one PeerEntry event of SIPpeers.
type PeerEntry struct {
	Name      string
	IPAddress string // "-none-" for an unregistered dynamic peer
	IPPort    int
	Dynamic   bool
	Status    string
}

// SIPPeer reads a chan_sip peer with SIPshowpeer. An unknown peer gives
// an ErrNotFound.
func (c *Client) SIPPeer(ctx context.Context, peer string) (*Peer, error) {
	resp, err := c.Action(ctx, "SIPshowpeer", F("Peer", peer))
	if err != nil {
		return nil, notFound(err, "Peer "+peer+" not found")
	}
	p := &Peer{
		Name:            resp.Get("ObjectName"),
		Context:         resp.Get("Context"),
		Callerid:        resp.Get("Callerid"),
		Dynamic:         resp.Get("Dynamic") == "Y",
		SecretExist:     resp.Get("SecretExist") == "Y",
		AddressIP:       resp.Get("Address-IP"),
		DefaultUsername: resp.Get("Default-Username"),
		UserAgent:       resp.Get("SIP-Useragent"),
		RegContact:      resp.Get("Reg-Contact"),
		Status:          resp.Get("Status"),
		Codecs:          resp.Get("Codecs"),
		Response:        resp,
	}
	p.AddressPort, _ = strconv.Atoi(resp.Get("Address-Port"))
	p.RegExpireSeconds, err = strconv.Atoi(strings.TrimSuffix(resp.Get("RegExpire"), " seconds"))
	if err != nil {
		p.RegExpireSeconds = -1
	}
	return p, nil
}

// SIPPeers lists the chan_sip peers with SIPpeers.
func (c *Client) SIPPeers(ctx context.Context) ([]PeerEntry, error) {
	_, events, err := c.List(ctx, "SIPpeers")
	if err != nil {
		return nil, err
	}
	out := make([]PeerEntry, 0, len(events))
	for _, m := range events {
		if m.Get("Event") != "PeerEntry" {
			continue
		}
		port, _ := strconv.Atoi(m.Get("IPport"))
		out = append(out, PeerEntry{
			Name:      m.Get("ObjectName"),
			IPAddress: m.Get("IPaddress"),
			IPPort:    port,
			Dynamic:   m.Get("Dynamic") == "yes",
			Status:    m.Get("Status"),
		})
	}
	return out, nil
}

// SIPNotify sends a NOTIFY to a chan_sip peer with SIPnotify, each
// variable ("Event=check-sync") as a Variable: field. Asterisk answers
// "Notify Sent" whether or not the phone listens; an unknown or
// unregistered peer gives "Could not create address".
func (c *Client) SIPNotify(ctx context.Context, peer string, vars []string) error {
	fields := []Field{F("Channel", peer)}
	for _, v := range vars {
		fields = append(fields, F("Variable", v))
	}
	_, err := c.Action(ctx, "SIPnotify", fields...)
	return err
}
