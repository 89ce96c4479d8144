package install

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/phoneprovd/phoneprovd/firmware/archive"
	"github.com/phoneprovd/phoneprovd/firmware/pkgsdb"
)

// node is a directory of the build, open as a root: every read and write
// of a command stays inside.
type node struct {
	name string // recipe node name, for messages
	dir  string
	root *os.Root
}

func openNode(name, dir string) (*node, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &node{name: name, dir: dir, root: r}, nil
}

// runner runs recipe commands.
type runner struct {
	ctx     context.Context
	archive archive.Options
	warn    func(string)
}

// run executes one step from in to out.
func (r *runner) run(st pkgsdb.Step, in, out *node) error {
	c := st.Command
	switch c.Name {
	case pkgsdb.CmdUnzip:
		return r.extract(archive.Zip, c.Args[0], in, out)
	case pkgsdb.CmdUntar:
		return r.extract(archive.Tar, c.Args[0], in, out)
	case pkgsdb.CmdUnrar:
		return r.extract(archive.Rar, c.Args[0], in, out)
	case pkgsdb.Cmd7z:
		return r.extract(archive.SevenZip, c.Args[0], in, out)
	case pkgsdb.CmdUnsign:
		return r.unsign(c.Args[0], c.Args[1], in, out)
	case pkgsdb.CmdCp:
		return r.cp(c.Args[:len(c.Args)-1], c.Args[len(c.Args)-1], in, out)
	case pkgsdb.CmdInclude:
		return r.filter(in, out, includeFilter(c.Args))
	case pkgsdb.CmdExclude:
		return r.filter(in, out, excludeFilter(c.Args))
	case pkgsdb.CmdNull:
		return nil
	}
	return fmt.Errorf("unknown command %q", c.Name)
}

// match globs the patterns in a node; matching nothing at all is an
// error that shows what the node holds (xivo-fetchfw fails only when
// every pattern matches nothing).
func (r *runner) match(patterns []string, in *node) ([]string, error) {
	var all []string
	for _, p := range patterns {
		m := glob(in.root.FS(), p)
		if len(m) == 0 && len(patterns) > 1 {
			r.warn(fmt.Sprintf("%q matches nothing in node %q", p, in.name))
		}
		all = append(all, m...)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s matched nothing in node %q, which holds %s", quoteAll(patterns), in.name, listing(in.root.FS()))
	}
	return all, nil
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, " ")
}

// listing shows the top of a directory for an error message.
func listing(fsys fs.FS) string {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil || len(entries) == 0 {
		return "nothing"
	}
	var names []string
	for i, e := range entries {
		if i == 8 {
			names = append(names, fmt.Sprintf("and %d more", len(entries)-8))
			break
		}
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}

func (r *runner) extract(kind archive.Kind, pattern string, in, out *node) error {
	files, err := r.match([]string{pattern}, in)
	if err != nil {
		return err
	}
	opt := r.archive
	opt.Warn = r.warn
	for _, f := range files {
		if fi, err := in.root.Stat(f); err != nil || !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: %q is not a file", kind, f)
		}
		if err := archive.Extract(r.ctx, kind, in.root, f, out.dir, opt); err != nil {
			return err
		}
	}
	return nil
}

// ciscoHeader is how far into a signed Cisco file the gzip data may start.
const ciscoHeader = 512

// unsign writes the gzip data found in the first 512 bytes of the one
// file matching pattern, up to its end, to dst.
func (r *runner) unsign(pattern, dst string, in, out *node) error {
	files, err := r.match([]string{pattern}, in)
	if err != nil {
		return err
	}
	if len(files) > 1 {
		return fmt.Errorf("unsign: %q matches %d files, it must match one", pattern, len(files))
	}
	f, err := in.root.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, ciscoHeader)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	i := bytes.Index(head[:n], []byte{0x1f, 0x8b})
	if i < 0 {
		return fmt.Errorf("unsign: no gzip data in the first %d bytes of %q: not a signed Cisco file", ciscoHeader, files[0])
	}
	return r.write(out, path.Clean(dst), 0o644, io.MultiReader(bytes.NewReader(head[i:n]), f))
}

// write creates a file in a node, parents included.
func (r *runner) write(n *node, name string, mode fs.FileMode, body io.Reader) error {
	if d := path.Dir(name); d != "." {
		if err := n.root.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	perm := fs.FileMode(0o644)
	if mode&0o111 != 0 {
		perm = 0o755
	}
	w, err := n.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, ctxReader{r.ctx, body}); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// ctxReader stops a copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// copyFile copies a regular file from one node to another.
func (r *runner) copyFile(in *node, src string, out *node, dst string) error {
	f, err := in.root.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%q is not a regular file", src)
	}
	return r.write(out, dst, fi.Mode(), f)
}

// copyTree copies a directory of one node into another; dst must not
// exist (shutil.copytree's rule).
func (r *runner) copyTree(in *node, src string, out *node, dst string) error {
	if _, err := out.root.Lstat(dst); err == nil {
		return fmt.Errorf("cp: %q already exists", dst)
	}
	return fs.WalkDir(in.root.FS(), src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := path.Join(dst, strings.TrimPrefix(p, src))
		switch {
		case d.IsDir():
			return out.root.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			return r.copyFile(in, p, out, target)
		}
		return nil
	})
}

// cp copies what the sources match to dst: into the directory dst when it
// ends with "/" (directories copied whole), else to the file dst, which
// then takes exactly one match.
func (r *runner) cp(srcs []string, dst string, in, out *node) error {
	toDir := strings.HasSuffix(dst, "/")
	target := path.Clean(dst)
	if fi, err := out.root.Stat(target); err == nil {
		if fi.IsDir() != toDir {
			if toDir {
				return fmt.Errorf("cp: %q exists and is a file, not a directory", dst)
			}
			return fmt.Errorf("cp: %q exists and is a directory, not a file", dst)
		}
	} else {
		parent := path.Dir(target)
		if toDir {
			parent = target
		}
		if parent != "." {
			if err := out.root.MkdirAll(parent, 0o755); err != nil {
				return err
			}
		}
	}
	matches, err := r.match(srcs, in)
	if err != nil {
		return fmt.Errorf("cp: %w", err)
	}
	if !toDir {
		if len(matches) > 1 {
			return fmt.Errorf("cp: %s matches %d files; to copy several, end %q with \"/\"", quoteAll(srcs), len(matches), dst)
		}
		return r.copyFile(in, matches[0], out, target)
	}
	for _, m := range matches {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		fi, err := in.root.Stat(m)
		if err != nil {
			return err
		}
		d := path.Join(target, path.Base(m))
		if fi.IsDir() {
			err = r.copyTree(in, m, out, d)
		} else {
			err = r.copyFile(in, m, out, d)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// keep decides for one entry of a filter; isDir says whether it is a
// directory. Returning true copies it (and, for a directory, visits it).
type keep func(rel string, isDir bool) bool

// excludeFilter keeps what matches none of the patterns.
func excludeFilter(pats []string) keep {
	return func(rel string, _ bool) bool {
		for _, p := range pats {
			if fnmatch(rel, p) {
				return false
			}
		}
		return true
	}
}

// includeFilter keeps what matches a pattern, and everything under a kept
// directory.
func includeFilter(pats []string) keep {
	included := map[string]bool{}
	return func(rel string, isDir bool) bool {
		if included[path.Dir(rel)] {
			if isDir {
				included[rel] = true
			}
			return true
		}
		for _, p := range pats {
			if fnmatch(rel, p) {
				if isDir {
					included[rel] = true
				}
				return true
			}
		}
		return false
	}
}

// filter copies the entries of in that keep accepts, as xivo-fetchfw's
// IncludeExcludeFilter does: depth first, a directory not kept is not
// visited.
func (r *runner) filter(in, out *node, k keep) error {
	stack := []string{"."}
	for len(stack) > 0 {
		dir := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		entries, err := fs.ReadDir(in.root.FS(), dir)
		if err != nil {
			return err
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		for _, e := range entries {
			if err := r.ctx.Err(); err != nil {
				return err
			}
			rel := path.Join(dir, e.Name())
			if !k(rel, e.IsDir()) {
				continue
			}
			switch {
			case e.IsDir():
				if err := out.root.MkdirAll(rel, 0o755); err != nil {
					return err
				}
				stack = append(stack, rel)
			case e.Type().IsRegular():
				if err := r.copyFile(in, rel, out, rel); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
