package live

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/ami"
	"github.com/phoneprovd/phoneprovd/asterisk/pjsip"
	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// AMI is a Backend on an AMI client. It consumes the client's events.
type AMI struct {
	*follower
	c *ami.Client
}

// NewAMI returns a Backend asking c, and starts following its events:
// ContactStatus refreshes that endpoint; Reload, FullyBooted and every
// (re)connection refresh them all. It stops when ctx is done.
func NewAMI(ctx context.Context, c *ami.Client) *AMI {
	a := &AMI{c: c, follower: newFollower("ami", c.Connected, func() (string, error, time.Time) {
		f := c.Failure()
		return f.Cause, f.Err, f.At
	})}
	c.OnConnect(func() { a.send("") })
	follow(ctx, c.Events(), func(ev ami.Message) {
		switch ev.Get("Event") {
		case "ContactStatus":
			a.send(ev.Get("EndpointName"))
			a.contact(Contact{Backend: "ami", Endpoint: ev.Get("EndpointName"), AOR: ev.Get("AOR"), URI: ev.Get("URI"), Status: ev.Get("ContactStatus")})
		case "PeerStatus":
			peer := ev.Get("Peer")
			if i := strings.IndexByte(peer, '/'); i >= 0 {
				peer = peer[i+1:]
			}
			a.send(peer)
		case "Reload", "FullyBooted":
			a.send("")
		}
	})
	return a
}

// Lookup implements Backend: PJSIPShowEndpoint, or SIPshowpeer for a
// chan_sip peer (Asterisk ≤ 20), which gives the caller ID but never the
// secret.
func (a *AMI) Lookup(ctx context.Context, name string) (provider.LiveEndpoint, bool, error) {
	ep, err := a.c.Endpoint(ctx, name)
	if err == nil {
		return fromAMIEndpoint(ep), true, nil
	}
	if !errors.Is(err, ami.ErrNotFound) {
		return provider.LiveEndpoint{}, false, err
	}
	peer, err := a.c.SIPPeer(ctx, name)
	if err != nil {
		var ae *ami.ActionError
		if errors.Is(err, ami.ErrNotFound) || errors.As(err, &ae) {
			return provider.LiveEndpoint{}, false, nil
		}
		return provider.LiveEndpoint{}, false, err
	}
	le := provider.LiveEndpoint{Name: name, Tech: "SIP", Fields: map[string]string{"context": peer.Context}}
	le.CallerIDName, le.CallerIDNum = pjsip.SplitCallerID(peer.Callerid)
	return le, true, nil
}

func fromAMIEndpoint(ep *ami.Endpoint) provider.LiveEndpoint {
	le := provider.LiveEndpoint{Name: ep.Name, Tech: "PJSIP", Transport: ep.Transport, Fields: make(map[string]string)}
	le.CallerIDName, le.CallerIDNum = pjsip.SplitCallerID(ep.Callerid)
	if ep.Transport != "" {
		le.TransportPort = portOf(ep.TransportDetail.Bind, ep.TransportDetail.Protocol)
	}
	if len(ep.Auths) > 0 {
		le.AuthID = ep.Auths[0]
		for _, a := range ep.AuthDetails {
			if a.ID == le.AuthID {
				le.Username, le.Secret = a.Username, a.Password
				break
			}
		}
	}
	for _, f := range ep.Detail.Fields() {
		switch f.Key {
		case "Event", "ActionID", "ObjectType", "ObjectName", "DeviceState", "ActiveChannels":
			continue
		}
		le.Fields[provider.FieldKey(f.Key)] = f.Value
	}
	return le
}

// portOf is a transport's port: from its bind address, else 5060 (5061 for
// TLS), as res_pjsip does.
func portOf(bind, protocol string) string {
	if _, p, err := net.SplitHostPort(bind); err == nil {
		if n, err := strconv.Atoi(p); err == nil && n > 0 {
			return p
		}
	}
	if strings.EqualFold(protocol, "tls") {
		return "5061"
	}
	return "5060"
}
