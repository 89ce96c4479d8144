package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// runUnban asks the running daemon, over its admin API, to lift a ban.
func runUnban(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "unban", "[-config-dir DIR] [-admin ADDR] ADDR | PREFIX | all")
	dial := adminFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	admin, err := dial()
	if err != nil {
		return fail(e, err)
	}
	req := security.UnbanRequest{Source: fs.Arg(0)}
	if fs.Arg(0) == "all" {
		req = security.UnbanRequest{All: true}
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	raw, err := admin.call(ctx, http.MethodPost, "/unban", req)
	if err != nil {
		return fail(e, err)
	}
	var res security.UnbanResult
	if err := json.Unmarshal(raw, &res); err != nil {
		return fail(e, err)
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
