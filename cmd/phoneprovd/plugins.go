package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/phoneprovd/phoneprovd/firmware/fetch"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
	"github.com/phoneprovd/phoneprovd/plugin/repo"
)

// pluginFlags are the flags of "plugins" and "pkgs".
type pluginFlags struct {
	dirFlags
	pluginsDir string
	stateDir   string
	cacheDir   string
	server     string
}

func (p *pluginFlags) register(fs *flag.FlagSet, server bool) {
	p.dirFlags.register(fs)
	fs.StringVar(&p.pluginsDir, "plugins-dir", "", "the plugins directory (default DATA-DIR/plugins)")
	fs.StringVar(&p.stateDir, "state-dir", "", "phoneprovd's state directory (default: [general] state_dir of phoneprovd.conf)")
	fs.StringVar(&p.cacheDir, "cache-dir", "", "the download cache (default STATE-DIR/cache)")
	if server {
		fs.StringVar(&p.server, "server", "", "the plugin server URL (default: [plugins] server of phoneprovd.conf)")
	}
}

// resolve fills the defaults from phoneprovd.conf and the data directory.
func (p *pluginFlags) resolve() (*settings.Settings, error) {
	s, err := settings.Load(p.configDir)
	if err != nil {
		return nil, err
	}
	if p.pluginsDir == "" {
		p.pluginsDir = s.Plugins.Dir
	}
	if p.pluginsDir == "" {
		p.pluginsDir = filepath.Join(p.dataDir, "plugins")
	}
	if p.stateDir == "" {
		p.stateDir = s.General.StateDir
	}
	if p.cacheDir == "" {
		p.cacheDir = filepath.Join(p.stateDir, "cache")
	}
	if p.server == "" {
		p.server = s.Plugins.Server
	}
	return s, nil
}

// cache is the download cache, reporting progress on out and retries on
// errw.
func (p *pluginFlags) cache(out, errw io.Writer) *fetch.Cache {
	c := fetch.New(p.cacheDir)
	c.Progress = fetch.NewReporter(out)
	c.Logger = slog.New(slog.NewTextHandler(errw, &slog.HandlerOptions{Level: slog.LevelWarn,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{} // the terminal or the journal has the time
			}
			return a
		}}))
	c.UserAgent = "phoneprovd/" + version
	return c
}

// parseInterleaved parses flags placed anywhere among the arguments
// ("install -server URL NAME" and "install NAME -server URL") and returns
// the others; after "--" everything is an argument.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), nil
		}
		if len(left) == 0 {
			return rest, nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// locale is the administrator's locale ("fr_FR"), for descriptions.
func locale() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			v, _, _ = strings.Cut(v, ".")
			v, _, _ = strings.Cut(v, "@")
			if v == "C" || v == "POSIX" {
				return ""
			}
			return v
		}
	}
	return ""
}

const pluginsUsage = "update|list|install|upgrade|remove [-plugins-dir DIR] [-server URL] [-state-dir DIR] [-cache-dir DIR] [PLUGIN...]"

func runPlugins(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "plugins", pluginsUsage)
	var pf pluginFlags
	pf.register(fs, true)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs.Usage()
		return 2
	}
	sub := args[0]
	names, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return 2
	}
	if _, err := pf.resolve(); err != nil {
		return fail(e, err)
	}
	r := &repo.Repo{PluginsDir: pf.pluginsDir, StateDir: pf.stateDir, Server: pf.server, Cache: pf.cache(e.stdout, e.stderr), Report: e.stdout}
	switch sub {
	case "update":
		if len(names) > 0 {
			fs.Usage()
			return 2
		}
		if err := r.Update(ctx); err != nil {
			return fail(e, err)
		}
		return 0
	case "list":
		if len(names) > 0 {
			fs.Usage()
			return 2
		}
		return listPlugins(e, r)
	case "install", "upgrade", "remove":
		if len(names) == 0 {
			fmt.Fprintf(e.stderr, "phoneprovd: plugins %s: name the plugin(s)\n", sub)
			return 2
		}
		for _, n := range names {
			var err error
			switch sub {
			case "install":
				err = r.Install(ctx, n)
			case "upgrade":
				err = r.Upgrade(ctx, n)
			case "remove":
				err = r.Remove(ctx, n)
			}
			if err != nil {
				return fail(e, err)
			}
		}
		return 0
	}
	fmt.Fprintf(e.stderr, "phoneprovd: plugins: unknown subcommand %q\n", sub)
	fs.Usage()
	return 2
}

func listPlugins(e *env, r *repo.Repo) int {
	list, ixErr := r.List()
	if list == nil && ixErr != nil && !strings.Contains(ixErr.Error(), "plugins update") {
		return fail(e, ixErr)
	}
	loc := locale()
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PLUGIN\tINSTALLED\tAVAILABLE\tMODELS\tDESCRIPTION")
	for _, l := range list {
		installed, available, models, desc := "-", "-", "", ""
		if l.Available != nil {
			available = l.Available.Version
			models = strconv.Itoa(len(l.Available.Capabilities))
			desc = l.Available.LocalDescription(loc)
		}
		if in := l.Installed; in != nil {
			if in.Err != nil {
				installed, desc = "?", "broken: "+in.Err.Error()
			} else {
				installed = in.Info.Version
				models = strconv.Itoa(in.Info.Models)
				desc = in.Info.LocalDescription(loc)
				if l.Available != nil && l.Available.Version != in.Info.Version {
					available += " (upgrade)"
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.ID, installed, available, models, desc)
	}
	tw.Flush()
	if ixErr != nil {
		fmt.Fprintln(e.stderr, "phoneprovd:", ixErr)
	}
	return 0
}
