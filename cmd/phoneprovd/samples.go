package main

import (
	"context"
	"fmt"

	"github.com/phoneprovd/phoneprovd/conf"
)

// runSamples writes the sample configuration phoneprovd ships — conf/'s
// files with every family's profile sections, and every family's
// templates — for "make run", "make install" and an administrator starting
// out.
func runSamples(_ context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "samples", "-config-dir DIR -data-dir DIR [-force]")
	configDir := fs.String("config-dir", "", "where to write phoneprov.conf, phoneprovd.conf, users.conf and pjsip.conf")
	dataDir := fs.String("data-dir", "", "the DATA-DIR to write the templates into (under DIR/phoneprov)")
	force := fs.Bool("force", false, "overwrite files that exist")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 || *configDir == "" || *dataDir == "" {
		fs.Usage()
		return 2
	}
	s, err := conf.Default()
	if err != nil {
		return fail(e, err)
	}
	if err := s.Write(*configDir, *dataDir, *force); err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "%d config files in %s, %d templates and static files in %s/phoneprov\n",
		len(s.Config), *configDir, len(s.Data), *dataDir)
	return 0
}
