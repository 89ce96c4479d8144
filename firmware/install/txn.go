package install

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// A transaction changes a plugin's installed files and records as one
// step. Everything new is first staged in var/.fwtxn/new (same file
// system, so moves are renames), a journal lists the moves, and only then
// is the plugin touched: what is replaced or removed is moved aside into
// var/.fwtxn/old, what is new is moved in. Rewriting the journal as
// "committed" is the commit point. A failure before it — or a crash,
// found by the next command — moves everything back; after it, the old
// files are deleted.
type txn struct {
	plugin string // the plugin directory
	dir    string // plugin/var/.fwtxn
	j      journal
	wanted []string // directories to exist afterwards
}

// journal is the on-disk description of a transaction. Paths are
// relative to the plugin directory, "/"-separated.
type journal struct {
	State string `json:"state"` // "prepared" or "committed"
	// Place are staged files (new/PATH) to move to PATH.
	Place []string `json:"place"`
	// Aside are existing files to move to old/PATH first.
	Aside []string `json:"aside"`
	// Mkdir are directories the transaction creates, parents first.
	Mkdir []string `json:"mkdir"`
	// Rmdir are directories to remove after the commit if empty.
	Rmdir []string `json:"rmdir"`
}

const (
	txnDir      = ".fwtxn"
	journalName = "journal.json"
	buildPrefix = ".fwbuild-"
)

func newTxn(plugin string) (*txn, error) {
	t := &txn{plugin: plugin, dir: filepath.Join(plugin, "var", txnDir)}
	if err := os.RemoveAll(t.dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(t.dir, "new"), 0o755); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *txn) abs(rel string) string    { return filepath.Join(t.plugin, filepath.FromSlash(rel)) }
func (t *txn) staged(rel string) string { return filepath.Join(t.dir, "new", filepath.FromSlash(rel)) }
func (t *txn) aside(rel string) string  { return filepath.Join(t.dir, "old", filepath.FromSlash(rel)) }

// stageFile moves src (a build result, same file system) into the
// staging area for rel.
func (t *txn) stageFile(src, rel string) error {
	dst := t.staged(rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.Rename(src, dst)
}

// stageData writes a new file's content into the staging area.
func (t *txn) stageData(rel string, data []byte) error {
	dst := t.staged(rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return writeSync(dst, data)
}

// place schedules a staged file; an existing file at rel is moved aside.
func (t *txn) place(rel string) {
	t.j.Place = append(t.j.Place, rel)
}

// remove schedules an existing file's removal.
func (t *txn) remove(rel string) { t.j.Aside = append(t.j.Aside, rel) }

// wantDir schedules a directory's creation if it is missing.
func (t *txn) wantDir(rel string) { t.wanted = append(t.wanted, rel) }

// rmdirLater schedules an emptied directory's removal after the commit.
func (t *txn) rmdirLater(rel string) { t.j.Rmdir = append(t.j.Rmdir, rel) }

// plan completes the journal: files to be replaced are moved aside, and
// missing parent directories are created.
func (t *txn) plan() error {
	aside := map[string]bool{}
	for _, a := range t.j.Aside {
		aside[a] = true
	}
	mk := map[string]bool{}
	for _, p := range t.j.Place {
		fi, err := os.Lstat(t.abs(p))
		switch {
		case err == nil && fi.IsDir():
			return fmt.Errorf("%s is a directory; a file must go there", t.abs(p))
		case err == nil && !aside[p]:
			aside[p] = true
			t.j.Aside = append(t.j.Aside, p)
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return err
		}
		if err := t.parents(path.Dir(p), aside, mk); err != nil {
			return err
		}
	}
	for _, d := range t.wanted {
		if err := t.parents(d, aside, mk); err != nil {
			return err
		}
	}
	for d := range mk {
		t.j.Mkdir = append(t.j.Mkdir, d)
	}
	sort.Slice(t.j.Mkdir, func(a, b int) bool {
		return depth(t.j.Mkdir[a]) < depth(t.j.Mkdir[b]) || (depth(t.j.Mkdir[a]) == depth(t.j.Mkdir[b]) && t.j.Mkdir[a] < t.j.Mkdir[b])
	})
	return nil
}

// parents schedules the creation of dir and its missing parents.
func (t *txn) parents(dir string, aside, mk map[string]bool) error {
	for d := dir; d != "." && !mk[d]; d = path.Dir(d) {
		fi, err := os.Stat(t.abs(d))
		if err == nil {
			if fi.IsDir() {
				return nil
			}
			if !aside[d] {
				return fmt.Errorf("%s is a file; a directory must go there", t.abs(d))
			}
		}
		mk[d] = true
	}
	return nil
}

func depth(p string) int { return strings.Count(p, "/") }

// apply runs the transaction; on error it rolls back and returns the
// error. hook, when set, runs before each move (tests use it to fail
// half-way).
func (t *txn) apply(hook func(step string) error) error {
	if err := t.plan(); err != nil {
		os.RemoveAll(t.dir)
		return err
	}
	t.j.State = "prepared"
	if err := t.writeJournal(); err != nil {
		os.RemoveAll(t.dir)
		return err
	}
	err := t.moves(hook)
	if err == nil {
		t.j.State = "committed"
		err = t.writeJournal()
	}
	if err != nil {
		if rerr := t.rollback(); rerr != nil {
			return fmt.Errorf("%w; and undoing it failed: %v (the journal %s is kept for the next command to retry)", err, rerr, filepath.Join(t.dir, journalName))
		}
		return err
	}
	t.finish()
	return nil
}

func (t *txn) moves(hook func(string) error) error {
	for _, a := range t.j.Aside {
		if hook != nil {
			if err := hook("aside " + a); err != nil {
				return err
			}
		}
		dst := t.aside(a)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Rename(t.abs(a), dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	for _, d := range t.j.Mkdir {
		if err := os.Mkdir(t.abs(d), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	for _, p := range t.j.Place {
		if hook != nil {
			if err := hook("place " + p); err != nil {
				return err
			}
		}
		if err := os.Rename(t.staged(p), t.abs(p)); err != nil {
			return err
		}
	}
	return nil
}

// rollback undoes the moves, whatever point they reached.
func (t *txn) rollback() error {
	var errs []error
	for i := len(t.j.Place) - 1; i >= 0; i-- {
		p := t.j.Place[i]
		if _, err := os.Lstat(t.staged(p)); err == nil {
			continue // never moved in
		}
		if err := os.Remove(t.abs(p)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	for i := len(t.j.Mkdir) - 1; i >= 0; i-- {
		os.Remove(t.abs(t.j.Mkdir[i])) // only if empty
	}
	for _, a := range t.j.Aside {
		src := t.aside(a)
		if _, err := os.Lstat(src); err != nil {
			continue // never moved aside
		}
		if err := os.MkdirAll(filepath.Dir(t.abs(a)), 0o755); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := os.Rename(src, t.abs(a)); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return os.RemoveAll(t.dir)
}

// finish deletes what was moved aside and the directories emptied.
func (t *txn) finish() {
	os.RemoveAll(t.dir)
	dirs := append([]string{}, t.j.Rmdir...)
	sort.Slice(dirs, func(a, b int) bool { return depth(dirs[a]) > depth(dirs[b]) })
	for _, d := range dirs {
		os.Remove(t.abs(d)) // only if empty
	}
}

func (t *txn) writeJournal() error {
	data, err := json.MarshalIndent(&t.j, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(t.dir, journalName+".tmp")
	if err := writeSync(tmp, data); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(t.dir, journalName)); err != nil {
		return err
	}
	return syncDir(t.dir)
}

// recoverTxn finishes or undoes a transaction a crashed command left.
// It returns a note for the administrator, or "".
func recoverTxn(plugin string) (string, error) {
	t := &txn{plugin: plugin, dir: filepath.Join(plugin, "var", txnDir)}
	data, err := os.ReadFile(filepath.Join(t.dir, journalName))
	if errors.Is(err, fs.ErrNotExist) {
		// Nothing was moved if the journal was never written.
		return "", os.RemoveAll(t.dir)
	}
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(data, &t.j); err != nil {
		return "", fmt.Errorf("%s: %w", filepath.Join(t.dir, journalName), err)
	}
	if t.j.State == "committed" {
		t.finish()
		return "completed an interrupted package change", nil
	}
	if err := t.rollback(); err != nil {
		return "", fmt.Errorf("undoing an interrupted package change: %w", err)
	}
	return "undid an interrupted package change", nil
}

func writeSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
