// Package archive extracts the archives firmware packages and plugins come
// in — tar (plain, gzip, bzip2, xz), zip, rar and 7z — without ever
// writing outside the destination directory.
//
// A member with an absolute name or a ".." element, a link leading out of
// the archive, a device, a FIFO or a socket is refused with an error that
// names the archive and the member. Symbolic and hard links that stay
// inside are not recreated as links: the file (or directory) they point
// to is copied in their place, so nothing extracted can later make a read
// or a write leave the tree. Every write goes through an os.Root, which
// refuses to follow a path out of the destination even if a check here
// were wrong.
package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// Options tune an extraction.
type Options struct {
	// Flatten drops the directories of member names, as "unrar e" and
	// "7zr e" do: every file lands at the top, a later one of the same
	// name replacing an earlier one.
	Flatten bool
	// MaxBytes bounds the bytes written (default 16 GiB); MaxFiles the
	// number of members (default 200000). An archive beyond is refused.
	MaxBytes int64
	MaxFiles int
	// Warn receives notes about members skipped without harm (a dangling
	// link); nil discards them.
	Warn func(msg string)
}

const (
	defaultMaxBytes = 16 << 30
	defaultMaxFiles = 200000
	maxLinkHops     = 40
)

type kind int

const (
	kindFile kind = iota
	kindDir
	kindSymlink
	kindHardlink // a link to an earlier member (tar, rar)
	kindOther    // device, FIFO, socket, anything else
)

// member is one entry of an archive, in a format-neutral form.
type member struct {
	name     string
	kind     kind
	link     string      // symlink target, or hard-link member name
	mode     fs.FileMode // permission bits
	typeName string      // for kindOther: what it is
}

// pendingLink is a symbolic link to materialize once every file is out.
type pendingLink struct {
	name   string // clean archive name
	target string // clean archive path it points to
	out    string // where to write, relative to the destination
}

// extractor writes members into a destination root.
type extractor struct {
	ctx     context.Context
	archive string // for messages
	root    *os.Root
	opt     Options
	written int64
	count   int
	files   map[string]string // clean archive name of a file -> output path
	dirs    map[string]bool   // clean archive names of directories
	links   map[string]*pendingLink
	order   []*pendingLink
}

func newExtractor(ctx context.Context, archive string, root *os.Root, opt Options) *extractor {
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = defaultMaxBytes
	}
	if opt.MaxFiles <= 0 {
		opt.MaxFiles = defaultMaxFiles
	}
	return &extractor{ctx: ctx, archive: archive, root: root, opt: opt,
		files: make(map[string]string), dirs: make(map[string]bool), links: make(map[string]*pendingLink)}
}

// Error is an extraction error naming the archive and, when there is one,
// the member.
type Error struct {
	Archive string
	Member  string
	Err     error
}

func (e *Error) Error() string {
	if e.Member == "" {
		return fmt.Sprintf("%s: %v", e.Archive, e.Err)
	}
	return fmt.Sprintf("%s: member %q: %v", e.Archive, e.Member, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrUnsafe is wrapped by every refusal of a member for safety.
var ErrUnsafe = errors.New("refused")

func (x *extractor) fail(name string, err error) error {
	return &Error{Archive: x.archive, Member: name, Err: err}
}

func unsafef(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrUnsafe)
}

// cleanName checks a member name and returns it cleaned, "" for the
// archive's top directory itself.
func cleanName(name string) (string, error) {
	switch {
	case strings.ContainsRune(name, 0):
		return "", unsafef("the name contains a NUL byte")
	case strings.HasPrefix(name, "/"):
		return "", unsafef("absolute path")
	}
	for _, e := range strings.Split(name, "/") {
		if e == ".." {
			return "", unsafef("the path climbs out with \"..\"")
		}
	}
	c := path.Clean(name)
	if c == "." {
		return "", nil
	}
	return c, nil
}

// outName is where a member goes in the destination.
func (x *extractor) outName(clean string) string {
	if x.opt.Flatten {
		return path.Base(clean)
	}
	return clean
}

// add extracts one member; body is its content for a file.
func (x *extractor) add(m member, body io.Reader) error {
	if err := x.ctx.Err(); err != nil {
		return err
	}
	if x.count++; x.count > x.opt.MaxFiles {
		return x.fail("", unsafef("more than %d members", x.opt.MaxFiles))
	}
	name, err := cleanName(m.name)
	if err != nil {
		return x.fail(m.name, err)
	}
	if name == "" {
		if m.kind == kindDir {
			return nil
		}
		return x.fail(m.name, unsafef("a %s without a name", kindString(m)))
	}
	switch m.kind {
	case kindDir:
		x.dirs[name] = true
		if x.opt.Flatten {
			return nil
		}
		if err := x.root.MkdirAll(name, 0o755); err != nil {
			return x.fail(m.name, err)
		}
		return nil
	case kindFile:
		out := x.outName(name)
		if err := x.writeFile(out, m.mode, body); err != nil {
			return x.fail(m.name, err)
		}
		x.files[name] = out
		return nil
	case kindHardlink:
		target, err := cleanName(m.link)
		if err != nil || target == "" {
			return x.fail(m.name, unsafef("hard link to %q leads outside the archive", m.link))
		}
		src, ok := x.files[target]
		if !ok {
			return x.fail(m.name, fmt.Errorf("hard link to %q, which is not an earlier file of the archive", m.link))
		}
		out := x.outName(name)
		if err := x.copyFile(src, out); err != nil {
			return x.fail(m.name, err)
		}
		x.files[name] = out
		return nil
	case kindSymlink:
		target, err := linkTarget(name, m.link)
		if err != nil {
			return x.fail(m.name, err)
		}
		l := &pendingLink{name: name, target: target, out: x.outName(name)}
		x.links[name] = l
		x.order = append(x.order, l)
		return nil
	default:
		return x.fail(m.name, unsafef("%s", kindString(m)))
	}
}

func kindString(m member) string {
	switch m.kind {
	case kindFile:
		return "file"
	case kindDir:
		return "directory"
	case kindSymlink:
		return "symbolic link"
	case kindHardlink:
		return "hard link"
	}
	if m.typeName != "" {
		return m.typeName
	}
	return "special file"
}

// linkTarget resolves a symbolic link's target relative to the link's
// directory and refuses one that leaves the archive.
func linkTarget(name, link string) (string, error) {
	switch {
	case link == "":
		return "", fmt.Errorf("symbolic link with an empty target")
	case strings.HasPrefix(link, "/"):
		return "", unsafef("symbolic link to %q points outside the archive (absolute)", link)
	case strings.ContainsRune(link, 0):
		return "", unsafef("symbolic link target contains a NUL byte")
	}
	t := path.Join(path.Dir(name), link)
	if t == ".." || strings.HasPrefix(t, "../") {
		return "", unsafef("symbolic link to %q leads outside the archive", link)
	}
	return t, nil
}

// writeFile creates out (and its parents) with the body.
func (x *extractor) writeFile(out string, mode fs.FileMode, body io.Reader) error {
	if dir := path.Dir(out); dir != "." {
		if err := x.root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	perm := fs.FileMode(0o644)
	if mode&0o111 != 0 {
		perm = 0o755
	}
	if fi, err := x.root.Lstat(out); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("%s already exists and is not a file", out)
	}
	f, err := x.root.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, &budgetReader{x: x, r: body}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// copyFile copies an extracted file to another place in the destination.
func (x *extractor) copyFile(src, out string) error {
	in, err := x.root.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	return x.writeFile(out, fi.Mode(), in)
}

// budgetReader counts bytes against MaxBytes and notices cancellation.
type budgetReader struct {
	x *extractor
	r io.Reader
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if err := b.x.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := b.r.Read(p)
	b.x.written += int64(n)
	if b.x.written > b.x.opt.MaxBytes {
		return n, unsafef("the archive expands beyond %d bytes", b.x.opt.MaxBytes)
	}
	return n, err
}

// resolve follows symbolic links through every element of an archive
// path.
func (x *extractor) resolve(p string, hops int) (string, bool) {
	elems := strings.Split(p, "/")
	for i := range elems {
		prefix := strings.Join(elems[:i+1], "/")
		if l, ok := x.links[prefix]; ok {
			if hops >= maxLinkHops {
				return "", false
			}
			return x.resolve(path.Join(append([]string{l.target}, elems[i+1:]...)...), hops+1)
		}
	}
	return p, true
}

// finish puts a copy of its target in place of each symbolic link: links
// to files first, then links to directories (which copy the tree as
// extracted, file links included).
func (x *extractor) finish() error {
	var dirLinks []*pendingLink
	for _, l := range x.order {
		if err := x.ctx.Err(); err != nil {
			return err
		}
		t, ok := x.resolve(l.target, 0)
		switch {
		case !ok:
			x.warn(fmt.Sprintf("%s: symbolic link %q: too many levels of links; skipped", x.archive, l.name))
		case x.files[t] != "":
			if err := x.copyFile(x.files[t], l.out); err != nil {
				return x.fail(l.name, err)
			}
			x.files[l.name] = l.out
		case (x.dirs[t] || t == ".") && !x.opt.Flatten:
			if t == "." || t == l.name || strings.HasPrefix(l.name+"/", t+"/") {
				return x.fail(l.name, unsafef("symbolic link to its own parent directory %q", t))
			}
			dirLinks = append(dirLinks, &pendingLink{name: l.name, target: t, out: l.out})
		default:
			x.warn(fmt.Sprintf("%s: symbolic link %q points to %q, which is not in the archive; skipped", x.archive, l.name, l.target))
		}
	}
	for _, l := range dirLinks {
		if err := x.copyTree(l.target, l.out); err != nil {
			return x.fail(l.name, err)
		}
	}
	return nil
}

// copyTree copies the regular files and directories under src to out.
func (x *extractor) copyTree(src, out string) error {
	return fs.WalkDir(x.root.FS(), src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// Copies count as members: links to directories holding links to
		// directories would otherwise multiply the tree.
		if x.count++; x.count > x.opt.MaxFiles {
			return unsafef("more than %d files and directories once links are copied", x.opt.MaxFiles)
		}
		dst := path.Join(out, strings.TrimPrefix(p, src))
		switch {
		case d.IsDir():
			return x.root.MkdirAll(dst, 0o755)
		case d.Type().IsRegular():
			return x.copyFile(p, dst)
		}
		return nil
	})
}

func (x *extractor) warn(msg string) {
	if x.opt.Warn != nil {
		x.opt.Warn(msg)
	}
}

// openRoot opens the destination directory, creating it if needed.
func openRoot(dir string) (*os.Root, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return os.OpenRoot(dir)
}
