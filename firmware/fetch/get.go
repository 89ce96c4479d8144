package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Get downloads a small document that has no known size or checksum (a
// plugin index) into memory, with the cache's client, retries and
// backoff. A body larger than max bytes is an error.
func (c *Cache) Get(ctx context.Context, url string, max int64) ([]byte, error) {
	attempts := c.Attempts
	if attempts <= 0 {
		attempts = 5
	}
	for attempt := 1; ; attempt++ {
		data, err := c.get(ctx, url, max)
		switch {
		case err == nil:
			return data, nil
		case ctx.Err() != nil:
			return nil, fmt.Errorf("GET %s: %w", url, ctx.Err())
		case isPermanent(err):
			return nil, unwrapPermanent(err)
		case attempt >= attempts:
			return nil, fmt.Errorf("giving up after %d attempts: %w", attempts, err)
		}
		wait := c.backoff(attempt)
		c.log().Warn("download failed, retrying", "url", url, "attempt", attempt, "wait", wait, "err", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("GET %s: %w", url, ctx.Err())
		case <-time.After(wait):
		}
	}
}

func (c *Cache) get(ctx context.Context, url string, max int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, permanent{fmt.Errorf("bad URL %q: %w", url, err)}
	}
	ua := c.UserAgent
	if ua == "" {
		ua = "phoneprovd"
	}
	req.Header.Set("User-Agent", ua)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, err // a *url.Error: it names the method and URL
	}
	defer resp.Body.Close()
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		return nil, &StatusError{URL: url, Status: resp.Status, Code: code}
	default:
		return nil, permanent{&StatusError{URL: url, Status: resp.Status, Code: code}}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	if int64(len(data)) > max {
		return nil, permanent{fmt.Errorf("GET %s: larger than %d bytes", url, max)}
	}
	if resp.ContentLength >= 0 && int64(len(data)) != resp.ContentLength {
		return nil, fmt.Errorf("GET %s: got %d of %d bytes", url, len(data), resp.ContentLength)
	}
	return data, nil
}
