package ami

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Action sends an action and returns its response. The client sets Action
// and ActionID; fields follow in order. A response other than Success
// (Error, or anything unexpected) is returned with an *ActionError
// carrying its Message. ctx bounds the wait; without a deadline,
// Config.ActionTimeout applies. Action is never retried: when the
// connection is lost before the reply the error is an ErrNotConnected and
// the action may or may not have run.
func (c *Client) Action(ctx context.Context, action string, fields ...Field) (Message, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	cl, err := c.send(ctx, action, fields, false)
	if err != nil {
		return Message{}, err
	}
	return cl.resp, responseError(action, cl.resp)
}

// List sends a list action (PJSIPShowEndpoints, PJSIPShowEndpoint,
// SIPpeers, ...) and returns its response and the events up to, not
// including, the one with "EventList: Complete". When the events received
// do not add up to that event's ListItems (an event was lost), or the
// connection drops in the middle, List sends the action again, up to
// Config.ListAttempts times, then fails with ErrListIncomplete (or the
// connection error). A response without "EventList: start" (an action
// that is not a list) is returned with no events.
func (c *Client) List(ctx context.Context, action string, fields ...Field) (Message, []Message, error) {
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	var lastErr error
	for attempt := 1; attempt <= c.cfg.ListAttempts; attempt++ {
		cl, err := c.send(ctx, action, fields, true)
		var lost *connLostError
		switch {
		case errors.As(err, &lost) && ctx.Err() == nil:
			lastErr = err
			c.log.Warn("ami: list interrupted, waiting to reconnect", "action", action, "attempt", attempt, "err", err)
			if err := c.WaitConnected(ctx); err != nil {
				return Message{}, nil, fmt.Errorf("ami: %s: %w", action, err)
			}
			continue
		case err != nil:
			return Message{}, nil, err
		}
		if err := responseError(action, cl.resp); err != nil {
			return cl.resp, nil, err
		}
		for _, extra := range cl.extra {
			if err := responseError(action, extra); err != nil {
				return cl.resp, cl.items, err
			}
		}
		if want, ok := listItems(cl.complete); ok && want != len(cl.items) {
			lastErr = fmt.Errorf("%w: %s: %d events, ListItems %d", ErrListIncomplete, action, len(cl.items), want)
			c.log.Warn("ami: list event lost, sending the action again", "action", action, "attempt", attempt, "events", len(cl.items), "list_items", want)
			continue
		}
		return cl.resp, cl.items, nil
	}
	return Message{}, nil, fmt.Errorf("ami: %s: giving up after %d attempts: %w", action, c.cfg.ListAttempts, lastErr)
}

// send sends an action on the current connection and waits for it.
func (c *Client) send(ctx context.Context, action string, fields []Field, list bool) (*call, error) {
	cn, err := c.sup.Current()
	if err != nil {
		return nil, fmt.Errorf("ami: %s: %w", action, err)
	}
	id := c.nextID()
	c.log.Debug("ami: sending action", "action", action, "actionid", id, "fields", NewMessage(fields...))
	cl, err := cn.roundTrip(ctx, action, id, fields, list)
	if err != nil {
		c.log.Debug("ami: action failed", "action", action, "actionid", id, "err", err)
		return nil, err
	}
	c.log.Debug("ami: action answered", "action", action, "actionid", id, "response", cl.resp, "events", len(cl.items))
	return cl, nil
}

// responseError returns an *ActionError unless the response is Success
// (Goodbye answers Logoff, Follows an old-style Command).
func responseError(action string, resp Message) error {
	switch strings.ToLower(resp.Get("Response")) {
	case "success", "goodbye", "follows":
		return nil
	}
	return &ActionError{Action: action, Message: strings.TrimSpace(resp.Get("Message")), Response: resp}
}

// listItems returns the ListItems count of a list's Complete event.
func listItems(complete Message) (int, bool) {
	v, ok := complete.Lookup("ListItems")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, err == nil
}
