package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

func runRender(_ context.Context, e *env, args []string) int {
	var d dirFlags
	fs := newFlagSet(e, "render", "[-config-dir DIR] [-data-dir DIR] [-server ADDR] URI")
	d.register(fs)
	server := fs.String("server", "", "the address the phone reached (SERVER), when phoneprov.conf does not set one")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	uri := fs.Arg(0)
	snap, _, err := loadOnce(d, e.stderr)
	if err != nil {
		return fail(e, err)
	}
	route := snap.Route(uri)
	if route == nil {
		return fail(e, fmt.Errorf("no route %q (see phoneprovd routes)", uri))
	}
	if route.Static() {
		path, err := snap.StaticPath(route)
		if err != nil {
			return fail(e, err)
		}
		f, err := os.Open(path)
		if err != nil {
			return fail(e, err)
		}
		defer f.Close()
		if _, err := io.Copy(e.stdout, f); err != nil {
			return fail(e, err)
		}
		return 0
	}
	body, err := snap.Render(route, *server)
	if err != nil {
		return fail(e, err)
	}
	if _, err := body.WriteTo(e.stdout); err != nil {
		return fail(e, err)
	}
	return 0
}
