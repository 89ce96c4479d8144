package phoneprov

import (
	"log/slog"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
	"github.com/phoneprovd/phoneprovd/phoneprov/provider"
)

// DefaultAsteriskVersion is the Asterisk major version whose semantics
// phoneprovd follows unless told otherwise: the current long-term release.
const DefaultAsteriskVersion = 22

// Options say where the configuration lives and which of Asterisk's
// behaviours to reproduce. The zero value, with ConfigDir and DataDir set,
// behaves like Asterisk 22.
type Options struct {
	ConfigDir string // AST_CONFIG_DIR: phoneprov.conf, users.conf, pjsip.conf
	DataDir   string // AST_DATA_DIR: templates and static files under DataDir/phoneprov

	// AsteriskVersion selects version-dependent semantics: up to 22 the first
	// occurrence of a duplicated key wins in users.conf and phoneprov.conf
	// [general]; from 23 the last does (docs/asterisk.md#first-value-wins).
	AsteriskVersion int

	// Opt-in improvements over res_phoneprov; each changes output and is
	// off by default (see README "Differences from res_phoneprov").
	MIMEByExtension       bool // derive a missing MIME type from the file extension
	CaseInsensitiveRoutes bool // match route URIs case-insensitively when no exact match
	EachUserKeepsQuotes   bool // PP_EACH_USER keeps quotes and backslashes in its template
	MissingStatic404      bool // a missing static file is 404, not 500
	LiveDangerously       bool // allow STAT and other escalating functions in templates

	// ExecIncludes allows #exec in config files (it runs a shell).
	ExecIncludes bool

	// LocalZone is the server's time zone, used for phones without a
	// TIMEZONE; nil means time.Local.
	LocalZone *time.Location

	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// HTTPPort is the port of phoneprovd's HTTP listener: PROV_PORT (with
	// PROV_SCHEME http) of a render that did not come over HTTP — TFTP,
	// the render command. 0 leaves both out there.
	HTTPPort int

	// InterfaceAddr resolves phoneprov.conf serveriface to an IPv4 address;
	// nil uses the host's interfaces.
	InterfaceAddr func(name string) (string, error)

	// Builtins are Asterisk's built-in variables (ASTDATADIR, SYSTEMNAME,
	// …); nil derives them from ConfigDir and DataDir.
	Builtins map[string]string

	// LookupEnv backs ENV(); nil makes the process environment invisible.
	LookupEnv func(string) (string, bool)

	// Live supplies endpoint data taken from the running Asterisk (AMI or
	// ARI); nil means files only.
	Live provider.LiveData

	// QuietFiles are, by profile name, route globs (path.Match) whose
	// change alone does not make a phone changed for re-sync (Fingerprint.Quiet,
	// Changes.Quiet): phone books that change whenever any user does.
	QuietFiles map[string][]string

	// Previous, when set, returns the snapshot being served: when none of
	// the inputs its phones were built from changed (only templates or
	// static files did), Load derives the new snapshot from it instead of
	// reading every configuration file again (Snapshot.Derived).
	Previous func() *Snapshot
	// Files, when set, is where config files (every #include too) and
	// templates are read from instead of the disk: the saved copy of the
	// last good configuration. Static files are always served from the
	// disk. nil means the disk.
	Files config.FileSystem

	// Plugins are the Wazo provd plugins that serve some profiles' phones.
	Plugins PluginOptions

	// Observer hears about renders, for metrics; nil means nobody.
	Observer RenderObserver

	Logger *slog.Logger
}

// RenderObserver hears about dynamic files being served.
type RenderObserver interface {
	// CacheHit: a body came from the render cache.
	CacheHit()
	// Rendered: a template was rendered, taking took; volatile bodies are
	// never cached.
	Rendered(took time.Duration, volatile bool)
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) localZone() *time.Location {
	if o.LocalZone != nil {
		return o.LocalZone
	}
	return time.Local
}

func (o *Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (o *Options) configOptions() config.Options {
	return config.Options{Dir: o.ConfigDir, ExecIncludes: o.ExecIncludes, FS: o.Files}
}

// providers is the configuration the providers read with.
func (o *Options) providers() *provider.Config {
	return &provider.Config{
		ConfigDir:       o.ConfigDir,
		AsteriskVersion: o.AsteriskVersion,
		ExecIncludes:    o.ExecIncludes,
		Files:           o.Files,
		Live:            o.Live,
		InterfaceAddr:   o.InterfaceAddr,
		UserKey:         pluginUserKey,
		Logger:          o.Logger,
	}
}
