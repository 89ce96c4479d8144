package install

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/firmware/pkgsdb"
)

// Record is an installed package, kept as var/installed/<ID> in the
// plugin: a JSON object in the format xivo-fetchfw (and so Wazo provd)
// writes — the package's keys plus "files", the paths installed under
// var/tftpboot (directories ending in "/"), and "explicit_install" — so
// that either tool can remove what the other installed.
type Record struct {
	ID       string
	Version  string
	Files    []string
	Explicit bool // installed by request, not as a dependency
	Depends  []string
	// Info holds every key of the JSON object.
	Info map[string]any
}

// Description returns the recorded description for a locale, as
// Package.LocalDescription does.
func (r *Record) Description(locale string) string {
	if locale != "" {
		locale = strings.ToLower(locale)
		lang, _, _ := strings.Cut(locale, "_")
		for _, k := range []string{"description_" + locale, "description_" + lang} {
			if s, ok := r.Info[k].(string); ok {
				return s
			}
		}
	}
	s, _ := r.Info["description"].(string)
	return s
}

// newRecord describes p installed with the given paths.
func newRecord(p *pkgsdb.Package, files []string, explicit bool) *Record {
	info := map[string]any{}
	for k, v := range p.Extra {
		info[k] = v
	}
	for lang, d := range p.Descriptions {
		info["description_"+lang] = d
	}
	depends := append([]string{}, p.Depends...)
	info["id"] = p.ID
	info["version"] = p.Version
	info["description"] = p.Description
	info["depends"] = depends
	info["files"] = files
	info["explicit_install"] = explicit
	return &Record{ID: p.ID, Version: p.Version, Files: files, Explicit: explicit, Depends: depends, Info: info}
}

func (r *Record) marshal() ([]byte, error) {
	info := map[string]any{}
	for k, v := range r.Info {
		info[k] = v
	}
	info["id"], info["version"], info["files"] = r.ID, r.Version, r.Files
	info["explicit_install"], info["depends"] = r.Explicit, r.Depends
	b, err := json.MarshalIndent(info, "", "    ")
	return append(b, '\n'), err
}

// checkID refuses a package ID that cannot name a record file.
func checkID(id string) error {
	if err := pkgsdb.CheckFilename(id); err != nil || strings.HasPrefix(id, ".") {
		return fmt.Errorf("package ID %q cannot be installed: it must be a plain file name not starting with \".\"", id)
	}
	return nil
}

// ReadRecords returns the records of the packages installed in a plugin.
func ReadRecords(pluginDir string) (map[string]*Record, error) {
	return readRecords(filepath.Join(pluginDir, InstalledDir))
}

// readRecords loads var/installed. Names starting with "." are skipped,
// as xivo-fetchfw does.
func readRecords(dir string) (map[string]*Record, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return map[string]*Record{}, nil
	}
	if err != nil {
		return nil, err
	}
	recs := make(map[string]*Record)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || e.IsDir() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		r, err := parseRecord(e.Name(), data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		recs[r.ID] = r
	}
	return recs, nil
}

func parseRecord(id string, data []byte) (*Record, error) {
	var info map[string]any
	if err := json.Unmarshal(data, &info); err != nil {
		return nil, fmt.Errorf("not a package record: %w", err)
	}
	r := &Record{ID: id, Info: info}
	r.Version, _ = info["version"].(string)
	r.Explicit, _ = info["explicit_install"].(bool)
	files, ok := info["files"].([]any)
	if !ok {
		return nil, fmt.Errorf("not a package record: no \"files\" list")
	}
	for _, f := range files {
		s, ok := f.(string)
		if !ok {
			return nil, fmt.Errorf("not a package record: a file is not a string")
		}
		if err := pkgsdb.CheckRelative(s); err != nil {
			return nil, fmt.Errorf("recorded path: %w", err)
		}
		r.Files = append(r.Files, s)
	}
	if deps, ok := info["depends"].([]any); ok {
		for _, d := range deps {
			if s, ok := d.(string); ok {
				r.Depends = append(r.Depends, s)
			}
		}
	}
	return r, nil
}

// owners maps each recorded path to the IDs of the packages that list it.
func owners(recs map[string]*Record) map[string][]string {
	o := make(map[string][]string)
	ids := make([]string, 0, len(recs))
	for id := range recs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		for _, f := range recs[id].Files {
			o[f] = append(o[f], id)
		}
	}
	return o
}
