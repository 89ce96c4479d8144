package ari

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/websocket"
)

// eventsURL returns the websocket URL of base's /events resource.
func eventsURL(base string) string {
	switch {
	case strings.HasPrefix(base, "https://"):
		return "wss://" + strings.TrimPrefix(base, "https://") + "/events"
	case strings.HasPrefix(base, "http://"):
		return "ws://" + strings.TrimPrefix(base, "http://") + "/events"
	}
	return base + "/events"
}

// connect opens the event websocket and subscribes the configured event
// sources, within Config.Timeout.
func (c *Client) connect(ctx context.Context) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	ws, err := c.dialEvents(ctx)
	if err != nil {
		return nil, err
	}
	for _, src := range c.cfg.EventSources {
		path := "/applications/" + pathEscape(c.cfg.Application) + "/subscription?eventSource=" + url.QueryEscape(src)
		if err := c.do(ctx, "POST", path, nil); err != nil {
			ws.Close()
			return nil, fmt.Errorf("ari: subscribe %s to %s: %w", c.cfg.Application, src, err)
		}
	}
	return ws, nil
}

// dialEvents performs the websocket handshake on
// /events?app=<Application>[&subscribeAll=true] with HTTP Basic
// credentials. A refused handshake is a *StatusError (so a 401 is
// ErrUnauthorized); golang.org/x/net/websocket itself only reports "bad
// status", so the status line is read from the bytes it consumed.
func (c *Client) dialEvents(ctx context.Context) (*websocket.Conn, error) {
	q := url.Values{"app": {c.cfg.Application}}
	if c.cfg.SubscribeAll {
		q.Set("subscribeAll", "true")
	}
	target := eventsURL(c.base) + "?" + q.Encode()
	cfg, err := websocket.NewConfig(target, "http://localhost/")
	if err != nil {
		return nil, fmt.Errorf("ari: events websocket: %w", err)
	}
	cfg.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.cfg.Username+":"+c.cfg.Password)))
	host := cfg.Location.Host
	if cfg.Location.Port() == "" {
		port := "80"
		if cfg.Location.Scheme == "wss" {
			port = "443"
		}
		host = net.JoinHostPort(cfg.Location.Hostname(), port)
	}
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, fmt.Errorf("ari: events websocket: %w: %v", ErrNotConnected, err)
	}
	if cfg.Location.Scheme == "wss" {
		raw = tls.Client(raw, &tls.Config{ServerName: cfg.Location.Hostname()})
	}
	if dl, ok := ctx.Deadline(); ok {
		raw.SetDeadline(dl)
	}
	stopAbort := context.AfterFunc(ctx, func() { raw.SetDeadline(time.Unix(1, 0)) })
	hc := &headConn{Conn: raw}
	ws, err := websocket.NewClient(cfg, hc)
	aborted := !stopAbort()
	if err != nil {
		raw.Close()
		if status, text, ok := hc.status(); ok && status != 101 {
			return nil, &StatusError{Method: "GET", Path: "/events", Status: status, Message: text}
		}
		if aborted && ctx.Err() != nil {
			return nil, fmt.Errorf("ari: events websocket: %w", ctx.Err())
		}
		return nil, fmt.Errorf("ari: events websocket: %w", err)
	}
	raw.SetDeadline(time.Time{})
	ws.MaxPayloadBytes = MaxEventSize
	return ws, nil
}

// headConn remembers the first bytes read from a connection, to recover
// the status line of a refused websocket handshake.
type headConn struct {
	net.Conn
	mu   sync.Mutex
	head []byte
}

// Read reads from the connection, keeping up to 128 bytes of the start.
func (h *headConn) Read(p []byte) (int, error) {
	n, err := h.Conn.Read(p)
	h.mu.Lock()
	if room := 128 - len(h.head); room > 0 {
		h.head = append(h.head, p[:min(n, room)]...)
	}
	h.mu.Unlock()
	return n, err
}

// status parses "HTTP/1.1 401 Unauthorized" from the bytes read.
func (h *headConn) status() (int, string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	line, _, _ := bytes.Cut(h.head, []byte("\r\n"))
	fields := strings.SplitN(string(line), " ", 3)
	if len(fields) < 2 || !strings.HasPrefix(fields[0], "HTTP/") {
		return 0, "", false
	}
	status, err := strconv.Atoi(fields[1])
	if err != nil {
		return 0, "", false
	}
	text := ""
	if len(fields) == 3 {
		text = fields[2]
	}
	return status, text, true
}

// readEvents reads messages until the websocket fails or ctx is done,
// decoding each into the event queue. It closes the websocket.
func (c *Client) readEvents(ctx context.Context, ws *websocket.Conn) error {
	stop := context.AfterFunc(ctx, func() { ws.Close() })
	defer stop()
	defer ws.Close()
	for {
		var data []byte
		if err := websocket.Message.Receive(ws, &data); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, websocket.ErrFrameTooLarge) {
				c.log.Warn("ari: event too large, dropped", "limit", MaxEventSize)
				continue
			}
			return fmt.Errorf("ari: events websocket: %w", err)
		}
		ev, err := DecodeEvent(data)
		if err != nil {
			c.log.Warn("ari: undecodable event dropped", "err", err, "bytes", len(data))
			continue
		}
		c.log.Debug("ari: event", "type", ev.Type, "endpoint", ev.Endpoint.Technology+"/"+ev.Endpoint.Resource)
		c.events.Push(ev)
	}
}
