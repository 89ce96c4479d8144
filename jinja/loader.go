package jinja

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Loader finds template sources by name. Load returns the source and the
// file name to use in error messages; a template that does not exist is
// an error wrapping fs.ErrNotExist.
type Loader interface {
	Load(name string) (src string, file string, err error)
}

// DirLoader loads templates from directories searched in order (provd:
// the plugin's var/templates, then templates). It refuses absolute names,
// ".." components and symbolic links that lead outside its directory.
func DirLoader(dirs ...string) Loader {
	return &dirLoader{dirs: append([]string(nil), dirs...)}
}

type dirLoader struct{ dirs []string }

// maxSourceSize bounds a template file.
const maxSourceSize = 16 << 20

// cleanName splits a template name into its path like Jinja2's
// split_template_path, refusing names that could leave the directory.
func cleanName(name string) (string, error) {
	if name == "" || strings.HasPrefix(name, "/") || strings.ContainsRune(name, 0) || strings.ContainsRune(name, '\\') {
		return "", fmt.Errorf("template %q: refused name: %w", name, fs.ErrNotExist)
	}
	var parts []string
	for _, p := range strings.Split(name, "/") {
		switch p {
		case "..":
			return "", fmt.Errorf("template %q: refused name: %w", name, fs.ErrNotExist)
		case "", ".":
		default:
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "", fmt.Errorf("template %q: refused name: %w", name, fs.ErrNotExist)
	}
	return strings.Join(parts, "/"), nil
}

func (l *dirLoader) Load(name string) (string, string, error) {
	rel, err := cleanName(name)
	if err != nil {
		return "", "", err
	}
	for _, dir := range l.dirs {
		src, err := readInRoot(dir, rel)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		file := filepath.Join(dir, filepath.FromSlash(rel))
		if err != nil {
			return "", "", fmt.Errorf("template %s: %w", file, err)
		}
		return src, file, nil
	}
	return "", "", fmt.Errorf("template %q not found: %w", name, fs.ErrNotExist)
}

// readInRoot reads rel inside dir. Symbolic links are followed only while
// they stay inside dir.
func readInRoot(dir, rel string) (string, error) {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	path, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return "", err
	}
	if r, err := filepath.Rel(root, path); err != nil || r == ".." || strings.HasPrefix(r, "../") || filepath.IsAbs(r) {
		return "", errors.New("refused: a symbolic link leads outside the template directory")
	}
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fs.ErrNotExist
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSourceSize+1))
	if err != nil {
		return "", err
	}
	if len(data) > maxSourceSize {
		return "", fmt.Errorf("larger than %d bytes", maxSourceSize)
	}
	return string(data), nil
}

// MapLoader serves templates from memory, keyed by name.
func MapLoader(m map[string]string) Loader { return mapLoader(m) }

type mapLoader map[string]string

func (m mapLoader) Load(name string) (string, string, error) {
	src, ok := m[name]
	if !ok {
		return "", "", fmt.Errorf("template %q not found: %w", name, fs.ErrNotExist)
	}
	return src, name, nil
}
