package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// format builds an archive of one kind from entries.
type format struct {
	name    string
	kind    Kind
	flat    bool // the extractor flattens paths
	hard    bool // the format has hard links
	special bool // the format can carry a FIFO
	build   func(t *testing.T, e ...entry) []byte
}

func formats() []format {
	return []format{
		{"tar", Tar, false, true, true, makeTar},
		{"tar.gz", Tar, false, true, true, func(t *testing.T, e ...entry) []byte { return gz(makeTar(t, e...)) }},
		{"tar.bz2", Tar, false, true, true, func(t *testing.T, e ...entry) []byte { return pyCompress(t, "bz2", makeTar(t, e...)) }},
		{"tar.xz", Tar, false, true, true, func(t *testing.T, e ...entry) []byte { return pyCompress(t, "lzma", makeTar(t, e...)) }},
		{"zip", Zip, false, false, true, makeZip},
		{"rar", Rar, true, true, true, makeRar},
		{"7z", SevenZip, true, false, true, make7z},
	}
}

// extract writes data as src/archive in a temporary directory and
// extracts it into out beside it; it returns that directory.
func extract(t *testing.T, f format, data []byte, opt Options) (string, error) {
	t.Helper()
	base := t.TempDir()
	src := filepath.Join(base, "src")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "archive."+f.name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(src)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	return base, Extract(context.Background(), f.kind, root, "archive."+f.name, filepath.Join(base, "out"), opt)
}

// tree lists the files under dir as "path=content" and directories as
// "path/", sorted.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.IsDir():
			out = append(out, rel+"/")
		case d.Type().IsRegular():
			b, _ := os.ReadFile(p)
			out = append(out, rel+"="+string(b))
		default:
			out = append(out, rel+" ("+d.Type().String()+")")
		}
		return nil
	})
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestExtractGood(t *testing.T) {
	entries := []entry{
		dir("fw/"), file("fw/a.txt", "A"), dir("fw/sub/"), file("fw/sub/b.rom", "BB"),
		file("top.txt", "T"), symlink("fw/latest.rom", "sub/b.rom"), file("./dot/c", "C"),
	}
	for _, f := range formats() {
		t.Run(f.name, func(t *testing.T) {
			base, err := extract(t, f, f.build(t, entries...), Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := "dot/ dot/c=C fw/ fw/a.txt=A fw/latest.rom=BB fw/sub/ fw/sub/b.rom=BB top.txt=T"
			if f.flat {
				want = "a.txt=A b.rom=BB c=C latest.rom=BB top.txt=T"
			}
			if got := tree(t, filepath.Join(base, "out")); got != want {
				t.Errorf("extracted\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestExtractRefusesUnsafe checks each kind of dangerous member in each
// format: a clear error naming the member, and nothing outside the
// destination.
func TestExtractRefusesUnsafe(t *testing.T) {
	cases := []struct {
		name  string
		entry entry
		want  string
		need  func(format) bool
	}{
		{"dot-dot", file("../evil", "x"), `member "../evil": the path climbs out with ".."`, nil},
		{"dot-dot inside", file("a/../../evil", "x"), `member "a/../../evil": the path climbs out`, nil},
		{"absolute", file("/tmp/evil", "x"), `member "/tmp/evil": absolute path`, nil},
		{"symlink out", symlink("lnk", "../../outside"), `member "lnk": symbolic link to "../../outside" leads outside the archive`, nil},
		{"symlink out from a subdirectory", symlink("a/b/lnk", "../../../x"), `symbolic link to "../../../x" leads outside`, nil},
		{"absolute symlink", symlink("lnk", "/etc/passwd"), `member "lnk": symbolic link to "/etc/passwd" points outside the archive (absolute)`, nil},
		{"fifo", entry{name: "pipe", kind: kindOther, mode: fs.ModeNamedPipe}, `member "pipe": FIFO: refused`, func(f format) bool { return f.special }},
		{"device", entry{name: "dev", kind: kindOther, mode: fs.ModeDevice | fs.ModeCharDevice}, `member "dev": character device: refused`, func(f format) bool { return f.kind == Tar || f.kind == Zip }},
		{"hard link out", entry{name: "h", kind: kindHardlink, link: "../x"}, `member "h": hard link to "../x" leads outside the archive`, func(f format) bool { return f.hard }},
	}
	for _, f := range formats() {
		for _, c := range cases {
			if c.need != nil && !c.need(f) {
				continue
			}
			t.Run(f.name+"/"+c.name, func(t *testing.T) {
				base, err := extract(t, f, f.build(t, file("ok.txt", "ok"), c.entry), Options{})
				if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("err = %v\nwant ...%s", err, c.want)
				}
				if !strings.HasPrefix(err.Error(), "archive."+f.name+": ") {
					t.Errorf("error does not name the archive: %v", err)
				}
				entries, _ := os.ReadDir(base)
				if len(entries) != 2 {
					t.Errorf("something was written beside the destination: %v", entries)
				}
				if _, err := os.Stat("/tmp/evil"); err == nil {
					t.Error("/tmp/evil exists")
				}
			})
		}
	}
}

func TestExtractHardLinkInside(t *testing.T) {
	for _, f := range formats() {
		if !f.hard {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			base, err := extract(t, f, f.build(t, file("d/a", "data"), entry{name: "d/b", kind: kindHardlink, link: "d/a"}), Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := "d/ d/a=data d/b=data"
			if f.flat {
				want = "a=data b=data"
			}
			if got := tree(t, filepath.Join(base, "out")); got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}

func TestExtractSymlinkToDirectoryAndThrough(t *testing.T) {
	for _, f := range formats() {
		if f.flat {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			base, err := extract(t, f, f.build(t,
				dir("real/"), file("real/x.bin", "X"),
				symlink("alias", "real"),             // a link to a directory
				symlink("via.bin", "alias/x.bin"),    // a link through a linked directory
				symlink("chain", "via.bin"),          // a link to a link
				symlink("gone", "missing/file.bin")), // dangling: skipped
				Options{Warn: func(string) {}})
			if err != nil {
				t.Fatal(err)
			}
			want := "alias/ alias/x.bin=X chain=X real/ real/x.bin=X via.bin=X"
			if got := tree(t, filepath.Join(base, "out")); got != want {
				t.Errorf("got %s\nwant %s", got, want)
			}
		})
	}
}

func TestExtractWarnsDanglingAndLoops(t *testing.T) {
	var warnings []string
	f := formats()[0]
	_, err := extract(t, f, makeTar(t, symlink("a", "b"), symlink("b", "a"), symlink("c", "nothing")),
		Options{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(warnings, "\n")
	if !strings.Contains(got, `symbolic link "a": too many levels of links; skipped`) || !strings.Contains(got, `symbolic link "c" points to "nothing", which is not in the archive; skipped`) {
		t.Errorf("warnings:\n%s", got)
	}
	_, err = extract(t, f, makeTar(t, dir("d/"), symlink("d/self", "..")), Options{})
	if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), "symbolic link to its own parent directory") {
		t.Errorf("self-including link: %v", err)
	}
}

func TestExtractLimits(t *testing.T) {
	f := formats()[0]
	_, err := extract(t, f, makeTar(t, file("big", strings.Repeat("x", 1000))), Options{MaxBytes: 999})
	if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), `member "big": the archive expands beyond 999 bytes`) {
		t.Errorf("MaxBytes: %v", err)
	}
	_, err = extract(t, f, makeTar(t, file("a", ""), file("b", ""), file("c", "")), Options{MaxFiles: 2})
	if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), "more than 2 members") {
		t.Errorf("MaxFiles: %v", err)
	}
}

func TestExtractLinkedDirectoriesCannotMultiply(t *testing.T) {
	// Each link to a directory copies a tree that holds the copies made
	// for the links before it: without a bound, 2^n directories.
	entries := []entry{dir("d0/")}
	for i := 1; i <= 20; i++ {
		entries = append(entries, dir(fmt.Sprintf("d%d/", i)), symlink(fmt.Sprintf("d%d/a", i), fmt.Sprintf("../d%d", i-1)), symlink(fmt.Sprintf("d%d/b", i), fmt.Sprintf("../d%d", i-1)))
	}
	_, err := extract(t, formats()[0], makeTar(t, entries...), Options{MaxFiles: 1000})
	if !errors.Is(err, ErrUnsafe) || !strings.Contains(err.Error(), "more than 1000 files and directories once links are copied") {
		t.Errorf("err = %v", err)
	}
}

func TestExtractCancelled(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.tar")
	os.WriteFile(src, makeTar(t, file("a", "x"), file("b", "y")), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fh, _ := os.Open(src)
	defer fh.Close()
	if err := Untar(ctx, fh, "a.tar", filepath.Join(dir, "out"), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestExtractNotAnArchive(t *testing.T) {
	for _, f := range formats() {
		if f.name == "tar.bz2" || f.name == "tar.xz" {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			_, err := extract(t, f, bytes.Repeat([]byte("garbage!"), 100), Options{})
			if err == nil || !strings.HasPrefix(err.Error(), "archive."+f.name+": not a") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestExtractLaterFileReplacesEarlier(t *testing.T) {
	// Flattening puts two "fw.rom" at the top: the later wins, as with
	// unrar e -y.
	for _, f := range formats() {
		if !f.flat {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			base, err := extract(t, f, f.build(t, file("a/fw.rom", "old"), file("b/fw.rom", "new")), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := tree(t, filepath.Join(base, "out")); got != "fw.rom=new" {
				t.Errorf("got %s", got)
			}
		})
	}
}
