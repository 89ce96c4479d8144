package dhcp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Send posts events to the daemon whose admin listener is at admin
// ("127.0.0.1:8081", or a URL "http://host:port"), with token when it is
// not empty. It returns what the daemon answered; an error when it could
// not be reached or refused the events. The error never holds the token.
func Send(ctx context.Context, client *http.Client, admin, token string, events []Event) (Result, error) {
	if client == nil {
		client = http.DefaultClient
	}
	body, err := json.Marshal(Batch{Events: events})
	if err != nil {
		return Result{}, err
	}
	base := admin
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		base = "http://" + base
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(base, "/")+LeasesPath, bytes.NewReader(body))
	if err != nil {
		return Result{}, fmt.Errorf("admin address %q: %w", admin, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		// provd's header, not Authorization: the admin listener's Basic
		// credentials may travel in that one.
		req.Header.Set("X-Auth-Token", token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return Result{}, fmt.Errorf("is phoneprovd running? %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var res Result
	if jerr := json.Unmarshal(raw, &res); jerr != nil && resp.StatusCode == http.StatusOK {
		return Result{}, fmt.Errorf("%s answered %s: %w", LeasesPath, resp.Status, jerr)
	}
	if resp.StatusCode != http.StatusOK {
		msg := res.Error
		if msg == "" {
			msg = strings.TrimSpace(string(raw))
		}
		if resp.StatusCode == http.StatusNotFound {
			msg = "this phoneprovd does not take DHCP lease events (an older version?)"
		}
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		return res, fmt.Errorf("phoneprovd refused the lease events: %s: %s", resp.Status, msg)
	}
	return res, nil
}
