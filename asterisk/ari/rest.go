package ari

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxReply bounds a REST reply body the client reads.
const maxReply = 8 << 20

// pathEscape escapes one path segment for res_ari, which splits the path
// at '/' before decoding each segment with ast_uri_decode (legacy mode,
// where '+' means a space): everything but unreserved characters is
// percent-encoded, '/', '+', '?' and '#' included.
func pathEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// acquire takes one of the MaxInFlight call slots, waiting within ctx.
func (c *Client) acquire(ctx context.Context) error {
	select {
	case c.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.sup.Done():
		return ErrClosed
	}
}

// release frees a call slot.
func (c *Client) release() {
	<-c.slots
}

// do sends a REST request and decodes a 2xx JSON reply into out (nil
// ignores the body). path is below the base URL and already escaped. A
// non-2xx reply is a *StatusError; a transport failure wraps
// ErrNotConnected. Errors never contain the password.
func (c *Client) do(ctx context.Context, method, path string, out any) error {
	if c.sup.Closed() {
		return ErrClosed
	}
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	if err := c.acquire(ctx); err != nil {
		return fmt.Errorf("ari: %s %s: %w", method, path, err)
	}
	defer c.release()
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
	if err != nil {
		return fmt.Errorf("ari: %s %s: %w", method, path, err)
	}
	req.SetBasicAuth(c.cfg.Username, c.cfg.Password)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("ari: %s %s: %w", method, path, ctx.Err())
		}
		return fmt.Errorf("ari: %s %s: %w: %v", method, path, ErrNotConnected, transportError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxReply+1))
	if err != nil {
		return fmt.Errorf("ari: %s %s: read reply: %w", method, path, err)
	}
	if len(body) > maxReply {
		return fmt.Errorf("ari: %s %s: reply larger than %d bytes", method, path, maxReply)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var msg struct {
			Message string `json:"message"`
		}
		json.Unmarshal(body, &msg)
		return &StatusError{Method: method, Path: path, Status: resp.StatusCode, Message: msg.Message}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("ari: %s %s: decode reply: %w", method, path, err)
	}
	return nil
}

// transportError returns the cause of an HTTP client error without the
// "Get <url>:" prefix, which the caller already names.
func transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
