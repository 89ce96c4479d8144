package archive

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzUntar extracts arbitrary bytes as a tar archive: whatever happens,
// nothing may appear outside the destination, and every refusal must
// name the archive.
func FuzzUntar(f *testing.F) {
	t := &testing.T{}
	f.Add(makeTar(t, file("a/b", "x"), symlink("a/l", "b"), dir("d/")))
	f.Add(makeTar(t, symlink("l", "../x")))
	f.Add(makeTar(t, entry{name: "h", kind: kindHardlink, link: "a/b"}, file("a/b", "y")))
	f.Add(gz(makeTar(t, file("../x", "y"))))
	f.Fuzz(func(t *testing.T, data []byte) {
		base := t.TempDir()
		out := filepath.Join(base, "out")
		err := Untar(context.Background(), writeInput(t, base, data), "a.tar", out, Options{MaxBytes: 1 << 20, Warn: func(string) {}})
		if err != nil && !strings.HasPrefix(err.Error(), "a.tar: ") {
			t.Fatalf("error without the archive name: %v", err)
		}
		entries, _ := os.ReadDir(base)
		for _, e := range entries {
			if e.Name() != "out" && e.Name() != "in" {
				t.Fatalf("extraction wrote %s beside the destination", e.Name())
			}
		}
		filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type()&os.ModeSymlink != 0 {
				t.Fatalf("extraction created a symbolic link %s", p)
			}
			return nil
		})
	})
}

// writeInput writes data to base/in and opens it.
func writeInput(t *testing.T, base string, data []byte) *os.File {
	p := filepath.Join(base, "in")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// FuzzCleanName checks the member-name rule on its own.
func FuzzCleanName(f *testing.F) {
	for _, s := range []string{"a/b", "../a", "/a", "a/./b/", ".", "a/..", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		c, err := cleanName(name)
		if err != nil {
			return
		}
		if strings.HasPrefix(c, "/") || c == ".." || strings.HasPrefix(c, "../") || strings.Contains(c, "/../") || bytes.ContainsRune([]byte(c), 0) {
			t.Fatalf("cleanName(%q) = %q", name, c)
		}
	})
}
