package live

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/ari"
	"github.com/phoneprovd/phoneprovd/asterisk/pjsip"
	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// ARI is a Backend on an ARI client. It consumes the client's events.
type ARI struct {
	*follower
	c *ari.Client
}

// NewARI returns a Backend asking c, and starts following its events:
// ContactStatusChange and EndpointStateChange refresh that endpoint; every
// (re)connection refreshes them all.
func NewARI(ctx context.Context, c *ari.Client) *ARI {
	a := &ARI{c: c, follower: newFollower("ari", c.Connected, func() (string, error, time.Time) {
		f := c.Failure()
		return f.Cause, f.Err, f.At
	})}
	c.OnConnect(func() { a.send("") })
	follow(ctx, c.Events(), func(ev ari.Event) {
		switch ev.Type {
		case "ContactStatusChange", "EndpointStateChange", "PeerStatusChange":
			if ev.Endpoint.Resource != "" {
				a.send(ev.Endpoint.Resource)
			}
		}
		if ev.Type == "ContactStatusChange" && ev.Contact != nil {
			a.contact(Contact{Backend: "ari", Endpoint: ev.Endpoint.Resource, AOR: ev.Contact.AOR, URI: ev.Contact.URI, Status: ev.Contact.Status})
		}
	})
	return a
}

// Lookup implements Backend with the dynamic configuration API: the
// endpoint, its transport and its first inbound auth.
func (a *ARI) Lookup(ctx context.Context, name string) (provider.LiveEndpoint, bool, error) {
	ep, err := a.c.Endpoint(ctx, name)
	if errors.Is(err, ari.ErrNotFound) {
		return provider.LiveEndpoint{}, false, nil
	}
	if err != nil {
		return provider.LiveEndpoint{}, false, err
	}
	le := provider.LiveEndpoint{Name: name, Tech: "PJSIP", Transport: ep.Transport, Fields: make(map[string]string, len(ep.Fields))}
	le.CallerIDName, le.CallerIDNum = pjsip.SplitCallerID(ep.Callerid)
	for k, v := range ep.Fields {
		le.Fields[provider.FieldKey(k)] = v
	}
	if ep.Transport != "" {
		t, err := a.c.Transport(ctx, ep.Transport)
		switch {
		case err == nil:
			if p, err := t.Port(); err == nil {
				le.TransportPort = strconv.Itoa(p)
			}
		case !errors.Is(err, ari.ErrNotFound):
			return provider.LiveEndpoint{}, false, err
		}
	}
	if len(ep.Auths) > 0 {
		le.AuthID = ep.Auths[0]
		auth, err := a.c.Auth(ctx, le.AuthID)
		switch {
		case err == nil:
			le.Username, le.Secret = auth.Username, auth.Password
		case !errors.Is(err, ari.ErrNotFound):
			return provider.LiveEndpoint{}, false, err
		}
	}
	return le, true, nil
}
