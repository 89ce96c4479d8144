package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/resync"
)

// runResync asks the running daemon, over its admin API, to re-sync phones.
func runResync(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "resync", "[-config-dir DIR] [-admin ADDR] MAC... | all")
	dial := adminFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	admin, err := dial()
	if err != nil {
		return fail(e, err)
	}
	req := resync.Request{Phones: fs.Args()}
	if fs.NArg() == 1 && fs.Arg(0) == "all" {
		req = resync.Request{All: true}
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	raw, err := admin.call(ctx, http.MethodPost, "/resync", req)
	if adminStatus(err) == http.StatusNotFound {
		return fail(e, fmt.Errorf("re-sync is off: it needs [ami] in phoneprovd.conf"))
	}
	if err != nil {
		return fail(e, err)
	}
	var res resync.Result
	if err := json.Unmarshal(raw, &res); err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "queued %d phones\n", len(res.Queued))
	for _, m := range res.Unknown {
		fmt.Fprintf(e.stdout, "unknown: %s\n", m)
	}
	for _, m := range res.Skipped {
		fmt.Fprintf(e.stdout, "skipped (no endpoint, or resync = no for its profile): %s\n", m)
	}
	if len(res.Unknown) > 0 {
		return 1
	}
	return 0
}
