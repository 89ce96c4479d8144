// Package repo installs, upgrades and removes provd-style plugins from a
// plugin server: a URL serving a plugins.db index and the plugins'
// .tar.bz2 packages.
//
// A package is downloaded through the firmware download cache and its
// size and SHA-1 are checked before it is opened. It is unpacked (safely:
// see firmware/archive) into a temporary directory inside the plugins
// directory and swapped with the installed plugin by a single rename — an
// atomic exchange on Linux — so a daemon watching the plugins directory
// sees the old plugin or the new one, never a half-unpacked one, and a
// failure leaves the old plugin in place. An upgrade carries over what
// the administrator and the firmware packages put under the plugin's
// var/: template overrides (var/templates) and installed firmware.
//
// A plugin is data: installing one never runs code from it. (Wazo provd
// runs the plugin's Python entry.py when it loads it.)
package repo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/firmware/archive"
	"github.com/phoneprovd/phoneprovd/firmware/fetch"
	"github.com/phoneprovd/phoneprovd/firmware/install"
	"github.com/phoneprovd/phoneprovd/firmware/lockfile"
)

// IndexFile is the name of the index on the server and in the state
// directory.
const IndexFile = "plugins.db"

// maxIndex bounds a plugins.db download.
const maxIndex = 32 << 20

// Temporary directories inside the plugins directory start with these.
const (
	tmpInstall = ".install-"
	tmpRemove  = ".remove-"
	lockFile   = ".lock"
)

// Repo is a plugins directory and the server it installs from.
type Repo struct {
	// PluginsDir holds one directory per installed plugin.
	PluginsDir string
	// StateDir keeps the downloaded index (StateDir/plugins.db).
	StateDir string
	// Server is the plugin server's base URL.
	Server string
	// Cache downloads and checks packages.
	Cache *fetch.Cache
	// Archive bounds the unpacking of a package.
	Archive archive.Options
	// Report receives a line per thing done; nil discards them.
	Report io.Writer
	// Logger receives warnings; nil discards them.
	Logger *slog.Logger
}

func (r *Repo) report(format string, args ...any) {
	if r.Report != nil {
		fmt.Fprintf(r.Report, format+"\n", args...)
	}
}

func (r *Repo) warn(msg string) {
	r.report("warning: %s", msg)
	if r.Logger != nil {
		r.Logger.Warn(msg)
	}
}

// IndexPath is where Update keeps the index.
func (r *Repo) IndexPath() string { return filepath.Join(r.StateDir, IndexFile) }

// url joins the server URL and a file name as provd does.
func (r *Repo) url(name string) (string, error) {
	if r.Server == "" {
		return "", errors.New("no plugin server: set server in the [plugins] section of phoneprovd.conf, or pass -server URL")
	}
	u, err := url.Parse(r.Server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("plugin server %q is not an http(s) URL", r.Server)
	}
	return strings.TrimSuffix(r.Server, "/") + "/" + url.PathEscape(name), nil
}

// Update downloads the server's plugins.db into the state directory. The
// index is checked before it replaces the previous one.
func (r *Repo) Update(ctx context.Context) error {
	u, err := r.url(IndexFile)
	if err != nil {
		return err
	}
	data, err := r.Cache.Get(ctx, u, maxIndex)
	if err != nil {
		return err
	}
	ix, err := ParseIndex(u, data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(r.StateDir, 0o755); err != nil {
		return err
	}
	if err := writeAtomic(r.IndexPath(), data); err != nil {
		return err
	}
	r.report("%s: %d plugins available", u, len(ix))
	return nil
}

// Index reads the index Update saved.
func (r *Repo) Index() (Index, error) {
	data, err := os.ReadFile(r.IndexPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no plugin index in %s: run \"phoneprovd plugins update\" first", r.StateDir)
	}
	if err != nil {
		return nil, err
	}
	return ParseIndex(r.IndexPath(), data)
}

// Installed is a plugin found in the plugins directory.
type Installed struct {
	ID   string
	Info *Info // nil when Err is set
	Err  error // a missing or bad plugin-info
}

// Installed lists the plugins directory: every directory not starting
// with ".", with what its plugin-info says.
func (r *Repo) Installed() ([]Installed, error) {
	entries, err := os.ReadDir(r.PluginsDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Installed
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		info, err := ReadInfo(filepath.Join(r.PluginsDir, e.Name()))
		out = append(out, Installed{ID: e.Name(), Info: info, Err: err})
	}
	return out, nil
}

// Listing is a plugin installed, installable, or both.
type Listing struct {
	ID        string
	Installed *Installed // nil: not installed
	Available *Entry     // nil: not in the index
}

// List merges the installed plugins and the index (if Update has been
// run: without an index, only installed plugins are listed, and the
// returned error says so).
func (r *Repo) List() ([]Listing, error) {
	inst, err := r.Installed()
	if err != nil {
		return nil, err
	}
	ix, ixErr := r.Index()
	by := map[string]*Listing{}
	for i := range inst {
		by[inst[i].ID] = &Listing{ID: inst[i].ID, Installed: &inst[i]}
	}
	for id, e := range ix {
		if by[id] == nil {
			by[id] = &Listing{ID: id}
		}
		by[id].Available = e
	}
	out := make([]Listing, 0, len(by))
	for _, l := range by {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, ixErr
}

// lock takes the plugins directory's lock and removes temporary
// directories a crashed command left.
func (r *Repo) lock() (io.Closer, error) {
	if err := os.MkdirAll(r.PluginsDir, 0o755); err != nil {
		return nil, err
	}
	l, err := lockfile.TryLock(filepath.Join(r.PluginsDir, lockFile))
	if err != nil {
		if errors.Is(err, lockfile.ErrLocked) {
			return nil, fmt.Errorf("%s: another phoneprovd command is changing the plugins", r.PluginsDir)
		}
		return nil, err
	}
	for _, p := range []string{tmpInstall, tmpRemove} {
		stale, _ := filepath.Glob(filepath.Join(r.PluginsDir, p+"*"))
		for _, d := range stale {
			os.RemoveAll(d)
		}
	}
	return l, nil
}

// Install installs a plugin that is not installed yet.
func (r *Repo) Install(ctx context.Context, id string) error {
	return r.put(ctx, id, false)
}

// Upgrade replaces an installed plugin with the index's version, keeping
// its var/templates and installed firmware.
func (r *Repo) Upgrade(ctx context.Context, id string) error {
	return r.put(ctx, id, true)
}

func (r *Repo) put(ctx context.Context, id string, upgrade bool) error {
	if err := CheckID(id); err != nil {
		return err
	}
	ix, err := r.Index()
	if err != nil {
		return err
	}
	e := ix[id]
	if e == nil {
		return fmt.Errorf("no plugin %q in %s", id, r.IndexPath())
	}
	u, err := r.url(e.Filename)
	if err != nil {
		return err
	}
	l, err := r.lock()
	if err != nil {
		return err
	}
	defer l.Close()
	final := filepath.Join(r.PluginsDir, id)
	_, statErr := os.Lstat(final)
	switch {
	case upgrade && errors.Is(statErr, fs.ErrNotExist):
		return fmt.Errorf("plugin %q is not installed: use install", id)
	case !upgrade && statErr == nil:
		return fmt.Errorf("plugin %q is already installed in %s: use upgrade", id, final)
	case statErr != nil && !errors.Is(statErr, fs.ErrNotExist):
		return statErr
	}

	// 1. The package, checked (size and SHA-1) before it is opened.
	pkg, err := r.Cache.Fetch(ctx, fetch.File{Name: e.Filename, URL: u, Size: e.DSize, SHA1: e.SHA1})
	if err != nil {
		return err
	}
	// 2. Unpacked beside the plugins, on the same file system.
	tmp, err := os.MkdirTemp(r.PluginsDir, tmpInstall+id+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	unpacked := filepath.Join(tmp, "new")
	f, err := os.Open(pkg)
	if err != nil {
		return err
	}
	opt := r.Archive
	opt.Warn = r.warn
	err = archive.Untar(ctx, f, e.Filename, unpacked, opt)
	f.Close()
	if err != nil {
		return err
	}
	fresh, err := r.checkPackage(unpacked, e)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// 3. Swapped in.
	if !upgrade {
		if err := os.Rename(fresh, final); err != nil {
			return err
		}
		r.report("%s %s: installed in %s", id, e.Version, final)
		return nil
	}
	fw, note, err := install.LockPlugin(final)
	if err != nil {
		return err
	}
	defer fw.Close()
	if note != "" {
		r.report("%s: %s", final, note)
	}
	kept, err := carryOver(final, fresh)
	if err != nil {
		return fmt.Errorf("keeping %s's var/ files: %w", final, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	old := filepath.Join(tmp, "old")
	if err := exchange(fresh, final, old); err != nil {
		return err
	}
	oldVersion := "?"
	if info, err := ReadInfo(old); err == nil {
		oldVersion = info.Version
	}
	r.report("%s: upgraded from %s to %s, keeping %d files of var/", id, oldVersion, e.Version, kept)
	return nil
}

// checkPackage checks an unpacked package holds exactly one directory,
// named after the plugin, with a valid plugin-info, and returns it.
func (r *Repo) checkPackage(unpacked string, e *Entry) (string, error) {
	entries, err := os.ReadDir(unpacked)
	if err != nil {
		return "", err
	}
	var names []string
	for _, de := range entries {
		names = append(names, de.Name())
	}
	if len(entries) != 1 || !entries[0].IsDir() || entries[0].Name() != e.ID {
		return "", fmt.Errorf("%s: the package must hold one directory, %q; it holds %s", e.Filename, e.ID, strings.Join(names, ", "))
	}
	dir := filepath.Join(unpacked, e.ID)
	info, err := ReadInfo(dir)
	if err != nil {
		return "", fmt.Errorf("%s: %w", e.Filename, err)
	}
	if info.Version != e.Version {
		r.warn(fmt.Sprintf("%s: plugin-info says version %s, the index %s", e.Filename, info.Version, e.Version))
	}
	return dir, nil
}

// Remove deletes an installed plugin, with its firmware, in one rename
// (the deletion of the renamed directory follows).
func (r *Repo) Remove(ctx context.Context, id string) error {
	if err := CheckID(id); err != nil {
		return err
	}
	l, err := r.lock()
	if err != nil {
		return err
	}
	defer l.Close()
	final := filepath.Join(r.PluginsDir, id)
	fi, err := os.Lstat(final)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && !fi.IsDir()) {
		return fmt.Errorf("plugin %q is not installed in %s", id, r.PluginsDir)
	}
	if err != nil {
		return err
	}
	fw, _, err := install.LockPlugin(final)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(r.PluginsDir, tmpRemove+id+"-")
	if err != nil {
		fw.Close()
		return err
	}
	err = os.Rename(final, filepath.Join(tmp, id))
	fw.Close()
	if err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("plugin %q removed, but deleting its files failed: %w", id, err)
	}
	r.report("%s: removed", id)
	return nil
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
