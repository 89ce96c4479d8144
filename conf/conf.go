// Package conf is the sample configuration phoneprovd ships, put
// together: the files of this directory — what the families' profiles
// share (phoneprov.conf's [general] and [provisioning], phoneprovd.conf's
// general settings) and the sample phones (users.conf, pjsip.conf) — and
// each family's profile (family/<name>/profile: its phoneprov.conf and
// phoneprovd.conf sections, its templates). "make run", "make install" and
// the tests write it out with "phoneprovd samples".
package conf

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/families"
)

//go:embed *.conf
var base embed.FS

// Files the families' profiles add to.
const (
	PhoneprovConf  = "phoneprov.conf"
	PhoneprovdConf = "phoneprovd.conf"
)

// Sample is the sample configuration.
type Sample struct {
	// Config are the files of the config directory (/etc/asterisk), by
	// name.
	Config map[string][]byte
	// Data are the files of DATA-DIR/phoneprov, by slash-separated path
	// ("yealink/mac.cfg").
	Data map[string][]byte
	// Profiles are the directories of Data, by the family that ships each.
	Profiles map[string][]string
}

// Build puts the sample together from this directory's files and the
// profiles of fams, in their order: each family's phoneprov.conf and
// phoneprovd.conf sections follow this directory's files, and its profile
// directories become DATA-DIR/phoneprov's. Two families shipping one
// profile directory is an error.
func Build(fams []family.Family) (*Sample, error) {
	s := &Sample{Config: map[string][]byte{}, Data: map[string][]byte{}, Profiles: map[string][]string{}}
	ents, err := base.ReadDir(".")
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		if s.Config[e.Name()], err = base.ReadFile(e.Name()); err != nil {
			return nil, err
		}
	}
	owner := map[string]string{}
	for _, f := range fams {
		if f.Profile == nil {
			continue
		}
		if err := s.add(f, owner); err != nil {
			return nil, fmt.Errorf("family/%s/profile: %w", f.Name, err)
		}
	}
	return s, nil
}

// Default is Build with every family phoneprovd knows.
func Default() (*Sample, error) { return Build(families.List()) }

// add adds a family's profile.
func (s *Sample) add(f family.Family, owner map[string]string) error {
	for _, name := range []string{PhoneprovConf, PhoneprovdConf} {
		data, err := fs.ReadFile(f.Profile, name)
		switch {
		case errors.Is(err, fs.ErrNotExist) && name == PhoneprovdConf:
			continue
		case err != nil:
			return err
		}
		s.Config[name] = append(append(bytes.TrimRight(s.Config[name], "\n"), "\n\n"...), data...)
	}
	ents, err := fs.ReadDir(f.Profile, ".")
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		dir := e.Name()
		if o, dup := owner[dir]; dup {
			return fmt.Errorf("profile directory %s is family/%s's too", dir, o)
		}
		owner[dir] = f.Name
		s.Profiles[f.Name] = append(s.Profiles[f.Name], dir)
		err := fs.WalkDir(f.Profile, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(f.Profile, p)
			s.Data[p] = data
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Write writes the sample: the config files into configDir, the templates
// into dataDir/phoneprov (Asterisk's DATA-DIR). With force unset, a file
// that exists is an error and nothing is written: an administrator's
// configuration is never overwritten by mistake.
func (s *Sample) Write(configDir, dataDir string, force bool) error {
	files := map[string][]byte{}
	for name, data := range s.Config {
		files[filepath.Join(configDir, name)] = data
	}
	for p, data := range s.Data {
		files[filepath.Join(dataDir, "phoneprov", filepath.FromSlash(p))] = data
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if !force {
		for _, p := range paths {
			if _, err := os.Lstat(p); err == nil {
				return fmt.Errorf("%s exists (write the sample elsewhere, or overwrite it with -force)", p)
			}
		}
	}
	for _, p := range paths {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := writeFile(p, files[p]); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes data to path through a temporary file renamed over it,
// so that a daemon watching the directory never reads half a file.
func writeFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr, os.Chmod(f.Name(), 0o644)); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// Profile returns the profile directories family ships ("cisco-spa",
// "cisco-79xx"), in the order the sample lists them.
func (s *Sample) Profile(family string) []string { return s.Profiles[family] }

// Templates returns the paths of Data under a profile directory.
func (s *Sample) Templates(profile string) []string {
	var out []string
	for p := range s.Data {
		if strings.HasPrefix(p, profile+"/") && path.Ext(p) != ".md" {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}
