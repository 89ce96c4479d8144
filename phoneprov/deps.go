package phoneprov

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
)

// FileState is a file a snapshot read whole (a config file, an include, a
// template), with the sum of what was read, or Missing when it could not
// be read.
type FileState struct {
	Path    string
	Sum     [32]byte
	Missing bool
}

// StaticState is a static file as it was when the snapshot was loaded:
// firmware is compared by size and time, not read.
type StaticState struct {
	Path    string
	Size    int64
	ModTime time.Time
	Missing bool
}

// PatternState is an #include pattern and the files it matched.
type PatternState struct {
	Pattern string
	Matches []string
}

// Dependencies are what a snapshot was built from or serves, as it was when
// it was built: a watcher compares them with the disk to know whether a
// reload would build anything different.
type Dependencies struct {
	Files    []FileState
	Static   []StaticState
	Patterns []PatternState
}

// Dependencies returns the snapshot's dependencies, sorted by path. Files
// that templates include (PP_EACH_EXTENSION) count from the first render
// that read them; Fingerprints renders everything.
func (s *Snapshot) Dependencies() Dependencies {
	var d Dependencies
	for p, sum := range s.files {
		d.Files = append(d.Files, FileState{Path: p, Sum: sum})
	}
	for _, st := range s.texts.states() {
		if _, dup := s.files[st.Path]; !dup {
			d.Files = append(d.Files, st)
		}
	}
	d.Static = s.statics
	d.Patterns = s.patternMatches
	if s.plugins != nil {
		d = d.Merge(s.pluginDeps())
	}
	sort.Slice(d.Files, func(i, j int) bool { return d.Files[i].Path < d.Files[j].Path })
	return d
}

// Paths lists every path the dependencies name, and the directories of the
// patterns, for a watcher to watch.
func (d Dependencies) Paths() []string {
	var out []string
	for _, f := range d.Files {
		out = append(out, f.Path)
	}
	for _, f := range d.Static {
		out = append(out, f.Path)
	}
	return out
}

// Changed compares the dependencies with the disk and describes the first
// difference found ("" when there is none): a file whose content differs
// from what was read, a file that appeared or went away, a static file of
// another size or time, a pattern that matches other files.
func (d Dependencies) Changed() string {
	for _, f := range d.Files {
		sum, err := fileSum(f.Path)
		switch {
		case err != nil && !f.Missing:
			return f.Path + " is gone"
		case err == nil && f.Missing:
			return f.Path + " appeared"
		case err == nil && sum != f.Sum:
			return f.Path + " changed"
		}
	}
	for _, f := range d.Static {
		fi, err := os.Stat(f.Path)
		switch {
		case err != nil && !f.Missing:
			return f.Path + " is gone"
		case err == nil && f.Missing:
			return f.Path + " appeared"
		case err == nil && (fi.Size() != f.Size || !fi.ModTime().Equal(f.ModTime)):
			return f.Path + " changed"
		}
	}
	for _, p := range d.Patterns {
		if m, err := config.Glob(p.Pattern); err != nil || !slices.Equal(existing(m), p.Matches) {
			return fmt.Sprintf("the files matching %s changed", p.Pattern)
		}
	}
	return ""
}

func fileSum(path string) ([32]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return [32]byte{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return [32]byte{}, err
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, nil
}

// staticStates records the static files of every profile as they are now.
func (s *Snapshot) staticStates() []StaticState {
	seen := make(map[string]bool)
	var out []StaticState
	for _, p := range s.Profiles {
		for _, f := range p.Static {
			path := s.texts.root.dir + string(os.PathSeparator) + f.Template
			if seen[path] {
				continue
			}
			seen[path] = true
			st := StaticState{Path: path}
			if fi, err := os.Stat(path); err == nil {
				st.Size, st.ModTime = fi.Size(), fi.ModTime()
			} else {
				st.Missing = true
			}
			out = append(out, st)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// globPatterns records what each #include pattern matches now.
func globPatterns(patterns []string) []PatternState {
	patterns = append([]string(nil), patterns...)
	sort.Strings(patterns)
	patterns = slices.Compact(patterns)
	out := make([]PatternState, 0, len(patterns))
	for _, p := range patterns {
		m, _ := config.Glob(p)
		out = append(out, PatternState{Pattern: p, Matches: existing(m)})
	}
	return out
}

// existing keeps the paths that exist (a pattern without wildcards yields
// itself whether or not it exists).
func existing(paths []string) []string {
	var out []string
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// Merge returns the dependencies of d and o together.
func (d Dependencies) Merge(o Dependencies) Dependencies {
	return Dependencies{
		Files:    append(append([]FileState(nil), d.Files...), o.Files...),
		Static:   append(append([]StaticState(nil), d.Static...), o.Static...),
		Patterns: append(append([]PatternState(nil), d.Patterns...), o.Patterns...),
	}
}

// DiskState digests the current disk state of every path d names (content
// of files, size and time of static files, matches of patterns), whatever
// it was at load time. Two equal digests mean nothing d names changed in
// between.
func (d Dependencies) DiskState() [32]byte {
	h := sha256.New()
	line := func(parts ...string) {
		for _, p := range parts {
			io.WriteString(h, p)
			h.Write([]byte{0})
		}
		h.Write([]byte{'\n'})
	}
	for _, f := range d.Files {
		if sum, err := fileSum(f.Path); err == nil {
			line(f.Path, string(sum[:]))
		} else {
			line(f.Path, "absent")
		}
	}
	for _, f := range d.Static {
		if fi, err := os.Stat(f.Path); err == nil {
			line(f.Path, fmt.Sprint(fi.Size()), fi.ModTime().String())
		} else {
			line(f.Path, "absent")
		}
	}
	for _, p := range d.Patterns {
		m, _ := config.Glob(p.Pattern)
		line(append([]string{p.Pattern}, existing(m)...)...)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}
