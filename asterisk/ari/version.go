package ari

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/CyCoreSystems/ari/v6/client/native"
)

// maxLibraryCalls bounds the ari/v6 calls running at once. The library's
// HTTP client has no timeout, so a call abandoned on a stalled server
// keeps its goroutine until the server answers or closes the connection;
// this bound keeps those from piling up and from taking the slots of the
// client's own REST calls.
const maxLibraryCalls = 4

// Version returns Asterisk's version, system.version of GET
// /asterisk/info, e.g. "20.20.1". It goes through
// github.com/CyCoreSystems/ari/v6 (Asterisk().Info), whose calls take no
// context: the call runs on a goroutine that ctx abandons.
func (c *Client) Version(ctx context.Context) (string, error) {
	var version string
	err := c.callLibrary(ctx, "GET", "/asterisk/info", func() error {
		info, err := c.lib.Asterisk().Info(nil)
		if err == nil {
			version = info.SystemInfo.Version
		}
		return err
	})
	return version, err
}

// callLibrary runs an ari/v6 call with a context: it waits for one of
// maxLibraryCalls slots, runs f on a goroutine and returns when f does or
// ctx ends, whichever is first; an abandoned f keeps its slot until it
// returns. Library errors are mapped to StatusError or ErrNotConnected.
func (c *Client) callLibrary(ctx context.Context, method, path string, f func() error) error {
	if c.sup.Closed() {
		return ErrClosed
	}
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	select {
	case c.libSlots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("ari: %s %s: waiting for a call slot: %w", method, path, ctx.Err())
	}
	result := make(chan error, 1)
	go func() {
		defer func() { <-c.libSlots }()
		result <- f()
	}()
	select {
	case err := <-result:
		return libraryError(method, path, err)
	case <-ctx.Done():
		return fmt.Errorf("ari: %s %s: %w", method, path, ctx.Err())
	}
}

// libraryError maps an ari/v6 error: a non-2xx reply carries its status
// as a native.RequestError, a transport failure a *url.Error.
func libraryError(method, path string, err error) error {
	if err == nil {
		return nil
	}
	var re native.RequestError
	if errors.As(err, &re) {
		return &StatusError{Method: method, Path: path, Status: re.Code()}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("ari: %s %s: %w: %v", method, path, ErrNotConnected, ue.Err)
	}
	return fmt.Errorf("ari: %s %s: %w", method, path, err)
}
