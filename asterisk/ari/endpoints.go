package ari

import "context"

// Endpoints lists every endpoint and its state (GET /endpoints): PJSIP
// endpoints and chan_sip peers alike. ARI gives no contact address, user
// agent or credentials here (docs/asterisk.md#ari).
func (c *Client) Endpoints(ctx context.Context) ([]EndpointState, error) {
	var out []EndpointState
	if err := c.do(ctx, "GET", "/endpoints", &out); err != nil {
		return nil, err
	}
	return out, nil
}

// EndpointsByTech lists the endpoints of one technology, e.g. "PJSIP"
// (GET /endpoints/{tech}); an unknown technology is ErrNotFound.
func (c *Client) EndpointsByTech(ctx context.Context, tech string) ([]EndpointState, error) {
	var out []EndpointState
	if err := c.do(ctx, "GET", "/endpoints/"+pathEscape(tech), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// EndpointState returns one endpoint's state (GET
// /endpoints/{tech}/{resource}); an unknown one is ErrNotFound.
func (c *Client) EndpointState(ctx context.Context, tech, resource string) (*EndpointState, error) {
	var out EndpointState
	if err := c.do(ctx, "GET", "/endpoints/"+pathEscape(tech)+"/"+pathEscape(resource), &out); err != nil {
		return nil, err
	}
	return &out, nil
}
