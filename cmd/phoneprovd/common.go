package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// dirFlags are the flags every subcommand that reads the configuration takes.
type dirFlags struct {
	configDir string
	dataDir   string
}

func (d *dirFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.configDir, "config-dir", "/etc/asterisk", "Asterisk's config directory (phoneprov.conf, users.conf, pjsip.conf, phoneprovd.conf)")
	fs.StringVar(&d.dataDir, "data-dir", "/var/lib/asterisk", "Asterisk's data directory; templates and static files are in DIR/phoneprov")
}

// newFlagSet returns a flag set that reports errors to e.stderr.
func newFlagSet(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: phoneprovd %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// engineOptions turns settings and directories into the engine's options.
func engineOptions(d dirFlags, s *settings.Settings, log *slog.Logger) phoneprov.Options {
	g := s.General
	quiet := make(map[string][]string)
	plugins := make(map[string]phoneprov.PluginProfile)
	for name, p := range s.Profiles {
		if len(p.QuietFiles) > 0 {
			quiet[name] = p.QuietFiles
		}
		if p.Plugin != "" {
			plugins[name] = phoneprov.PluginProfile{Plugin: p.Plugin, Autoprov: p.Autoprov}
		}
	}
	return phoneprov.Options{
		QuietFiles: quiet,
		Plugins: phoneprov.PluginOptions{
			Dir:      s.Plugins.Dir,
			Engine:   defaultPluginEngine(),
			Profiles: plugins,
			Prefix:   g.Prefix,
		},
		ConfigDir:             d.configDir,
		DataDir:               d.dataDir,
		AsteriskVersion:       g.AsteriskVersion,
		MIMEByExtension:       g.MIMEByExtension,
		CaseInsensitiveRoutes: g.CaseInsensitiveRoutes,
		EachUserKeepsQuotes:   g.EachUserKeepsQuotes,
		MissingStatic404:      g.MissingStatic404,
		LiveDangerously:       g.LiveDangerously,
		ExecIncludes:          g.ExecIncludes,
		HTTPPort:              listenPort(g.HTTP),
		Logger:                log,
	}
}

// listenPort is the port of a listen address (a number or a service
// name), 0 when it has none or leaves the choice to the system.
func listenPort(addr string) int {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return 0
	}
	n, err := net.LookupPort("tcp", port)
	if err != nil {
		return 0
	}
	return n
}

// loadOnce reads settings and builds one snapshot, printing diagnostics to
// w. It is what the one-shot subcommands share.
func loadOnce(d dirFlags, w io.Writer) (*phoneprov.Snapshot, *settings.Settings, error) {
	s, err := settings.Load(d.configDir)
	if err != nil {
		return nil, nil, err
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
	snap, err := phoneprov.Load(engineOptions(d, s, log))
	if err != nil {
		return nil, s, err
	}
	for _, diag := range snap.Diagnostics {
		fmt.Fprintf(w, "%s: %s\n", diag.Severity, diag)
	}
	return snap, s, nil
}

func fail(e *env, err error) int {
	fmt.Fprintln(e.stderr, "phoneprovd:", err)
	return 1
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
