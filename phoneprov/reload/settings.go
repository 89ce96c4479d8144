package reload

import (
	"os"
	"slices"
	"sort"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// A Loader builds snapshots with phoneprovd's own settings. For every load
// (at Start, after an edit, on Reload) the manager reads the settings
// first and builds the snapshot with them, so that phoneprovd.conf is an
// input of the reload like every file the snapshot is built from: its
// files are watched, a change reloads, and a broken edit is refused while
// the snapshot and the settings in force keep serving. The settings a
// snapshot was built with come with its Swap; the daemon applies them
// then, as one swap.
type Loader interface {
	// Settings reads phoneprovd.conf (and whatever overrides it). An error
	// refuses the load as a broken configuration file does; it names the
	// file and line.
	Settings() (*settings.Settings, error)
	// Load builds a snapshot from the live files with s.
	Load(s *settings.Settings) (*phoneprov.Snapshot, error)
	// LastGood builds a snapshot with s from the saved copy of the last
	// good configuration, and describes the copy; nil, "", nil when no
	// copy is saved. Start serves it when the live files fail to load or
	// have errors the copy does not have (see lastgood.go).
	LastGood(s *settings.Settings) (*phoneprov.Snapshot, string, error)
}

// funcLoader is the Loader of a Config without one: Load and LastGood,
// without settings.
type funcLoader struct {
	load     func() (*phoneprov.Snapshot, error)
	lastGood func() (*phoneprov.Snapshot, string, error)
}

func (f funcLoader) Settings() (*settings.Settings, error) { return nil, nil }

func (f funcLoader) Load(*settings.Settings) (*phoneprov.Snapshot, error) { return f.load() }

func (f funcLoader) LastGood(*settings.Settings) (*phoneprov.Snapshot, string, error) {
	if f.lastGood == nil {
		return nil, "", nil
	}
	return f.lastGood()
}

// Settings returns the settings the snapshot being served was built with
// (nil before Start, or without a Loader).
func (m *Manager) Settings() *settings.Settings {
	if c := m.cur.Load(); c != nil {
		return c.settings
	}
	return nil
}

// settingsDeps are the files settings were read from as dependencies, so
// that the watcher watches them and an edit reloads.
func settingsDeps(s *settings.Settings) phoneprov.Dependencies {
	var d phoneprov.Dependencies
	if s == nil {
		return d
	}
	files, patterns := s.Inputs()
	for _, f := range files {
		d.Files = append(d.Files, phoneprov.FileState{Path: f.Path, Sum: f.Sum, Missing: f.Missing})
	}
	sort.Strings(patterns)
	for _, p := range slices.Compact(patterns) {
		d.Patterns = append(d.Patterns, phoneprov.PatternState{Pattern: p, Matches: matches(p)})
	}
	return d
}

// matches returns the existing files a pattern matches now, as
// Dependencies.Changed compares them.
func matches(pattern string) []string {
	m, _ := config.Glob(pattern)
	var out []string
	for _, p := range m {
		if _, err := os.Stat(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}
