// Package pkgsdb reads a plugin's firmware package definitions, the
// pkgs/pkgs.db files of Wazo provd plugins (xivo-fetchfw's format).
//
// A pkgs.db is written in Python RawConfigParser syntax (see INI.Read) and
// holds three kinds of sections:
//
//	[file_ID]     a file to download: url, size, sha1sum, optional
//	              filename (default: the URL's base name) and downloader
//	[pkg_ID]      a package: description, description_<lang>, version,
//	              files (file IDs), install (recipe ID and arguments),
//	              depends (package IDs)
//	[install_ID]  a recipe: keys SRC-DST, each a step from directory node
//	              SRC to node DST running one command (see Command)
//
// Load reads every file of a pkgs directory and checks everything a later
// install relies on, so that a bad definition is reported when the plugin
// is listed, with the file and line.
package pkgsdb

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Downloaders are the values a file's downloader key may take: "default",
// and "auth" for sites that want a login (phoneprovd has no credentials to
// give: such a file is downloaded like any other, and a refusal asks the
// administrator to put the file into the cache by hand).
var Downloaders = []string{"default", "auth"}

// File is a [file_ID] section: one file a package needs.
type File struct {
	ID       string
	URL      string // "" when the administrator must supply the file
	Size     int64
	SHA1     string // lower-case hex digits; 40 unless Verifiable says otherwise
	Filename string // name in the download cache
	// Downloader is "default" or "auth".
	Downloader string
	Pos        Pos

	shaPos Pos
}

// Verifiable returns an error, naming the pkgs.db line, when the file's
// sha1sum is not a SHA-1 digest (40 hex digits): such a file could never
// be checked, so it is never installed.
func (f *File) Verifiable() error {
	if len(f.SHA1) != 40 {
		return f.shaPos.errorf("[file_%s] sha1sum has %d hex digits, a SHA-1 has 40: the file cannot be verified", f.ID, len(f.SHA1))
	}
	return nil
}

// Manual reports whether the file cannot be downloaded and must be put
// into the cache by hand.
func (f *File) Manual() bool { return f.URL == "" }

// Package is a [pkg_ID] section.
type Package struct {
	ID          string
	Description string
	// Descriptions holds description_<lang> by lang, lower-cased ("fr",
	// "fr_fr").
	Descriptions map[string]string
	Version      string
	Files        []*File
	Recipe       *Recipe  // nil: the package installs nothing
	Args         []string // the install key's arguments after the recipe ID
	Depends      []string
	// Extra holds the other keys, as provd keeps them in pkg_info.
	Extra map[string]string
	Pos   Pos

	steps []Step // the recipe with this package's variables, checked
}

// Size is the sum of the package's file sizes.
func (p *Package) Size() int64 {
	var n int64
	for _, f := range p.Files {
		n += f.Size
	}
	return n
}

// LocalDescription returns the description for a locale such as "fr_FR"
// the way provd picks it: description_fr_FR, else description_fr, else
// the description.
func (p *Package) LocalDescription(locale string) string {
	if locale != "" {
		// Keys are lower-cased when read, so is the locale here (provd
		// looks up "description_fr_FR" and never finds it).
		locale = strings.ToLower(locale)
		if d, ok := p.Descriptions[locale]; ok {
			return d
		}
		lang, _, _ := strings.Cut(locale, "_")
		if d, ok := p.Descriptions[lang]; ok {
			return d
		}
	}
	return p.Description
}

// Steps returns the package's recipe with its variables ($FILE1..n,
// $ARG1..n) expanded and every command checked, in file order.
func (p *Package) Steps() []Step { return p.steps }

// DB is the content of a plugin's pkgs directory.
type DB struct {
	Files    map[string]*File
	Packages map[string]*Package
	Recipes  map[string]*Recipe
	// Sources are the files read, in order.
	Sources []string
}

// PackageIDs returns the package IDs in sorted order.
func (db *DB) PackageIDs() []string {
	ids := make([]string, 0, len(db.Packages))
	for id := range db.Packages {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Load reads every file in dir whose name does not start with "." (as
// xivo-fetchfw does; sub-directories are skipped), in name order, and
// builds the database. The file names in errors are dir/name.
func Load(dir string) (*DB, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	ini := NewINI()
	var sources []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || e.IsDir() {
			continue
		}
		name := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if err := ini.Read(name, data); err != nil {
			return nil, err
		}
		sources = append(sources, name)
	}
	db, err := Build(ini)
	if err != nil {
		return nil, err
	}
	db.Sources = sources
	return db, nil
}

// Parse reads one pkgs.db content; name is used in errors.
func Parse(name string, data []byte) (*DB, error) {
	ini := NewINI()
	if err := ini.Read(name, data); err != nil {
		return nil, err
	}
	db, err := Build(ini)
	if err != nil {
		return nil, err
	}
	db.Sources = []string{name}
	return db, nil
}

// Build turns parsed sections into packages, files and recipes and checks
// them: every referenced file, recipe and dependency exists, sizes and
// checksums are well-formed, no two files share a cache name, every
// recipe is a valid graph and every package's commands are valid once its
// variables are expanded.
func Build(ini *INI) (*DB, error) {
	db := &DB{Files: make(map[string]*File), Packages: make(map[string]*Package), Recipes: make(map[string]*Recipe)}
	var pkgSections []*Section
	for _, s := range ini.Sections() {
		kind, id, _ := strings.Cut(s.Name, "_")
		if id == "" || (kind != "file" && kind != "pkg" && kind != "install") {
			return nil, s.Pos.errorf("section [%s]: the name must be file_ID, pkg_ID or install_ID", s.Name)
		}
		switch kind {
		case "file":
			f, err := buildFile(id, s, ini.Items(s))
			if err != nil {
				return nil, err
			}
			db.Files[id] = f
		case "install":
			r, err := buildRecipe(id, s, ini.Items(s))
			if err != nil {
				return nil, err
			}
			db.Recipes[id] = r
		case "pkg":
			pkgSections = append(pkgSections, s)
		}
	}
	if err := checkFilenames(db.Files); err != nil {
		return nil, err
	}
	for _, s := range pkgSections {
		p, err := buildPackage(s.Name[len("pkg_"):], s, ini.Items(s), db)
		if err != nil {
			return nil, err
		}
		db.Packages[p.ID] = p
	}
	for _, id := range db.PackageIDs() {
		p := db.Packages[id]
		for _, dep := range p.Depends {
			if db.Packages[dep] == nil {
				return nil, p.Pos.errorf("[pkg_%s]: depends on unknown package %q", id, dep)
			}
		}
	}
	return db, nil
}

func buildFile(id string, s *Section, opts []*Option) (*File, error) {
	f := &File{ID: id, Downloader: "default", Pos: s.Pos}
	seen := map[string]bool{}
	for _, o := range opts {
		seen[o.Name] = true
		switch o.Name {
		case "url":
			f.URL = o.Value
		case "size":
			n, err := strconv.ParseInt(o.Value, 10, 64)
			if err != nil || n < 0 {
				return nil, o.Pos.errorf("[%s] size: %q is not a number of bytes", s.Name, o.Value)
			}
			f.Size = n
		case "sha1sum":
			// Like Python's a2b_hex, any even number of hex digits loads;
			// a digest that is not 40 digits long fails at download
			// (Verifiable), not here: a real pkgs.db has one.
			v := strings.ToLower(o.Value)
			if _, err := hex.DecodeString(v); err != nil || v == "" {
				return nil, o.Pos.errorf("[%s] sha1sum: %q is not hexadecimal", s.Name, o.Value)
			}
			f.SHA1 = v
			f.shaPos = o.Pos
		case "filename":
			f.Filename = o.Value
		case "downloader":
			if !contains(Downloaders, o.Value) {
				return nil, o.Pos.errorf("[%s] downloader: %q is not one of %s", s.Name, o.Value, strings.Join(Downloaders, ", "))
			}
			f.Downloader = o.Value
		}
	}
	for _, k := range []string{"url", "size", "sha1sum"} {
		if !seen[k] {
			return nil, s.Pos.errorf("[%s]: missing key %q", s.Name, k)
		}
	}
	if !seen["filename"] {
		f.Filename = urlBase(f.URL)
		if f.Filename == "" {
			return nil, s.Pos.errorf("[%s]: no filename, and none can be taken from the url", s.Name)
		}
	}
	if err := CheckFilename(f.Filename); err != nil {
		return nil, s.Pos.errorf("[%s] filename: %v", s.Name, err)
	}
	return f, nil
}

// urlBase is Python's os.path.basename(url), as xivo-fetchfw takes it:
// everything after the last "/" (a query string included).
func urlBase(raw string) string {
	return raw[strings.LastIndex(raw, "/")+1:]
}

// CheckFilename refuses a cache file name that is not one plain path
// element: empty, ".", "..", or containing "/" or NUL.
func CheckFilename(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return fmt.Errorf("%q is not a file name", name)
	case strings.ContainsAny(name, "/\x00"):
		return fmt.Errorf("%q must be a plain file name, without \"/\"", name)
	}
	return nil
}

func checkFilenames(files map[string]*File) error {
	byName := make(map[string]*File)
	ids := make([]string, 0, len(files))
	for id := range files {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		f := files[id]
		if g := byName[f.Filename]; g != nil {
			return f.Pos.errorf("[file_%s] and [file_%s] (%s) both use the file name %q", f.ID, g.ID, g.Pos, f.Filename)
		}
		byName[f.Filename] = f
	}
	return nil
}

func buildPackage(id string, s *Section, opts []*Option, db *DB) (*Package, error) {
	p := &Package{ID: id, Pos: s.Pos, Descriptions: map[string]string{}, Extra: map[string]string{}}
	seen := map[string]*Option{}
	for _, o := range opts {
		seen[o.Name] = o
		switch {
		case o.Name == "id":
			return nil, o.Pos.errorf("[%s]: the key \"id\" is not allowed", s.Name)
		case o.Name == "description":
			p.Description = o.Value
		case strings.HasPrefix(o.Name, "description_"):
			p.Descriptions[o.Name[len("description_"):]] = o.Value
		case o.Name == "version":
			p.Version = o.Value
		case o.Name == "depends":
			p.Depends = strings.Fields(o.Value)
		case o.Name == "files":
			for _, fid := range strings.Fields(o.Value) {
				f := db.Files[fid]
				if f == nil {
					return nil, o.Pos.errorf("[%s] files: unknown file %q (no [file_%s])", s.Name, fid, fid)
				}
				p.Files = append(p.Files, f)
			}
		case o.Name == "install":
			tokens := strings.Fields(o.Value)
			if len(tokens) == 0 {
				return nil, o.Pos.errorf("[%s] install: no recipe given", s.Name)
			}
			r := db.Recipes[tokens[0]]
			if r == nil {
				return nil, o.Pos.errorf("[%s] install: unknown recipe %q (no [install_%s])", s.Name, tokens[0], tokens[0])
			}
			p.Recipe, p.Args = r, tokens[1:]
		default:
			p.Extra[o.Name] = o.Value
		}
	}
	for _, k := range []string{"version", "description"} {
		if seen[k] == nil {
			return nil, s.Pos.errorf("[%s]: missing key %q", s.Name, k)
		}
	}
	if p.Recipe != nil {
		steps, err := p.Recipe.instantiate(p.vars())
		if err != nil {
			return nil, fmt.Errorf("%w (for [%s], %s)", err, s.Name, seen["install"].Pos)
		}
		p.steps = steps
	}
	return p, nil
}

// vars are the recipe variables of a package: FILEn, the cache name of its
// n-th file, and ARGn, the n-th argument after the recipe ID.
func (p *Package) vars() map[string]string {
	v := make(map[string]string)
	for i, f := range p.Files {
		v["FILE"+strconv.Itoa(i+1)] = f.Filename
	}
	for i, a := range p.Args {
		v["ARG"+strconv.Itoa(i+1)] = a
	}
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ErrNoPackage is returned for an unknown package ID.
var ErrNoPackage = errors.New("no such package")

// Package returns a package by ID.
func (db *DB) Package(id string) (*Package, error) {
	if p := db.Packages[id]; p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("%w %q", ErrNoPackage, id)
}
