package archive

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRandomTarsStayInside extracts archives made of random members —
// files, directories, links to random targets, ".." and absolute names —
// and checks that nothing appears outside the destination, that no link
// is created, and that every error names the archive. (A fuzz target did
// this first; it spends most of its time in the file system, too slow
// for the fuzz pass every "make test" runs, and found the bound on copies
// of linked directories.)
func TestRandomTarsStayInside(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	names := []string{"a", "b", "a/b", "a/b/c", "d", ".", "a/./b", "e/f/g"}
	unsafe := []string{"..", "../x", "/abs", "a/../.."}
	pick := func() string {
		if rng.Intn(20) == 0 {
			return unsafe[rng.Intn(len(unsafe))]
		}
		return names[rng.Intn(len(names))]
	}
	targets := []string{"a", "b", "..", "../..", "a/b", "/etc/passwd", ".", "d/..", "../../x", "c", "e/f"}
	refused := 0
	for i := 0; i < 300; i++ {
		var entries []entry
		for n := 1 + rng.Intn(10); n > 0; n-- {
			name := pick()
			switch rng.Intn(5) {
			case 0:
				entries = append(entries, dir(name+"/"))
			case 1, 2:
				entries = append(entries, file(name, fmt.Sprint(i)))
			case 3:
				entries = append(entries, symlink(name, targets[rng.Intn(len(targets))]))
			case 4:
				entries = append(entries, entry{name: name, kind: kindHardlink, link: pick()})
			}
		}
		base := t.TempDir()
		out := filepath.Join(base, "out")
		src := filepath.Join(base, "in.tar")
		if err := os.WriteFile(src, makeTar(t, entries...), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(src)
		if err != nil {
			t.Fatal(err)
		}
		err = Untar(context.Background(), f, "in.tar", out, Options{MaxBytes: 1 << 20, MaxFiles: 500, Warn: func(string) {}})
		f.Close()
		if err != nil {
			refused++
		}
		if err != nil && !strings.HasPrefix(err.Error(), "in.tar: ") {
			t.Fatalf("%v: error without the archive name: %v", entries, err)
		}
		if err != nil && !errors.Is(err, ErrUnsafe) && !strings.Contains(err.Error(), "hard link to") && !strings.Contains(err.Error(), "not a file") && !strings.Contains(err.Error(), "not a directory") && !strings.Contains(err.Error(), "file exists") {
			t.Logf("%v: %v", entries, err)
		}
		got, _ := os.ReadDir(base)
		for _, e := range got {
			if e.Name() != "out" && e.Name() != "in.tar" {
				t.Fatalf("%v: extraction wrote %s beside the destination", entries, e.Name())
			}
		}
		filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type()&os.ModeSymlink != 0 {
				t.Fatalf("%v: extraction created a symbolic link %s", entries, p)
			}
			return nil
		})
	}
	t.Logf("300 archives, %d refused", refused)
	if refused == 0 || refused == 300 {
		t.Error("the generator makes only good or only bad archives")
	}
}

// FuzzCleanName checks the member-name rule: what it accepts is relative
// and never climbs out.
func FuzzCleanName(f *testing.F) {
	for _, s := range []string{"a/b", "../a", "/a", "a/./b/", ".", "a/..", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		c, err := cleanName(name)
		if err != nil {
			return
		}
		if strings.HasPrefix(c, "/") || c == ".." || strings.HasPrefix(c, "../") || strings.Contains(c, "/../") || strings.ContainsRune(c, 0) {
			t.Fatalf("cleanName(%q) = %q", name, c)
		}
	})
}

// FuzzLinkTarget checks the link rule: an accepted target, resolved from
// the link's directory, stays inside the archive.
func FuzzLinkTarget(f *testing.F) {
	f.Add("a/b/l", "../c")
	f.Add("l", "..")
	f.Add("a/l", "/etc")
	f.Fuzz(func(t *testing.T, name, link string) {
		clean, err := cleanName(name)
		if err != nil || clean == "" {
			return
		}
		target, err := linkTarget(clean, link)
		if err != nil {
			return
		}
		if strings.HasPrefix(target, "/") || target == ".." || strings.HasPrefix(target, "../") {
			t.Fatalf("linkTarget(%q, %q) = %q", clean, link, target)
		}
	})
}
