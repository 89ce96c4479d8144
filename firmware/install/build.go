package install

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/phoneprovd/phoneprovd/firmware/pkgsdb"
)

// build is one package's recipe run in a temporary directory of the
// plugin: node "a" holds the package's files, each other node its own
// directory, and the leaves share "result", whose tree is what the
// package installs.
type build struct {
	dir    string // the temporary directory
	result string // dir/result
}

// runRecipe runs p's recipe with its files (cache paths by file ID) in a
// new directory under parent. On error the directory is removed.
func runRecipe(ctx context.Context, r *runner, parent string, p *pkgsdb.Package, files map[string]string) (b *build, err error) {
	dir, err := os.MkdirTemp(parent, buildPrefix)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	b = &build{dir: dir, result: filepath.Join(dir, "result")}
	if err := os.Mkdir(b.result, 0o755); err != nil {
		return nil, err
	}
	nodes := map[string]*node{}
	defer func() {
		for _, n := range nodes {
			n.root.Close()
		}
	}()
	src, err := openNode(pkgsdb.SourceNode, filepath.Join(dir, "node-a"))
	if err != nil {
		return nil, err
	}
	nodes[pkgsdb.SourceNode] = src
	for _, f := range p.Files {
		if err := linkOrCopy(files[f.ID], filepath.Join(src.dir, f.Filename)); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Filename, err)
		}
	}
	for i, st := range p.Steps() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out := filepath.Join(dir, "node-"+strconv.Itoa(i+1))
		if st.Leaf {
			out = b.result
		}
		dst, err := openNode(st.Dst, out)
		if err != nil {
			return nil, err
		}
		nodes[st.Dst] = dst
		if err := r.run(st, nodes[st.Src], dst); err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %s: %w", st.Pos, st, err)
		}
	}
	return b, nil
}

// linkOrCopy puts a cached file into node "a": a hard link when the cache
// is on the same file system (commands never write into their input),
// else a copy.
func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// resultPaths lists a build's result as xivo-fetchfw records installed
// paths: relative, "/"-separated, directories ending in "/".
func resultPaths(result string) (files, dirs []string, err error) {
	err = filepath.WalkDir(result, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == result {
			return err
		}
		rel, err := filepath.Rel(result, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			dirs = append(dirs, rel+"/")
		case d.Type().IsRegular():
			files = append(files, rel)
		default:
			return fmt.Errorf("%s: unexpected %s in a build result", rel, d.Type())
		}
		return nil
	})
	return files, dirs, err
}
