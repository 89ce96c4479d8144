// Package install installs a plugin's firmware packages (its pkgs.db) into
// the plugin's var/tftpboot, where phones fetch them, as xivo-fetchfw does
// for Wazo provd — but verified, confined and all-or-nothing.
//
// A package's files are fetched through the download cache (size and
// SHA-1 checked) before anything else; its recipe then runs in a temporary
// directory of the plugin (var/.fwbuild-*), every command confined to its
// nodes' directories; the result is moved into var/tftpboot and recorded
// in var/installed/<ID> in one journaled transaction, so that a failure,
// a cancellation or a crash at any point leaves the previous files and
// records as they were. Removing a package takes away exactly the files
// its record lists, except those another installed package also lists.
package install

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/firmware/archive"
	"github.com/phoneprovd/phoneprovd/firmware/fetch"
	"github.com/phoneprovd/phoneprovd/firmware/lockfile"
	"github.com/phoneprovd/phoneprovd/firmware/pkgsdb"
)

// Directories inside a plugin.
const (
	PkgsDir      = "pkgs"          // the package definitions
	TFTPBootDir  = "var/tftpboot"  // where packages install
	InstalledDir = "var/installed" // one record per installed package
	lockName     = "var/.fwlock"
)

// Installer manages the firmware packages of one plugin.
type Installer struct {
	// Dir is the plugin directory.
	Dir string
	// DB is the plugin's package definitions.
	DB *pkgsdb.DB
	// Cache fetches the packages' files.
	Cache *fetch.Cache
	// Archive bounds extractions.
	Archive archive.Options
	// Report receives a line per thing done, for the administrator; nil
	// discards them.
	Report io.Writer
	// Logger receives warnings; nil discards them.
	Logger *slog.Logger

	// hook runs before each move of a transaction (tests).
	hook func(step string) error
}

// Open reads the plugin's pkgs directory (a plugin without one has no
// packages).
func Open(pluginDir string, cache *fetch.Cache) (*Installer, error) {
	db, err := pkgsdb.Load(filepath.Join(pluginDir, PkgsDir))
	if errors.Is(err, fs.ErrNotExist) {
		db, err = pkgsdb.Build(pkgsdb.NewINI())
	}
	if err != nil {
		return nil, err
	}
	return &Installer{Dir: pluginDir, DB: db, Cache: cache}, nil
}

func (in *Installer) report(format string, args ...any) {
	if in.Report != nil {
		fmt.Fprintf(in.Report, format+"\n", args...)
	}
}

func (in *Installer) warn(msg string) {
	in.report("warning: %s", msg)
	if in.Logger != nil {
		in.Logger.Warn(msg, "plugin", in.Dir)
	}
}

// Installed returns the records of the installed packages.
func (in *Installer) Installed() (map[string]*Record, error) {
	return readRecords(filepath.Join(in.Dir, InstalledDir))
}

// Status is a package as the plugin defines it and as it is installed.
type Status struct {
	ID        string
	Package   *pkgsdb.Package // nil: installed, but pkgs.db no longer has it
	Installed *Record         // nil: not installed
}

// List returns every package defined or installed, sorted by ID.
func (in *Installer) List() ([]Status, error) {
	recs, err := in.Installed()
	if err != nil {
		return nil, err
	}
	byID := map[string]*Status{}
	for id, p := range in.DB.Packages {
		byID[id] = &Status{ID: id, Package: p}
	}
	for id, r := range recs {
		if byID[id] == nil {
			byID[id] = &Status{ID: id}
		}
		byID[id].Installed = r
	}
	out := make([]Status, 0, len(byID))
	for _, s := range byID {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// LockPlugin takes a plugin's package lock, as every changing package
// command does, and repairs what a crashed command left: it completes or
// undoes an unfinished transaction and deletes build directories. The
// returned note, if any, says what was repaired. Closing the lock
// releases it. The plugin repository takes it before replacing or
// removing a plugin.
func LockPlugin(dir string) (lock io.Closer, note string, err error) {
	if err := os.MkdirAll(filepath.Join(dir, "var"), 0o755); err != nil {
		return nil, "", err
	}
	l, err := lockfile.TryLock(filepath.Join(dir, lockName))
	if err != nil {
		if errors.Is(err, lockfile.ErrLocked) {
			return nil, "", fmt.Errorf("%s: another phoneprovd command is changing this plugin's packages", dir)
		}
		return nil, "", err
	}
	note, err = recoverTxn(dir)
	if err != nil {
		l.Close()
		return nil, "", err
	}
	stale, _ := filepath.Glob(filepath.Join(dir, "var", buildPrefix+"*"))
	for _, d := range stale {
		os.RemoveAll(d)
	}
	return l, note, nil
}

// lock takes the plugin's lock and reads the installed records.
func (in *Installer) lock() (io.Closer, map[string]*Record, error) {
	l, note, err := LockPlugin(in.Dir)
	if err != nil {
		return nil, nil, err
	}
	if note != "" {
		in.report("%s: %s", in.Dir, note)
	}
	recs, err := in.Installed()
	if err != nil {
		l.Close()
		return nil, nil, err
	}
	return l, recs, nil
}

// change is one package to (re)install in a transaction.
type change struct {
	pkg      *pkgsdb.Package
	explicit bool
	old      *Record // the record it replaces, if any
}

// Install installs the packages and the packages they depend on. An
// installed package is left as it is (use Upgrade to reinstall it).
func (in *Installer) Install(ctx context.Context, ids ...string) error {
	l, recs, err := in.lock()
	if err != nil {
		return err
	}
	defer l.Close()
	var changes []change
	var relabel []*Record
	seen := map[string]bool{}
	asked := map[string]bool{}
	for _, id := range ids {
		asked[id] = true
	}
	var visit func(id string) error
	visit = func(id string) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		p, err := in.pkg(id)
		if err != nil {
			return err
		}
		for _, dep := range p.Depends {
			if err := visit(dep); err != nil {
				return err
			}
		}
		explicit := asked[id]
		if r := recs[id]; r != nil {
			if explicit {
				if r.Version != p.Version {
					in.report("%s is already installed (pkgs.db has %s: use upgrade)", label(id, r.Version), p.Version)
				} else {
					in.report("%s is already installed", label(id, r.Version))
				}
				if !r.Explicit {
					relabel = append(relabel, r)
				}
			}
			return nil
		}
		changes = append(changes, change{pkg: p, explicit: explicit})
		return nil
	}
	for _, id := range ids {
		if err := visit(id); err != nil {
			return err
		}
	}
	return in.apply(ctx, recs, changes, nil, relabel)
}

// Upgrade reinstalls the packages (uninstall and install, as provd does),
// or, with no IDs, every installed package whose version differs from
// pkgs.db's. New dependencies are installed too.
func (in *Installer) Upgrade(ctx context.Context, ids ...string) error {
	l, recs, err := in.lock()
	if err != nil {
		return err
	}
	defer l.Close()
	var targets []string
	if len(ids) == 0 {
		for id, r := range recs {
			if p := in.DB.Packages[id]; p != nil && p.Version != r.Version {
				targets = append(targets, id)
			}
		}
		sort.Strings(targets)
		if len(targets) == 0 {
			in.report("every installed package is up to date")
			return nil
		}
	} else {
		for _, id := range ids {
			if recs[id] == nil {
				return fmt.Errorf("package %q is not installed", id)
			}
		}
		targets = ids
	}
	var changes []change
	seen := map[string]bool{}
	var visit func(id string, upgrade bool) error
	visit = func(id string, upgrade bool) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		p := in.DB.Packages[id]
		if p == nil {
			if upgrade {
				return fmt.Errorf("package %q is installed but no longer defined in %s: remove it", id, filepath.Join(in.Dir, PkgsDir))
			}
			return fmt.Errorf("no package %q in %s", id, filepath.Join(in.Dir, PkgsDir))
		}
		for _, dep := range p.Depends {
			if recs[dep] == nil {
				if err := visit(dep, false); err != nil {
					return err
				}
			}
		}
		if upgrade {
			changes = append(changes, change{pkg: p, explicit: recs[id].Explicit, old: recs[id]})
		} else {
			changes = append(changes, change{pkg: p})
		}
		return nil
	}
	for _, id := range targets {
		if err := visit(id, true); err != nil {
			return err
		}
	}
	return in.apply(ctx, recs, changes, nil, nil)
}

// Remove uninstalls the packages. A package another installed package
// depends on is refused unless that one is removed too.
func (in *Installer) Remove(ctx context.Context, ids ...string) error {
	l, recs, err := in.lock()
	if err != nil {
		return err
	}
	defer l.Close()
	removing := map[string]bool{}
	var removals []*Record
	for _, id := range ids {
		r := recs[id]
		if r == nil {
			return fmt.Errorf("package %q is not installed", id)
		}
		if !removing[id] {
			removing[id] = true
			removals = append(removals, r)
		}
	}
	for _, r := range removals {
		var users []string
		for other, o := range recs {
			if !removing[other] && contains(o.Depends, r.ID) {
				users = append(users, other)
			}
		}
		if len(users) > 0 {
			sort.Strings(users)
			return fmt.Errorf("package %q is required by %s", r.ID, strings.Join(users, ", "))
		}
	}
	return in.apply(ctx, recs, nil, removals, nil)
}

func (in *Installer) pkg(id string) (*pkgsdb.Package, error) {
	p := in.DB.Packages[id]
	if p == nil {
		return nil, fmt.Errorf("no package %q in %s", id, filepath.Join(in.Dir, PkgsDir))
	}
	return p, checkID(id)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fetchAll makes sure every file of the changes is in the cache, and
// returns the cache paths by file ID. Files to be put in the cache by hand
// are all reported together.
func (in *Installer) fetchAll(ctx context.Context, changes []change) (map[string]string, error) {
	paths := map[string]string{}
	var manual []string
	for _, c := range changes {
		for _, f := range c.pkg.Files {
			if _, done := paths[f.ID]; done {
				continue
			}
			if err := f.Verifiable(); err != nil {
				return nil, err
			}
			p, err := in.Cache.Fetch(ctx, fetch.File{Name: f.Filename, URL: f.URL, Size: f.Size, SHA1: f.SHA1, Login: f.Downloader == "auth"})
			var me *fetch.ManualError
			switch {
			case errors.As(err, &me):
				manual = append(manual, err.Error())
				paths[f.ID] = ""
				continue
			case err != nil:
				return nil, err
			}
			paths[f.ID] = p
		}
	}
	if len(manual) > 0 {
		return nil, errors.New(strings.Join(manual, "\n"))
	}
	return paths, nil
}

// apply fetches and builds the changes, then installs them and removes
// the removals in one transaction. relabel are records only to mark as
// explicitly installed.
func (in *Installer) apply(ctx context.Context, recs map[string]*Record, changes []change, removals, relabel []*Record) error {
	if len(changes) == 0 && len(removals) == 0 && len(relabel) == 0 {
		return nil
	}
	paths, err := in.fetchAll(ctx, changes)
	if err != nil {
		return err
	}
	r := &runner{ctx: ctx, archive: in.Archive, warn: in.warn}
	var builds []*build
	defer func() {
		for _, b := range builds {
			os.RemoveAll(b.dir)
		}
	}()
	results := make([]struct{ files, dirs []string }, len(changes))
	for i, c := range changes {
		in.report("building %s", label(c.pkg.ID, c.pkg.Version))
		b, err := runRecipe(ctx, r, filepath.Join(in.Dir, "var"), c.pkg, paths)
		if err != nil {
			return fmt.Errorf("package %s: %w", c.pkg.ID, err)
		}
		builds = append(builds, b)
		results[i].files, results[i].dirs, err = resultPaths(b.result)
		if err != nil {
			return fmt.Errorf("package %s: %w", c.pkg.ID, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	t, err := newTxn(in.Dir)
	if err != nil {
		return err
	}
	// Who owns what once the transaction is done, apart from the
	// packages it writes.
	replaced := map[string]bool{}
	for _, c := range changes {
		if c.old != nil {
			replaced[c.old.ID] = true
		}
	}
	for _, rm := range removals {
		replaced[rm.ID] = true
	}
	staying := map[string]*Record{}
	for id, rec := range recs {
		if !replaced[id] {
			staying[id] = rec
		}
	}
	kept := owners(staying)
	allOwned := owners(recs)
	newPaths := map[string]bool{}
	placed := map[string]bool{}
	for i, c := range changes {
		for _, f := range results[i].files {
			target := path.Join(TFTPBootDir, f)
			newPaths[f] = true
			if len(allOwned[f]) == 0 {
				if _, err := os.Lstat(filepath.Join(in.Dir, filepath.FromSlash(target))); err == nil {
					os.RemoveAll(t.dir)
					return fmt.Errorf("package %s would replace %s, which no installed package owns: move it away first", c.pkg.ID, filepath.Join(in.Dir, filepath.FromSlash(target)))
				}
			}
			if err := t.stageFile(filepath.Join(builds[i].result, filepath.FromSlash(f)), target); err != nil {
				os.RemoveAll(t.dir)
				return err
			}
			if !placed[target] {
				placed[target] = true
				t.place(target)
			}
		}
		for _, d := range results[i].dirs {
			newPaths[d] = true
			t.wantDir(path.Join(TFTPBootDir, strings.TrimSuffix(d, "/")))
		}
		files := append(append([]string{}, results[i].dirs...), results[i].files...)
		sort.Strings(files)
		rec := newRecord(c.pkg, files, c.explicit)
		if err := in.stageRecord(t, rec); err != nil {
			os.RemoveAll(t.dir)
			return err
		}
	}
	for _, rec := range relabel {
		rec.Explicit = true
		rec.Info["explicit_install"] = true
		if err := in.stageRecord(t, rec); err != nil {
			os.RemoveAll(t.dir)
			return err
		}
	}
	var olds []*Record
	for _, c := range changes {
		if c.old != nil {
			olds = append(olds, c.old)
		}
	}
	olds = append(olds, removals...)
	for _, old := range olds {
		for _, f := range old.Files {
			if len(kept[f]) > 0 || newPaths[f] {
				continue
			}
			if strings.HasSuffix(f, "/") {
				t.rmdirLater(path.Join(TFTPBootDir, strings.TrimSuffix(f, "/")))
			} else {
				t.remove(path.Join(TFTPBootDir, f))
			}
		}
	}
	for _, rm := range removals {
		t.remove(path.Join(InstalledDir, rm.ID))
	}
	if err := ctx.Err(); err != nil {
		os.RemoveAll(t.dir)
		return err
	}
	// From here on the change is short (renames) and is not interrupted.
	if err := t.apply(in.hook); err != nil {
		return err
	}
	for i, c := range changes {
		verb := "installed"
		if c.old != nil {
			verb = "upgraded from " + c.old.Version + ","
		}
		in.report("%s: %s %s under %s", label(c.pkg.ID, c.pkg.Version), verb, plural(len(results[i].files), "file"), filepath.Join(in.Dir, TFTPBootDir))
	}
	for _, rm := range removals {
		in.report("%s: removed", label(rm.ID, rm.Version))
	}
	for _, rec := range relabel {
		in.report("%s: now marked as installed on request", label(rec.ID, rec.Version))
	}
	return nil
}

// label is "ID VERSION", or the ID alone for a package without version.
func label(id, version string) string {
	if version == "" {
		return id
	}
	return id + " " + version
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (in *Installer) stageRecord(t *txn, rec *Record) error {
	if err := checkID(rec.ID); err != nil {
		return err
	}
	data, err := rec.marshal()
	if err != nil {
		return err
	}
	rel := path.Join(InstalledDir, rec.ID)
	if err := t.stageData(rel, data); err != nil {
		return err
	}
	t.place(rel)
	return nil
}
