package archive

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/bodgit/sevenzip"
	"github.com/nwaples/rardecode/v2"
	"github.com/ulikunitz/xz"
)

// maxLinkLen bounds a link target stored as a member's content.
const maxLinkLen = 4096

// Untar extracts a tar archive, plain or compressed with gzip, bzip2 or
// xz (recognised by their magic numbers, as Python's tarfile does), from
// the file src into the directory dst. name is used in messages.
func Untar(ctx context.Context, src *os.File, name, dst string, opt Options) error {
	root, err := openRoot(dst)
	if err != nil {
		return err
	}
	defer root.Close()
	x := newExtractor(ctx, name, root, opt)
	r, err := decompress(src)
	if err != nil {
		return x.fail("", err)
	}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return x.fail("", fmt.Errorf("not a valid tar archive: %w", err))
		}
		m := member{name: h.Name, mode: fs.FileMode(h.Mode).Perm(), link: h.Linkname}
		switch h.Typeflag {
		case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse, tar.TypeCont:
			m.kind = kindFile
		case tar.TypeDir:
			m.kind = kindDir
		case tar.TypeSymlink:
			m.kind = kindSymlink
		case tar.TypeLink:
			m.kind = kindHardlink
		case tar.TypeXGlobalHeader:
			continue
		case tar.TypeChar:
			m.kind, m.typeName = kindOther, "character device"
		case tar.TypeBlock:
			m.kind, m.typeName = kindOther, "block device"
		case tar.TypeFifo:
			m.kind, m.typeName = kindOther, "FIFO"
		default:
			m.kind, m.typeName = kindOther, fmt.Sprintf("tar entry of type %q", h.Typeflag)
		}
		if err := x.add(m, tr); err != nil {
			return err
		}
	}
	return x.finish()
}

// decompress recognises gzip, bzip2 and xz by their first bytes.
func decompress(f io.Reader) (io.Reader, error) {
	br := bufio.NewReader(f)
	magic, _ := br.Peek(6)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		return gzip.NewReader(br)
	case bytes.HasPrefix(magic, []byte("BZh")):
		return bzip2.NewReader(br), nil
	case bytes.HasPrefix(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return xz.NewReader(br)
	}
	return br, nil
}

// Unzip extracts a zip archive from src into dst.
func Unzip(ctx context.Context, src *os.File, name, dst string, opt Options) error {
	fi, err := src.Stat()
	if err != nil {
		return err
	}
	root, err := openRoot(dst)
	if err != nil {
		return err
	}
	defer root.Close()
	x := newExtractor(ctx, name, root, opt)
	zr, err := zip.NewReader(src, fi.Size())
	// ErrInsecurePath still gives a reader: each member is judged below,
	// with a message naming it.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return x.fail("", fmt.Errorf("not a valid zip archive: %w", err))
	}
	for _, f := range zr.File {
		mode := f.Mode()
		m := member{name: f.Name, mode: mode.Perm()}
		switch {
		case f.Flags&0x1 != 0:
			return x.fail(f.Name, errors.New("encrypted; phoneprovd cannot extract it"))
		case mode&fs.ModeSymlink != 0:
			m.kind = kindSymlink
		case mode.IsDir() || strings.HasSuffix(f.Name, "/"):
			m.kind = kindDir
		case mode.IsRegular():
			m.kind = kindFile
		default:
			m.kind, m.typeName = kindOther, typeOf(mode)
		}
		if err := x.addOpened(m, f.Open); err != nil {
			return err
		}
	}
	return x.finish()
}

// addOpened adds a member whose content is opened on demand; a link's
// target is its content.
func (x *extractor) addOpened(m member, open func() (io.ReadCloser, error)) error {
	if m.kind != kindFile && m.kind != kindSymlink {
		return x.add(m, nil)
	}
	rc, err := open()
	if err != nil {
		return x.fail(m.name, err)
	}
	defer rc.Close()
	if m.kind == kindSymlink && m.link == "" {
		b, err := io.ReadAll(io.LimitReader(rc, maxLinkLen+1))
		if err != nil {
			return x.fail(m.name, err)
		}
		if len(b) > maxLinkLen {
			return x.fail(m.name, fmt.Errorf("symbolic link target longer than %d bytes", maxLinkLen))
		}
		m.link = string(b)
	}
	return x.add(m, rc)
}

// typeOf names a special file mode.
func typeOf(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeCharDevice != 0:
		return "character device"
	case mode&fs.ModeDevice != 0:
		return "block device"
	case mode&fs.ModeNamedPipe != 0:
		return "FIFO"
	case mode&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}

// Unrar extracts a rar archive (multi-volume archives' other parts are
// looked for beside it) with the pure-Go decoder rardecode. srcDir is the
// directory holding the archive and rel its name there. Like "unrar e",
// it is normally used with Options.Flatten.
func Unrar(ctx context.Context, srcDir *os.Root, rel, name, dst string, opt Options) error {
	root, err := openRoot(dst)
	if err != nil {
		return err
	}
	defer root.Close()
	x := newExtractor(ctx, name, root, opt)
	rr, err := rardecode.OpenReader(rel, rardecode.FileSystem(srcDir.FS()), rardecode.MaxDictionarySize(1<<30))
	if err != nil {
		return x.fail("", fmt.Errorf("not a readable rar archive: %w", err))
	}
	defer rr.Close()
	for {
		h, err := rr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return x.fail("", fmt.Errorf("not a readable rar archive: %w", err))
		}
		m := member{name: h.Name, mode: h.Mode().Perm()}
		switch {
		case h.Encrypted:
			return x.fail(h.Name, errors.New("encrypted; phoneprovd cannot extract it"))
		case h.IsDir:
			m.kind = kindDir
		case h.LinkType == rardecode.LinkTypeUnixSymlink || h.LinkType == rardecode.LinkTypeWindowsSymlink || h.LinkType == rardecode.LinkTypeWindowsJunction:
			m.kind, m.link = kindSymlink, strings.ReplaceAll(h.LinkTarget, `\`, "/")
			if m.link == "" {
				return x.fail(h.Name, errors.New("symbolic link without a target"))
			}
		case h.LinkType == rardecode.LinkTypeHardLink || h.LinkType == rardecode.LinkTypeFileCopy:
			m.kind, m.link = kindHardlink, strings.ReplaceAll(h.LinkTarget, `\`, "/")
		case h.Mode()&fs.ModeSymlink != 0:
			m.kind = kindSymlink // RAR 4: the target is the content
		case h.HostOS == rardecode.HostOSUnix && h.Attributes&0xf000 != 0 && h.Attributes&0xf000 != 0x8000:
			m.kind, m.typeName = kindOther, unixType(h.Attributes)
		default:
			m.kind = kindFile
		}
		if err := x.addOpened(m, func() (io.ReadCloser, error) { return io.NopCloser(rr), nil }); err != nil {
			return err
		}
	}
	return x.finish()
}

// unixType names the file type bits of a Unix mode.
func unixType(mode int64) string {
	switch mode & 0xf000 {
	case 0x1000:
		return "FIFO"
	case 0x2000:
		return "character device"
	case 0x6000:
		return "block device"
	case 0xc000:
		return "socket"
	}
	return fmt.Sprintf("special file (mode %o)", mode)
}

// Un7z extracts a 7z archive from src with the pure-Go reader sevenzip.
// Like "7zr e", it is normally used with Options.Flatten.
func Un7z(ctx context.Context, src *os.File, name, dst string, opt Options) error {
	fi, err := src.Stat()
	if err != nil {
		return err
	}
	root, err := openRoot(dst)
	if err != nil {
		return err
	}
	defer root.Close()
	x := newExtractor(ctx, name, root, opt)
	zr, err := sevenzip.NewReader(src, fi.Size())
	if err != nil {
		return x.fail("", fmt.Errorf("not a readable 7z archive: %w", err))
	}
	for _, f := range zr.File {
		mode := f.Mode()
		m := member{name: f.Name, mode: mode.Perm()}
		switch {
		case mode&fs.ModeSymlink != 0:
			m.kind = kindSymlink
		case mode.IsDir():
			m.kind = kindDir
		case mode.IsRegular():
			m.kind = kindFile
		default:
			m.kind, m.typeName = kindOther, typeOf(mode)
		}
		if err := x.addOpened(m, f.Open); err != nil {
			return err
		}
	}
	return x.finish()
}

// Kind says which extractor a recipe command uses.
type Kind string

// The archive kinds of pkgs.db commands.
const (
	Tar      Kind = "untar"
	Zip      Kind = "unzip"
	Rar      Kind = "unrar"
	SevenZip Kind = "7z"
)

// Extract runs the extractor of kind on the file rel of srcDir, into dst.
// rar and 7z archives are flattened, as xivo-fetchfw's "unrar e" and "7zr
// e" do; tar and zip keep their paths.
func Extract(ctx context.Context, kind Kind, srcDir *os.Root, rel, dst string, opt Options) error {
	name := rel
	if kind == Rar {
		opt.Flatten = true
		return Unrar(ctx, srcDir, rel, name, dst, opt)
	}
	f, err := srcDir.Open(rel)
	if err != nil {
		return err
	}
	defer f.Close()
	switch kind {
	case Tar:
		return Untar(ctx, f, name, dst, opt)
	case Zip:
		return Unzip(ctx, f, name, dst, opt)
	case SevenZip:
		opt.Flatten = true
		return Un7z(ctx, f, name, dst, opt)
	}
	return fmt.Errorf("unknown archive kind %q", kind)
}
