package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/phoneprovd/phoneprovd/firmware/fetch"
	"github.com/phoneprovd/phoneprovd/firmware/install"
	"github.com/phoneprovd/phoneprovd/plugin/repo"
)

const pkgsUsage = "list|install|upgrade|remove [-plugins-dir DIR] [-state-dir DIR] [-cache-dir DIR] PLUGIN [PACKAGE...]"

func runPkgs(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "pkgs", pkgsUsage)
	var pf pluginFlags
	pf.register(fs, false)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs.Usage()
		return 2
	}
	sub := args[0]
	rest, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return 2
	}
	switch sub {
	case "list", "install", "upgrade", "remove":
	default:
		fmt.Fprintf(e.stderr, "phoneprovd: pkgs: unknown subcommand %q\n", sub)
		fs.Usage()
		return 2
	}
	if len(rest) == 0 {
		fmt.Fprintf(e.stderr, "phoneprovd: pkgs %s: name the plugin\n", sub)
		return 2
	}
	plugin, pkgs := rest[0], rest[1:]
	if (sub == "install" || sub == "remove") && len(pkgs) == 0 {
		fmt.Fprintf(e.stderr, "phoneprovd: pkgs %s: name the package(s) of %s\n", sub, plugin)
		return 2
	}
	if sub == "list" && len(pkgs) > 0 {
		fs.Usage()
		return 2
	}
	if _, err := pf.resolve(); err != nil {
		return fail(e, err)
	}
	if err := repo.CheckID(plugin); err != nil {
		return fail(e, err)
	}
	dir := filepath.Join(pf.pluginsDir, plugin)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fail(e, fmt.Errorf("plugin %q is not installed in %s", plugin, pf.pluginsDir))
	}
	in, err := install.Open(dir, pf.cache(e.stdout, e.stderr))
	if err != nil {
		return fail(e, err)
	}
	in.Report = e.stdout
	switch sub {
	case "list":
		return listPkgs(e, in)
	case "install":
		err = in.Install(ctx, pkgs...)
	case "upgrade":
		err = in.Upgrade(ctx, pkgs...)
	case "remove":
		err = in.Remove(ctx, pkgs...)
	}
	if err != nil {
		// Several files to put in the cache by hand come one per line.
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(e.stderr, "phoneprovd:", line)
		}
		return 1
	}
	return 0
}

func listPkgs(e *env, in *install.Installer) int {
	list, err := in.List()
	if err != nil {
		return fail(e, err)
	}
	loc := locale()
	manual := false
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PACKAGE\tVERSION\tINSTALLED\tSIZE\tDESCRIPTION")
	for _, s := range list {
		version, installed, size, desc := "-", "-", "-", ""
		if p := s.Package; p != nil {
			version, desc = orDash(p.Version), p.LocalDescription(loc)
			size = fetch.BytesString(p.Size())
			for _, f := range p.Files {
				if f.Manual() {
					size += " *"
					manual = true
					break
				}
			}
		}
		if r := s.Installed; r != nil {
			installed = orDash(r.Version)
			if s.Package == nil {
				desc = r.Description(loc) + " (no longer in pkgs.db)"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, version, installed, size, desc)
	}
	tw.Flush()
	if manual {
		fmt.Fprintf(e.stdout, "* needs a file put into the download cache by hand (install says which and where)\n")
	}
	return 0
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
