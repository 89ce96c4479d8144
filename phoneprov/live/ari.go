package live

import (
	"context"
	"errors"
	"strconv"

	"github.com/phoneprovd/phoneprovd/asterisk/ari"
	"github.com/phoneprovd/phoneprovd/asterisk/pjsip"
	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// ARI is a Source on an ARI client. It consumes the client's events.
type ARI struct {
	c       *ari.Client
	refresh chan string
}

// NewARI returns a Source asking c, and starts following its events:
// ContactStatusChange and EndpointStateChange refresh that endpoint; every
// (re)connection refreshes them all.
func NewARI(ctx context.Context, c *ari.Client) *ARI {
	a := &ARI{c: c, refresh: make(chan string, 256)}
	c.OnConnect(func() { a.send("") })
	events := c.Events()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				switch ev.Type {
				case "ContactStatusChange", "EndpointStateChange", "PeerStatusChange":
					if ev.Endpoint.Resource != "" {
						a.send(ev.Endpoint.Resource)
					}
				}
			}
		}
	}()
	return a
}

func (a *ARI) send(name string) {
	select {
	case a.refresh <- name:
	default:
	}
}

// Name implements Source.
func (a *ARI) Name() string { return "ari" }

// Connected implements Source.
func (a *ARI) Connected() bool { return a.c.Connected() }

// Failure implements Source.
func (a *ARI) Failure() *Failure {
	f := a.c.Failure()
	if f.Err == nil || a.c.Connected() {
		return nil
	}
	return &Failure{Source: "ari", Cause: f.Cause, Message: f.Err.Error(), At: f.At}
}

// Refresh implements Source.
func (a *ARI) Refresh() <-chan string { return a.refresh }

// Lookup implements Source with the dynamic configuration API: the
// endpoint, its transport and its first inbound auth.
func (a *ARI) Lookup(ctx context.Context, name string) (phoneprov.LiveEndpoint, bool, error) {
	ep, err := a.c.Endpoint(ctx, name)
	if errors.Is(err, ari.ErrNotFound) {
		return phoneprov.LiveEndpoint{}, false, nil
	}
	if err != nil {
		return phoneprov.LiveEndpoint{}, false, err
	}
	le := phoneprov.LiveEndpoint{Name: name, Tech: "PJSIP", Transport: ep.Transport, Fields: make(map[string]string, len(ep.Fields))}
	le.CallerIDName, le.CallerIDNum = pjsip.SplitCallerID(ep.Callerid)
	for k, v := range ep.Fields {
		le.Fields[phoneprov.FieldKey(k)] = v
	}
	if ep.Transport != "" {
		t, err := a.c.Transport(ctx, ep.Transport)
		switch {
		case err == nil:
			if p, err := t.Port(); err == nil {
				le.TransportPort = strconv.Itoa(p)
			}
		case !errors.Is(err, ari.ErrNotFound):
			return phoneprov.LiveEndpoint{}, false, err
		}
	}
	if len(ep.Auths) > 0 {
		le.AuthID = ep.Auths[0]
		auth, err := a.c.Auth(ctx, le.AuthID)
		switch {
		case err == nil:
			le.Username, le.Secret = auth.Username, auth.Password
		case !errors.Is(err, ari.ErrNotFound):
			return phoneprov.LiveEndpoint{}, false, err
		}
	}
	return le, true, nil
}
