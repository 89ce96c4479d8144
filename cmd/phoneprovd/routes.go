package main

import "context"

func runRoutes(_ context.Context, e *env, args []string) int {
	var d dirFlags
	fs := newFlagSet(e, "routes", "[-config-dir DIR] [-data-dir DIR]")
	d.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	snap, _, err := loadOnce(d, e.stderr)
	if err != nil {
		return fail(e, err)
	}
	if err := snap.WriteRoutes(e.stdout); err != nil {
		return fail(e, err)
	}
	return 0
}
