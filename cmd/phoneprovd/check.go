package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

func runCheck(_ context.Context, e *env, args []string) int {
	var d dirFlags
	fs := newFlagSet(e, "check", "[-config-dir DIR] [-data-dir DIR] [-strict]")
	d.register(fs)
	strict := fs.Bool("strict", false, "fail on warnings too (skipped users, ignored lines, MACs phones never ask for, …)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return 2
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "phoneprovd check: unexpected argument %q: check takes only flags\n", rest[0])
		fs.Usage()
		return 2
	}
	// Everything is reported, not only the first problem: bad settings
	// leave their defaults in place and the configuration is still read.
	var diags []phoneprov.Diagnostic
	s, err := settings.Load(d.configDir)
	if err != nil {
		for _, err := range splitErrors(err) {
			diags = append(diags, phoneprov.Diagnostic{Severity: phoneprov.Error, Msg: err.Error()})
		}
		if s == nil {
			s = settings.Defaults()
		}
	}
	snap, err := phoneprov.Load(engineOptions(d, s, slog.New(slog.DiscardHandler)))
	if err != nil {
		printDiagnostics(e, diags)
		return fail(e, err)
	}
	diags = append(diags, snap.Diagnostics...)
	diags = append(diags, snap.Check(phoneprov.CheckOptions{})...)
	diags = append(diags, snap.CheckPlugins()...)
	diags = append(diags, securityDiagnostics(snap, s)...)
	errs, warnings := printDiagnostics(e, diags)
	fmt.Fprintf(e.stdout, "%s; %d errors, %d warnings\n", snap, errs, warnings)
	if errs > 0 || (*strict && warnings > 0) {
		return 1
	}
	return 0
}

// printDiagnostics prints one "severity: file:line: message" line per
// diagnostic and counts them.
func printDiagnostics(e *env, diags []phoneprov.Diagnostic) (errs, warnings int) {
	for _, d := range diags {
		fmt.Fprintf(e.stdout, "%s: %s\n", d.Severity, d)
		if d.Severity == phoneprov.Error {
			errs++
		} else {
			warnings++
		}
	}
	return errs, warnings
}

// splitErrors undoes errors.Join.
func splitErrors(err error) []error {
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		return joined.Unwrap()
	}
	return []error{err}
}
