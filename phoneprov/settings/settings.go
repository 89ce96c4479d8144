// Package settings reads phoneprovd.conf, phoneprovd's own settings file,
// written in Asterisk's config syntax and kept beside Asterisk's files.
// Command-line flags override it.
package settings

import (
	"errors"
	"fmt"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
)

// FileName is the settings file's name in the config directory.
const FileName = "phoneprovd.conf"

// Settings are the contents of phoneprovd.conf. Each section has its own
// type and file in this package.
type Settings struct {
	General  General
	AMI      AMI
	ARI      ARI
	Resync   Resync
	Security Security
	TFTP     TFTP
	Plugins  Plugins
	DHCP     DHCP
	Admin    Admin
	// Profiles holds the [profile:NAME] sections by profile name.
	Profiles map[string]*Profile
	File     string // path read, "" when there is none

	// pos holds where each section ("tftp") and setting ("tftp.listen")
	// was last written, as "file:line".
	pos map[string]string
	// in is what Load read (Inputs).
	in inputs
}

// General is the [general] section.
type General struct {
	HTTP     string // phone-facing HTTP listener
	HTTPS    string // phone-facing HTTPS listener; "" = none ([security] tls_cert, tls_key)
	Admin    string // admin listener (/status, /metrics)
	StateDir string

	AsteriskVersion int
	ServerName      string // Server header and error-page address
	Prefix          string // http.conf prefix

	MIMEByExtension       bool
	CaseInsensitiveRoutes bool
	EachUserKeepsQuotes   bool
	MissingStatic404      bool
	LiveDangerously       bool
	ExecIncludes          bool

	LogFormat string // text or json
	LogLevel  string // debug, info, warn, error

	Debounce time.Duration // coalescing of file events
	Rescan   time.Duration // periodic safety rescan
}

// Defaults returns the settings used when phoneprovd.conf says nothing.
func Defaults() *Settings {
	s := &Settings{General: General{
		HTTP:            ":8080",
		Admin:           "127.0.0.1:8081",
		StateDir:        "/var/lib/phoneprovd",
		AsteriskVersion: phoneprov.DefaultAsteriskVersion,
		ServerName:      "phoneprovd",
		LogFormat:       "text",
		LogLevel:        "info",
		Debounce:        250 * time.Millisecond,
		Rescan:          60 * time.Second,
	}, Profiles: make(map[string]*Profile)}
	s.AMI.defaults()
	s.ARI.defaults()
	s.Resync.defaults()
	s.Security.defaults()
	s.TFTP.defaults()
	s.Admin.defaults()
	return s
}

// Load reads phoneprovd.conf from dir. A missing file gives the defaults.
// Every bad value is an error naming the file and line; the error joins
// them all. With such errors the settings returned hold every value that
// was good and the default for the others, so that a check can go on; a
// file that cannot be parsed at all returns nil.
func Load(dir string) (*Settings, error) {
	s := Defaults()
	cfg, err := config.Load(FileName, config.Options{Dir: dir})
	if errors.Is(err, fs.ErrNotExist) {
		s.in.files = []Input{missingInput(dir)}
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	s.File = cfg.Files[0]
	for _, f := range cfg.Files {
		s.in.files = append(s.in.files, Input{Path: f, Sum: cfg.Sums[f]})
	}
	s.in.patterns = cfg.Patterns
	s.pos = make(map[string]string)
	var errs []error
	for _, sec := range cfg.Browse() {
		var p parser
		name := strings.ToLower(sec.Name)
		switch {
		case name == "general":
			p = s.General.parser()
		case name == "ami":
			p = s.AMI.parser()
			s.AMI.Enabled = true
		case name == "ari":
			p = s.ARI.parser()
			s.ARI.Enabled = true
		case name == "resync":
			p = s.Resync.parser()
		case name == "security":
			p = s.Security.parser()
		case name == "admin":
			p = s.Admin.parser()
		case name == "tftp":
			p = s.TFTP.parser()
			s.TFTP.Enabled = true
		case name == "plugins":
			p = s.Plugins.parser()
		case name == "dhcp":
			p = s.DHCP.parser()
		case strings.HasPrefix(name, "profile:") && len(name) > len("profile:"):
			profile := sec.Name[len("profile:"):]
			ps := s.Profiles[profile]
			if ps == nil {
				ps = newProfile()
				s.Profiles[profile] = ps
			}
			p = ps.parser()
		default:
			errs = append(errs, fmt.Errorf("%s:%d: unknown section [%s]", sec.File, sec.Line, sec.Name))
			continue
		}
		s.pos[name] = fmt.Sprintf("%s:%d", sec.File, sec.Line)
		for _, v := range sec.Vars {
			s.pos[name+"."+strings.ToLower(v.Name)] = fmt.Sprintf("%s:%d", v.File, v.Line)
			if err := p.set(v); err != nil {
				errs = append(errs, err)
			}
		}
	}
	errs = append(errs, s.validate()...)
	return s, errors.Join(errs...)
}

// validate checks settings that depend on each other; each error names the
// section's file and line.
func (s *Settings) validate() []error {
	var errs []error
	for _, c := range []struct {
		section string
		check   func() error
	}{{"ami", s.AMI.validate}, {"ari", s.ARI.validate}, {"security", s.Security.validate}, {"tftp", s.TFTP.validate}, {"admin", s.Admin.validate}} {
		if err := c.check(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.Where(c.section, ""), err))
		}
	}
	return append(errs, s.validateProfiles()...)
}

// Where returns where a setting was last written, "file:line", or its
// section when key is "" or was not written, or the file's name when
// neither was.
func (s *Settings) Where(section, key string) string {
	section = strings.ToLower(section)
	if p, ok := s.pos[section+"."+strings.ToLower(key)]; ok && key != "" {
		return p
	}
	if p, ok := s.pos[section]; ok {
		return p
	}
	if s.File != "" {
		return s.File
	}
	return FileName
}

// parser maps the keys of one section to setters.
type parser map[string]func(string) error

func (p parser) set(v config.Var) error {
	f, ok := p[strings.ToLower(v.Name)]
	if !ok {
		return fmt.Errorf("%s:%d: unknown setting %q", v.File, v.Line, v.Name)
	}
	if err := f(v.Value); err != nil {
		return fmt.Errorf("%s:%d: %s: %w", v.File, v.Line, v.Name, err)
	}
	return nil
}

func (g *General) parser() parser {
	return parser{
		"http":                     listen(&g.HTTP),
		"https":                    listen(&g.HTTPS),
		"admin":                    listen(&g.Admin),
		"state_dir":                str(&g.StateDir),
		"asterisk_version":         version(&g.AsteriskVersion),
		"servername":               str(&g.ServerName),
		"prefix":                   str(&g.Prefix),
		"mime_by_extension":        boolean(&g.MIMEByExtension),
		"case_insensitive_routes":  boolean(&g.CaseInsensitiveRoutes),
		"pp_each_user_keep_quotes": boolean(&g.EachUserKeepsQuotes),
		"missing_static_404":       boolean(&g.MissingStatic404),
		"live_dangerously":         boolean(&g.LiveDangerously),
		"exec_includes":            boolean(&g.ExecIncludes),
		"log_format":               oneOf(&g.LogFormat, "text", "json"),
		"log_level":                oneOf(&g.LogLevel, "debug", "info", "warn", "error"),
		"debounce":                 duration(&g.Debounce),
		"rescan":                   duration(&g.Rescan),
	}
}

func str(p *string) func(string) error {
	return func(v string) error { *p = v; return nil }
}

// Bool parses an Asterisk boolean: yes/no, true/false, on/off, 1/0, y/n, t/f
// (ast_true and ast_false); anything else is an error.
func Bool(v string) (bool, error) {
	switch {
	case cstring.True(v):
		return true, nil
	case cstring.False(v):
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes or no", v)
}

func boolean(p *bool) func(string) error {
	return func(v string) error {
		b, err := Bool(v)
		*p = b
		return err
	}
}

func duration(p *time.Duration) func(string) error {
	return func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is not a duration (e.g. 250ms, 10s, 5m)", v)
		}
		if d < 0 {
			return fmt.Errorf("%q is negative", v)
		}
		*p = d
		return nil
	}
}

func version(p *int) func(string) error {
	return func(v string) error {
		major, _, _ := strings.Cut(v, ".")
		n, err := strconv.Atoi(major)
		if err != nil || n < 13 || n > 99 {
			return fmt.Errorf("%q is not an Asterisk version from 13 on (e.g. 20, 22, 23)", v)
		}
		*p = n
		return nil
	}
}

func oneOf(p *string, choices ...string) func(string) error {
	return func(v string) error {
		for _, c := range choices {
			if strings.EqualFold(v, c) {
				*p = c
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s", v, strings.Join(choices, ", "))
	}
}

func positive(p *float64) func(string) error {
	return func(v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 {
			return fmt.Errorf("%q is not a positive number", v)
		}
		*p = f
		return nil
	}
}
