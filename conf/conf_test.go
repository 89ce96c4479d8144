package conf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/phoneprovd/phoneprovd/conf"
	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/internal/testtool"
	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// TestDefault: the sample holds this directory's files followed by every
// family's profile sections, and every family's profile directories.
func TestDefault(t *testing.T) {
	s, err := conf.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"phoneprov.conf", "phoneprovd.conf", "users.conf", "pjsip.conf"} {
		own, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(s.Config[name], bytes.TrimRight(own, "\n")) {
			t.Errorf("%s does not start with conf/%s", name, name)
		}
	}
	want := map[string][]string{
		"polycom": {"polycom"}, "yealink": {"yealink"}, "cisco": {"cisco-spa", "cisco-79xx"},
		"grandstream": {"grandstream"}, "snom": {"snom"}, "fanvil": {"fanvil"},
	}
	for fam, dirs := range want {
		f, _ := families.ByName(fam)
		section, err := os.ReadFile(filepath.Join("..", "family", fam, "profile", "phoneprov.conf"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(s.Config["phoneprov.conf"], section) {
			t.Errorf("phoneprov.conf lacks family/%s's sections", fam)
		}
		got := s.Profile(fam)
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(dirs))) {
			t.Errorf("family/%s ships %v, want %v", fam, got, dirs)
		}
		for _, d := range got {
			if len(s.Templates(d)) == 0 || s.Data[d+"/README.md"] == nil {
				t.Errorf("profile %s has no templates or no README", d)
			}
		}
		if f.Profile == nil {
			t.Errorf("family %s has no Profile", fam)
		}
	}
	if !bytes.Contains(s.Config["phoneprovd.conf"], []byte("[profile:yealink]\nquiet_files = *-phonebook.xml")) {
		t.Error("phoneprovd.conf lacks the Yealink profile's settings")
	}
}

// TestBuildRefusesTwoOwners: two families shipping one profile directory
// is an error naming both.
func TestBuildRefusesTwoOwners(t *testing.T) {
	profile := fstest.MapFS{
		"phoneprov.conf": {Data: []byte("[x](provisioning)\n")},
		"x/a.cfg":        {Data: []byte("a\n")},
	}
	_, err := conf.Build([]family.Family{{Name: "one", Profile: profile}, {Name: "two", Profile: profile}})
	if err == nil || !strings.Contains(err.Error(), "family/two") || !strings.Contains(err.Error(), "family/one") {
		t.Errorf("error %v", err)
	}
	_, err = conf.Build([]family.Family{{Name: "three", Profile: fstest.MapFS{"x/a.cfg": {Data: []byte("a")}}}})
	if err == nil || !strings.Contains(err.Error(), "family/three/profile") {
		t.Errorf("a profile without phoneprov.conf: %v", err)
	}
}

// TestWrite: the sample is written where it is asked, never over an
// existing file unless forced, and leaves no temporary file.
func TestWrite(t *testing.T) {
	s, err := conf.Default()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	etc, lib := filepath.Join(root, "etc"), filepath.Join(root, "lib")
	if err := s.Write(etc, lib, false); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(lib, "phoneprov", "yealink", "mac.cfg"))
	if err != nil || !bytes.Equal(got, s.Data["yealink/mac.cfg"]) {
		t.Errorf("yealink/mac.cfg: %v", err)
	}
	mine := filepath.Join(etc, "users.conf")
	os.WriteFile(mine, []byte("; mine\n"), 0o644)
	if err := s.Write(etc, lib, false); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("writing over a configuration: %v", err)
	}
	if b, _ := os.ReadFile(mine); string(b) != "; mine\n" {
		t.Error("a refused write changed a file")
	}
	if err := s.Write(etc, lib, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(mine); !bytes.Equal(b, s.Config["users.conf"]) {
		t.Error("-force did not write users.conf")
	}
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.Contains(fi.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

// TestEveryProfileHasAFamily: every profile the sample serves is a
// family's, in the directory of its name, and has phones.
func TestEveryProfileHasAFamily(t *testing.T) {
	s, err := conf.Default()
	if err != nil {
		t.Fatal(err)
	}
	owned := map[string]bool{}
	for _, dirs := range s.Profiles {
		for _, d := range dirs {
			owned[d] = true
		}
	}
	root := t.TempDir()
	if err := s.Write(filepath.Join(root, "etc"), filepath.Join(root, "lib"), false); err != nil {
		t.Fatal(err)
	}
	snap, err := phoneprov.Load(phoneprov.Options{ConfigDir: filepath.Join(root, "etc"), DataDir: filepath.Join(root, "lib"),
		LocalZone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Profiles) != len(owned) {
		t.Errorf("%d profiles, %d profile directories", len(snap.Profiles), len(owned))
	}
	for _, p := range snap.Profiles {
		if !owned[p.Name] {
			t.Errorf("profile [%s] is no family's", p.Name)
		}
		for _, f := range append(append([]*phoneprov.File(nil), p.Dynamic...), p.Static...) {
			if !strings.HasPrefix(f.Template, p.Name+"/") {
				t.Errorf("[%s]: %s is outside the profile's directory", p.Name, f.Template)
			}
		}
	}
	for _, d := range snap.Diagnostics {
		t.Errorf("diagnostic: %s", d)
	}
}

// TestSamplesAndCheckCommands writes the sample with "phoneprovd samples",
// as make run and make install do, and runs "phoneprovd check -strict" on
// it, as an administrator would: it must find nothing to report.
func TestSamplesAndCheckCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the phoneprovd command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		testtool.Missing(t, "the go command")
	}
	bin := filepath.Join(t.TempDir(), "phoneprovd")
	if out, err := exec.Command(goTool, "build", "-o", bin, "../cmd/phoneprovd").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	root := t.TempDir()
	etc, lib := filepath.Join(root, "etc"), filepath.Join(root, "lib")
	out, err := exec.Command(bin, "samples", "-config-dir", etc, "-data-dir", lib).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "4 config files") {
		t.Fatalf("phoneprovd samples: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "samples", "-config-dir", etc, "-data-dir", lib).CombinedOutput(); err == nil {
		t.Errorf("phoneprovd samples over a written sample succeeded:\n%s", out)
	}
	out, err = exec.Command(bin, "check", "-strict", "-config-dir", etc, "-data-dir", lib).CombinedOutput()
	if err != nil {
		t.Fatalf("phoneprovd check: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "7 profiles") || !strings.Contains(string(out), "; 0 errors, 0 warnings") {
		t.Errorf("phoneprovd check reported:\n%s", out)
	}
}
