package repo

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/phoneprovd/phoneprovd/firmware/install"
)

// carryOver copies into the new plugin what an upgrade keeps from the old
// one's var/ directory, and returns how many files it kept:
//
//   - var/templates (the administrator's overrides), var/installed (the
//     firmware package records) and the files those records list under
//     var/tftpboot: the old ones win over anything the package ships;
//   - anything else under var/ the package does not ship (provd unpacks
//     over the old plugin, so it keeps them too), such as files the
//     daemon wrote.
//
// Names under var/ starting with "." (locks, transactions) are not kept.
// Files are hard-linked when possible: nothing of the old plugin changes.
func carryOver(oldDir, newDir string) (int, error) {
	recs, err := install.ReadRecords(oldDir)
	if err != nil {
		return 0, err
	}
	firmware := map[string]bool{}
	for _, r := range recs {
		for _, f := range r.Files {
			if !strings.HasSuffix(f, "/") {
				firmware[path.Join(install.TFTPBootDir, f)] = true
			}
		}
	}
	oldWins := func(rel string) bool {
		return firmware[rel] || under(rel, "var/templates") || under(rel, install.InstalledDir)
	}
	kept := 0
	oldVar := filepath.Join(oldDir, "var")
	err = filepath.WalkDir(oldVar, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == oldVar {
				return filepath.SkipAll
			}
			return err
		}
		rel, err := filepath.Rel(oldDir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if p != oldVar && strings.HasPrefix(d.Name(), ".") && path.Dir(rel) == "var" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		dst := filepath.Join(newDir, filepath.FromSlash(rel))
		ni, nerr := os.Lstat(dst)
		exists := nerr == nil
		switch {
		case d.IsDir():
			if exists && !ni.IsDir() {
				if oldWins(rel) {
					return fmt.Errorf("%s is a directory in the installed plugin but not in the new one", rel)
				}
				return filepath.SkipDir
			}
			return os.MkdirAll(dst, 0o755)
		case exists && !oldWins(rel):
			return nil // the package's own file wins
		case exists && ni.IsDir():
			return fmt.Errorf("%s is a file in the installed plugin but a directory in the new one", rel)
		case exists:
			if err := os.Remove(dst); err != nil {
				return err
			}
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		kept++
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		}
		if !d.Type().IsRegular() {
			kept--
			return nil
		}
		return linkOrCopy(p, dst)
	})
	return kept, err
}

// under reports whether rel is dir or inside it.
func under(rel, dir string) bool { return rel == dir || strings.HasPrefix(rel, dir+"/") }

func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
