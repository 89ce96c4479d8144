package tftpserver

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestUploadName(t *testing.T) {
	tests := []struct {
		filename, want string // want "" = refused
	}{
		{"0004f2000001-boot.log", "0004f2000001-boot.log"},
		{"/0004f2000001-boot.log", "0004f2000001-boot.log"}, // one leading "/" as for reads
		{"logs/a.log", "logs/a.log"},
		{"//etc/passwd", ""}, // absolute once the "/" is gone
		{"../a.log", ""},
		{"logs/../../a.log", ""},
		{"logs/../a.log", ""}, // not clean: would alias "a.log"
		{"./a.log", ""},
		{"a//b.log", ""},
		{"logs/", ""},
		{"..", ""},
		{".", ""},
		{"", ""},
		{"/", ""},
		{"..\\a.log", ""}, // backslash: a Windows separator to some readers
		{"a\x01.log", ""},
		{"a\n.log", ""},
		{"a\x7f.log", ""},
		{tempPrefix + "x", ""}, // the namespace of uploads in progress
		{"logs/" + tempPrefix + "x", ""},
		{"x" + tempPrefix, "x" + tempPrefix},
		{"ünïcode.log", "ünïcode.log"},
	}
	for _, tt := range tests {
		got, ok := uploadName(tt.filename)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("uploadName(%q) = %q, %v; want %q", tt.filename, got, ok, tt.want)
		}
	}
}

// files lists the regular files under dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	slices.Sort(out)
	return out
}

func TestUploads(t *testing.T) {
	root := t.TempDir()
	dir, outside := filepath.Join(root, "up"), filepath.Join(root, "outside")
	for _, d := range []string{dir, outside, filepath.Join(dir, "sub")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "old.log"), make([]byte, 100), 0o644); err != nil {
		t.Fatal(err)
	}
	u := newUploads(dir, 300, 1000)
	if err := u.check(); err != nil {
		t.Fatal(err)
	}

	store := func(name string, n int) error {
		up, r, err := u.begin(name, -1)
		if r != nil {
			return errors.Join(r, err)
		}
		if _, err := up.Write(make([]byte, n)); err != nil {
			up.discard()
			return err
		}
		return up.commit()
	}

	// Written under a temporary name, visible only once committed.
	up, r, err := u.begin("a.log", 3)
	if r != nil {
		t.Fatal(r, err)
	}
	up.Write([]byte("abc"))
	if got := files(t, dir); len(got) != 2 || !strings.HasPrefix(got[0], tempPrefix) || got[1] != "old.log" {
		t.Errorf("while writing: %v", got)
	}
	// A second writer of the same name is refused.
	if _, r, _ := u.begin("a.log", -1); r != errBeingWritten {
		t.Errorf("second writer: %v", r)
	}
	if err := up.commit(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.log")); string(got) != "abc" {
		t.Errorf("a.log = %q", got)
	}

	// Per-file limit: announced (refused up front) or not (the Write
	// that crosses it fails).
	if _, r, _ := u.begin("big.log", 301); r != errUploadTooLarge {
		t.Errorf("declared 301: %v", r)
	}
	if err := store("big.log", 301); !errors.Is(err, errUploadTooLarge) {
		t.Errorf("301 bytes: %v", err)
	}
	// Total limit, counting what is stored (100 + 3) and uploads in
	// progress.
	up, r, _ = u.begin("held.log", -1)
	if r != nil {
		t.Fatal(r)
	}
	if _, err := up.Write(make([]byte, 298)); err != nil {
		t.Fatal(err)
	}
	for i, n := range []int{300, 300} {
		if err := store("f"+string(rune('0'+i))+".log", n); i == 0 && err != nil {
			t.Errorf("within the total: %v", err)
		} else if i == 1 && !errors.Is(err, errUploadTooLarge) {
			t.Errorf("over the total (100+3+298+300+300 > 1000): %v", err)
		}
	}
	up.discard() // frees its 298 bytes
	if err := store("f1.log", 300); err != nil {
		t.Errorf("after a discard: %v", err)
	}
	// Replacing a file counts its new size only.
	if err := store("f1.log", 250); err != nil {
		t.Errorf("replacing: %v", err)
	}

	// Confinement: a symbolic link out, a missing directory.
	if _, r, _ := u.begin("out/x.log", -1); r != errCannotWrite {
		t.Errorf("through a symlink: %v", r)
	}
	if _, r, _ := u.begin("nodir/x.log", -1); r != errBadName {
		t.Errorf("missing directory: %v", r)
	}
	if err := store("sub/x.log", 10); err != nil {
		t.Errorf("existing subdirectory: %v", err)
	}

	if got := strings.Join(files(t, dir), ","); got != "a.log,f0.log,f1.log,old.log,sub/x.log" {
		t.Errorf("upload directory: %s", got)
	}
	if got := files(t, outside); len(got) != 0 {
		t.Errorf("outside: %v", got)
	}
	if u.pending != 0 || len(u.writing) != 0 {
		t.Errorf("left over: pending %d, writing %v", u.pending, u.writing)
	}
}

func TestUploadsCheck(t *testing.T) {
	if err := newUploads(filepath.Join(t.TempDir(), "missing"), 1, 1).check(); err == nil {
		t.Error("a missing upload directory passed the check")
	}
}
