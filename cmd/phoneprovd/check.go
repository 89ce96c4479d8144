package main

import (
	"context"
	"fmt"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

func runCheck(_ context.Context, e *env, args []string) int {
	var d dirFlags
	fs := newFlagSet(e, "check", "[-config-dir DIR] [-data-dir DIR] [-strict]")
	d.register(fs)
	strict := fs.Bool("strict", false, "fail on warnings too (skipped users, ignored lines)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	snap, _, err := loadOnce(d, e.stdout)
	if err != nil {
		return fail(e, err)
	}
	errors, warnings := 0, 0
	diags := snap.CheckPlugins()
	for _, diag := range diags {
		fmt.Fprintf(e.stdout, "%s: %s\n", diag.Severity, diag)
	}
	for _, diag := range append(diags, snap.Diagnostics...) {
		if diag.Severity == phoneprov.Error {
			errors++
		} else {
			warnings++
		}
	}
	fmt.Fprintf(e.stdout, "%s; %d errors, %d warnings\n", snap, errors, warnings)
	if errors > 0 || (*strict && warnings > 0) {
		return 1
	}
	return 0
}
