// Package provider finds the phone lines Asterisk's files define, as
// res_phoneprov's providers do: the built-in "sipusers" provider reads the
// users file (users.conf, or phoneprov_users.conf from Asterisk 23), and
// res_pjsip_phoneprov_provider the type=phoneprov sections of pjsip.conf.
// Where a file names an endpoint it does not define, what the running
// PBX says about it (LiveData, from AMI or ARI) fills in.
//
// A provider produces LineSpecs, one per extension, and nothing else: the
// engine (package phoneprov) turns them into phones, routes and
// snapshots, adding res_phoneprov's own variables. Data flows one way,
// from the files through this package to the engine, which imports it;
// this package knows nothing of phones or snapshots.
//
// The package also answers the dialplan functions that read the same
// files: PJSIP_ENDPOINT (PJSIPEndpointFunc) and chan_sip's SIPPEER
// (SIPPeerFunc), and which channel technology reaches an endpoint
// (TechResolver).
package provider

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// Provider names, as `phoneprov show routes` prints them.
const (
	Users = "sipusers"
	PJSIP = "res_pjsip_phoneprov_provider"
)

// Config says where the providers read and which of Asterisk's semantics
// they follow. The engine builds it from its Options.
type Config struct {
	ConfigDir string // AST_CONFIG_DIR

	// AsteriskVersion selects how a key given twice is read: up to 22 the
	// first occurrence wins, from 23 the last (Retrieve).
	AsteriskVersion int

	// ExecIncludes allows #exec in config files (it runs a shell).
	ExecIncludes bool

	// Files, when set, is where config files are read from instead of the
	// disk (the saved last good configuration).
	Files config.FileSystem

	// Live supplies what the running PBX says about endpoints the files do
	// not define; nil means files only.
	Live LiveData

	// InterfaceAddr resolves phoneprov.conf serveriface to an IPv4
	// address; nil uses the host's interfaces.
	InterfaceAddr func(name string) (string, error)

	// UserKey maps a key of a users file section that res_phoneprov
	// ignores to the variable the line carries it in (the keys of plugin
	// phones: raw config, model, firmware); ok is false for a key to leave
	// out. Nil leaves them all out.
	UserKey func(key string) (variable string, ok bool)

	Logger *slog.Logger
}

// LineSpec is one extension a provider found: its provider variables in
// Asterisk's order, before res_phoneprov adds its own (LINE, LINEKEYS,
// the time-zone variables, the profile's setvars).
type LineSpec struct {
	Provider string // Users or PJSIP
	Vars     subst.Vars
	// Endpoint is the PBX endpoint (or chan_sip peer) a NOTIFY reaches the
	// line through; "" when unknown.
	Endpoint string
	Source   Pos
	What     string // how messages name the line, e.g. "user [6001]"
}

// Pos is a place in a configuration file.
type Pos struct {
	File string
	Line int
}

// Problem is something a provider skipped or could not use, where it is.
type Problem struct {
	Pos   Pos
	Msg   string
	Error bool // the configuration is broken; otherwise a warning
}

// Problems collects a load's Problems in the order they were found.
type Problems []Problem

func (p *Problems) warnf(pos Pos, format string, args ...any) {
	*p = append(*p, Problem{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (p *Problems) errorf(pos Pos, format string, args ...any) {
	*p = append(*p, Problem{Pos: pos, Msg: fmt.Sprintf(format, args...), Error: true})
}

// Retrieve is ast_variable_retrieve for the configured Asterisk version:
// the first value of key in s up to Asterisk 22, the last from 23
// (docs/asterisk.md#first-value-wins).
func (c *Config) Retrieve(s *config.Section, key string) (string, bool) {
	if s == nil {
		return "", false
	}
	if c.AsteriskVersion >= 23 {
		return s.Last(key)
	}
	return s.First(key)
}

// ConfigOptions are the options config.Load reads the PBX's files with.
func (c *Config) ConfigOptions() config.Options {
	return config.Options{Dir: c.ConfigDir, ExecIncludes: c.ExecIncludes, FS: c.Files}
}

// UsersFile finds the users file to read: phoneprov_users.conf when it
// exists, else users.conf. It returns "" when neither exists.
func (c *Config) UsersFile() string {
	for _, name := range usersFiles {
		path := filepath.Join(c.ConfigDir, name)
		var err error
		if c.Files != nil {
			if abs, aerr := filepath.Abs(path); aerr == nil {
				path = abs
			}
			_, err = c.Files.Stat(path)
		} else {
			_, err = os.Stat(path)
		}
		if err == nil {
			return name
		}
	}
	return ""
}

func (c *Config) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// liveEndpoint asks the PBX about an endpoint, when there is one to ask.
func (c *Config) liveEndpoint(name string) (LiveEndpoint, bool) {
	if c.Live == nil {
		return LiveEndpoint{}, false
	}
	return c.Live.Endpoint(name)
}
