package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// runUnban asks the running daemon, over its admin API, to lift a ban.
func runUnban(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "unban", "[-config-dir DIR] [-admin ADDR] ADDR | PREFIX | all")
	configDir := fs.String("config-dir", "/etc/asterisk", "config directory (for phoneprovd.conf's admin address)")
	addr := fs.String("admin", "", "the daemon's admin listener (default: [general] admin of phoneprovd.conf)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	admin, err := dialAdmin(*configDir, *addr)
	if err != nil {
		return fail(e, err)
	}
	req := security.UnbanRequest{Source: fs.Arg(0)}
	if fs.Arg(0) == "all" {
		req = security.UnbanRequest{All: true}
	}
	body, _ := json.Marshal(req)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	url := admin.url("/unban")
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fail(e, err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	resp, err := admin.client.Do(hreq)
	if err != nil {
		return fail(e, fmt.Errorf("is phoneprovd running? %w", err))
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var res security.UnbanResult
	if err := json.Unmarshal(raw, &res); err != nil || resp.StatusCode != http.StatusOK {
		if res.Error != "" {
			return fail(e, fmt.Errorf("%s", res.Error))
		}
		return fail(e, fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(raw))))
	}
	if len(res.Unbanned) == 0 {
		fmt.Fprintf(e.stdout, "%s was not banned\n", fs.Arg(0))
		return 0
	}
	for _, src := range res.Unbanned {
		fmt.Fprintf(e.stdout, "unbanned %s\n", src)
	}
	return 0
}
