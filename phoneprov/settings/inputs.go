package settings

import (
	"path/filepath"
	"slices"
)

// Input is a file settings were read from: phoneprovd.conf or a file it
// included, with the sum of what was read. A watcher compares it with the
// disk to tell whether phoneprovd.conf was edited since.
type Input struct {
	Path string   // absolute
	Sum  [32]byte // SHA-256 of the bytes read
	// Missing: the file did not exist (phoneprovd.conf absent: the
	// defaults apply until it appears).
	Missing bool
}

// inputs is what Load read.
type inputs struct {
	files    []Input
	patterns []string
}

// Inputs returns the files the settings were read from — phoneprovd.conf
// first (or where it would be, Missing, when there is none), then every
// file it included — and the #include and #tryinclude patterns tried, so
// that a file appearing later is noticed. Settings not read by Load have
// none.
func (s *Settings) Inputs() (files []Input, patterns []string) {
	return slices.Clone(s.in.files), slices.Clone(s.in.patterns)
}

// missingInput is where phoneprovd.conf would be in dir.
func missingInput(dir string) Input {
	p := filepath.Join(dir, FileName)
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return Input{Path: p, Missing: true}
}
