package install

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/firmware/archive"
	"github.com/phoneprovd/phoneprovd/firmware/fetch"
)

// fwDB is a package database with one package "fw" whose archive fw.zip
// (served by srv) installs fw/<files> and a top file.
func fwDB(url, sum string, size int, version string) string {
	return fmt.Sprintf(`[pkg_fw]
description: Test firmware
version: %s
files: fw
install: unzip-to fw

[install_unzip-to]
a-b: unzip $FILE1
b-c: cp pkg/* $ARG1/
b-d: include top.txt

[file_fw]
url: %s
filename: fw-%s.zip
size: %d
sha1sum: %s
`, version, url, version, size, sum)
}

func readRecord(t *testing.T, dir, id string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, InstalledDir, id))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestInstallUpgradeRemove(t *testing.T) {
	srv := newFiles(t)
	v1 := zipOf(t, member{name: "pkg/a.rom", body: "A1"}, member{name: "pkg/old.rom", body: "O"}, member{name: "top.txt", body: "T1"})
	url, sum := srv.put("fw-1.zip", v1)
	dir := plugin(t, fwDB(url, sum, len(v1), "1.0"), map[string]string{"static.xml": "<static/>"})
	in, out := installer(t, dir)
	if err := in.Install(context.Background(), "fw"); err != nil {
		t.Fatal(err)
	}
	tftp := filepath.Join(dir, "var", "tftpboot")
	got := snapshot(t, tftp)
	want := "fw/\nfw/a.rom=A1\nfw/old.rom=O\nstatic.xml=<static/>\ntop.txt=T1"
	if got != want {
		t.Fatalf("var/tftpboot after install:\n%s\nwant\n%s", got, want)
	}
	rec := readRecord(t, dir, "fw")
	if fmt.Sprint(rec["files"]) != "[fw/ fw/a.rom fw/old.rom top.txt]" || rec["version"] != "1.0" || rec["explicit_install"] != true || rec["description"] != "Test firmware" {
		t.Errorf("record = %v", rec)
	}
	if !strings.Contains(out.String(), "fw 1.0: installed 3 files under "+tftp) {
		t.Errorf("report:\n%s", out)
	}
	// Installing again changes nothing.
	out.Reset()
	if err := in.Install(context.Background(), "fw"); err != nil || !strings.Contains(out.String(), "fw 1.0 is already installed") {
		t.Errorf("second install: %v\n%s", err, out)
	}

	// Version 2: old.rom gone, new.rom added, a.rom changed.
	v2 := zipOf(t, member{name: "pkg/a.rom", body: "A2"}, member{name: "pkg/new.rom", body: "N"}, member{name: "top.txt", body: "T2"})
	url2, sum2 := srv.put("fw-2.zip", v2)
	write(t, filepath.Join(dir, "pkgs", "pkgs.db"), fwDB(url2, sum2, len(v2), "2.0"))
	in, out = installer(t, dir)
	if err := in.Upgrade(context.Background()); err != nil {
		t.Fatal(err)
	}
	got = snapshot(t, tftp)
	want = "fw/\nfw/a.rom=A2\nfw/new.rom=N\nstatic.xml=<static/>\ntop.txt=T2"
	if got != want {
		t.Fatalf("var/tftpboot after upgrade:\n%s\nwant\n%s", got, want)
	}
	if rec := readRecord(t, dir, "fw"); rec["version"] != "2.0" {
		t.Errorf("record version %v", rec["version"])
	}
	if !strings.Contains(out.String(), "fw 2.0: upgraded from 1.0, 3 files") {
		t.Errorf("report:\n%s", out)
	}
	out.Reset()
	if err := in.Upgrade(context.Background()); err != nil || !strings.Contains(out.String(), "every installed package is up to date") {
		t.Errorf("nothing to upgrade: %v %s", err, out)
	}

	if err := in.Remove(context.Background(), "fw"); err != nil {
		t.Fatal(err)
	}
	// Nothing left but the plugin's own files, the (empty) records
	// directory and the lock.
	if got := snapshot(t, tftp); got != "static.xml=<static/>" {
		t.Errorf("var/tftpboot after remove: %s", got)
	}
	if got := snapshot(t, filepath.Join(dir, "var")); got != ".fwlock=\ninstalled/\ntftpboot/\ntftpboot/static.xml=<static/>" {
		t.Errorf("var after remove:\n%s", got)
	}
	if err := in.Remove(context.Background(), "fw"); err == nil || err.Error() != `package "fw" is not installed` {
		t.Errorf("second remove: %v", err)
	}
}

// TestInstallFailuresKeepState checks that each way of failing leaves the
// plugin exactly as it was, with a message that says what went wrong.
func TestInstallFailuresKeepState(t *testing.T) {
	good := zipOf(t, member{name: "pkg/a.rom", body: "A"}, member{name: "top.txt", body: "T"})
	tests := []struct {
		name  string
		setup func(t *testing.T, srv *files) string // returns pkgs.db
		want  string                                // regexp
	}{
		{"wrong SHA-1", func(t *testing.T, srv *files) string {
			url, _ := srv.put("fw.zip", good)
			return fwDB(url, strings.Repeat("0", 40), len(good), "1")
		}, `^fw-1.zip: SHA-1 mismatch: expected 0{40}, got ` + sha(good) + `; nothing kept$`},
		{"404", func(t *testing.T, srv *files) string {
			return fwDB(srv.URL+"/fw/missing.zip", sha(good), len(good), "1")
		}, `^GET http://127\.0\.0\.1:\d+/fw/missing\.zip: 404 Not Found$`},
		{"tarball with ..", func(t *testing.T, srv *files) string {
			tgz := tarGz(t, member{name: "pkg/a.rom", body: "A"}, member{name: "../../../evil", body: "x"})
			url, sum := srv.put("fw.tgz", tgz)
			return strings.Replace(fwDB(url, sum, len(tgz), "1"), "a-b: unzip", "a-b: untar", 1)
		}, `package fw: pkgs.db:8: a-b: untar fw-1.zip: fw-1.zip: member "../../../evil": the path climbs out with "..": refused`},
		{"tarball with an absolute path", func(t *testing.T, srv *files) string {
			tgz := tarGz(t, member{name: "/etc/evil", body: "x"})
			url, sum := srv.put("fw.tgz", tgz)
			return strings.Replace(fwDB(url, sum, len(tgz), "1"), "a-b: unzip", "a-b: untar", 1)
		}, `fw-1.zip: member "/etc/evil": absolute path: refused`},
		{"zip with a symlink out", func(t *testing.T, srv *files) string {
			z := zipOf(t, member{name: "pkg/a.rom", typ: tar.TypeSymlink, link: "../../../../../etc/shadow"})
			url, sum := srv.put("fw.zip", z)
			return fwDB(url, sum, len(z), "1")
		}, `fw-1.zip: member "pkg/a.rom": symbolic link to "../../../../../etc/shadow" leads outside the archive: refused`},
		{"failing step", func(t *testing.T, srv *files) string {
			z := zipOf(t, member{name: "other/a.rom", body: "A"})
			url, sum := srv.put("fw.zip", z)
			return fwDB(url, sum, len(z), "1")
		}, `package fw: pkgs.db:9: b-c: cp pkg/\* fw/: cp: "pkg/\*" matched nothing in node "b", which holds other/`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFiles(t)
			dir := plugin(t, tt.setup(t, srv), map[string]string{"static.xml": "s"})
			in, _ := installer(t, dir)
			// An installed package that must survive.
			write(t, filepath.Join(dir, "var/tftpboot/keep/k.rom"), "K")
			write(t, filepath.Join(dir, InstalledDir, "keep"), `{"id": "keep", "version": "1", "files": ["keep/", "keep/k.rom"], "explicit_install": true}`)
			os.MkdirAll(filepath.Join(dir, "var"), 0o755)
			before := snapshot(t, dir)
			err := in.Install(context.Background(), "fw")
			if err == nil {
				t.Fatal("install succeeded")
			}
			msg := strings.ReplaceAll(err.Error(), filepath.Join(dir, "pkgs", "pkgs.db"), "pkgs.db")
			if !regexp.MustCompile(tt.want).MatchString(msg) {
				t.Errorf("error:\n%s\nwant (regexp)\n%s", msg, tt.want)
			}
			if after := snapshot(t, dir); after != before {
				t.Errorf("plugin changed:\n%s\nwas\n%s", after, before)
			}
		})
	}
}

// cancelOnDownload cancels its context when a download completes.
type cancelOnDownload struct{ cancel context.CancelFunc }

func (c cancelOnDownload) Cached(string)                                 {}
func (c cancelOnDownload) Begin(string, string, int64, int64) fetch.Task { return c }
func (c cancelOnDownload) Add(int64)                                     {}
func (c cancelOnDownload) Done(error)                                    { c.cancel() }

func TestInstallCancelled(t *testing.T) {
	srv := newFiles(t)
	z := zipOf(t, member{name: "pkg/a.rom", body: "A"}, member{name: "top.txt", body: "T"})
	url, sum := srv.put("fw.zip", z)
	dir := plugin(t, fwDB(url, sum, len(z), "1"), nil)
	in, _ := installer(t, dir)
	before := snapshot(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	in.Cache.Progress = cancelOnDownload{cancel}
	err := in.Install(ctx, "fw")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if after := snapshot(t, dir); after != before+"\nvar/" {
		t.Errorf("plugin changed:\n%s", after)
	}
	// The download is in the cache: the next install uses it.
	in.Cache.Progress = nil
	if err := in.Install(context.Background(), "fw"); err != nil {
		t.Fatal(err)
	}
	if srv.count["fw.zip"] != 1 {
		t.Errorf("fw.zip fetched %d times", srv.count["fw.zip"])
	}
}

// TestUpgradeFailingHalfWayRollsBack fails the transaction after some
// files have moved: the old version must be back, files and record.
func TestUpgradeFailingHalfWayRollsBack(t *testing.T) {
	srv := newFiles(t)
	v1 := zipOf(t, member{name: "pkg/a.rom", body: "A1"}, member{name: "pkg/old.rom", body: "O"}, member{name: "top.txt", body: "T1"})
	url, sum := srv.put("fw-1.zip", v1)
	dir := plugin(t, fwDB(url, sum, len(v1), "1.0"), nil)
	in, _ := installer(t, dir)
	if err := in.Install(context.Background(), "fw"); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	v2 := zipOf(t, member{name: "pkg/a.rom", body: "A2"}, member{name: "pkg/new/n.rom", body: "N"}, member{name: "top.txt", body: "T2"})
	url2, sum2 := srv.put("fw-2.zip", v2)
	write(t, filepath.Join(dir, "pkgs", "pkgs.db"), fwDB(url2, sum2, len(v2), "2.0"))
	before = snapshot(t, dir) // with the new pkgs.db
	in, _ = installer(t, dir)
	for _, failAt := range []string{"aside var/tftpboot/fw/old.rom", "place var/tftpboot/fw/new/n.rom", "place var/installed/fw"} {
		in.hook = func(step string) error {
			if step == failAt {
				return errors.New("disk on fire")
			}
			return nil
		}
		if err := in.Upgrade(context.Background(), "fw"); err == nil || err.Error() != "disk on fire" {
			t.Fatalf("fail at %q: err = %v", failAt, err)
		}
		if after := snapshot(t, dir); after != before {
			t.Fatalf("fail at %q: plugin changed:\n%s\nwas\n%s", failAt, after, before)
		}
	}
}

// crash is panicked by a hook to stop a transaction as a killed process
// would: no rollback runs.
type crash struct{}

func TestCrashedTransactionIsUndoneByNextCommand(t *testing.T) {
	srv := newFiles(t)
	v1 := zipOf(t, member{name: "pkg/a.rom", body: "A1"}, member{name: "top.txt", body: "T1"})
	url, sum := srv.put("fw-1.zip", v1)
	dir := plugin(t, fwDB(url, sum, len(v1), "1.0"), nil)
	in, _ := installer(t, dir)
	if err := in.Install(context.Background(), "fw"); err != nil {
		t.Fatal(err)
	}
	v2 := zipOf(t, member{name: "pkg/a.rom", body: "A2"}, member{name: "pkg/b.rom", body: "B"}, member{name: "top.txt", body: "T2"})
	url2, sum2 := srv.put("fw-2.zip", v2)
	write(t, filepath.Join(dir, "pkgs", "pkgs.db"), fwDB(url2, sum2, len(v2), "2.0"))
	before := snapshot(t, dir)
	in, out := installer(t, dir)
	in.hook = func(step string) error {
		if step == "place var/tftpboot/fw/b.rom" {
			panic(crash{})
		}
		return nil
	}
	func() {
		defer func() {
			if r := recover(); r != (crash{}) {
				t.Fatalf("recovered %v", r)
			}
		}()
		in.Upgrade(context.Background(), "fw")
	}()
	if snapshot(t, dir) == before {
		t.Fatal("the crash left nothing to recover")
	}
	in.hook = nil
	if _, err := in.List(); err != nil {
		t.Fatal(err)
	}
	// Any changing command first undoes the half-done transaction.
	if err := in.Remove(context.Background(), "nothing"); err == nil {
		t.Fatal("removing an unknown package succeeded")
	}
	if !strings.Contains(out.String(), "undid an interrupted package change") {
		t.Errorf("report:\n%s", out)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("after recovery:\n%s\nwant\n%s", after, before)
	}
}

func TestDependenciesAndSharedFiles(t *testing.T) {
	srv := newFiles(t)
	zb := zipOf(t, member{name: "base.bin", body: "B"}, member{name: "shared.txt", body: "S"})
	za := zipOf(t, member{name: "app.bin", body: "A"}, member{name: "shared.txt", body: "S"})
	ub, sb := srv.put("b.zip", zb)
	ua, sa := srv.put("a.zip", za)
	db := fmt.Sprintf(`[pkg_app]
description: app
version: 1
files: a
install: unzip
depends: base
[pkg_base]
description: base
version: 1
files: b
install: unzip
[install_unzip]
a-b: unzip $FILE1
[file_a]
url: %s
size: %d
sha1sum: %s
[file_b]
url: %s
size: %d
sha1sum: %s
`, ua, len(za), sa, ub, len(zb), sb)
	dir := plugin(t, db, nil)
	in, _ := installer(t, dir)
	if err := in.Install(context.Background(), "app"); err != nil {
		t.Fatal(err)
	}
	if rec := readRecord(t, dir, "base"); rec["explicit_install"] != false {
		t.Errorf("base installed explicitly: %v", rec)
	}
	if err := in.Remove(context.Background(), "base"); err == nil || err.Error() != `package "base" is required by app` {
		t.Errorf("removing a dependency: %v", err)
	}
	// Removing app keeps shared.txt: base lists it too.
	if err := in.Remove(context.Background(), "app"); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, filepath.Join(dir, TFTPBootDir)); got != "base.bin=B\nshared.txt=S" {
		t.Errorf("after removing app: %s", got)
	}
	if err := in.Remove(context.Background(), "base"); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, filepath.Join(dir, TFTPBootDir)); got != "" {
		t.Errorf("after removing base: %q", got)
	}
	// Installing base explicitly, then app, then base again marks it.
	if err := in.Install(context.Background(), "app", "base"); err != nil {
		t.Fatal(err)
	}
	if rec := readRecord(t, dir, "base"); rec["explicit_install"] != true {
		t.Errorf("base not explicit: %v", rec)
	}
	if err := in.Remove(context.Background(), "app", "base"); err != nil {
		t.Fatal(err)
	}
}

func TestInstallRefusesToOverwriteUnownedFile(t *testing.T) {
	srv := newFiles(t)
	z := zipOf(t, member{name: "pkg/a.rom", body: "A"}, member{name: "top.txt", body: "T"})
	url, sum := srv.put("fw.zip", z)
	dir := plugin(t, fwDB(url, sum, len(z), "1"), map[string]string{"top.txt": "the plugin's own"})
	in, _ := installer(t, dir)
	os.MkdirAll(filepath.Join(dir, "var"), 0o755)
	before := snapshot(t, dir)
	err := in.Install(context.Background(), "fw")
	if err == nil || !strings.Contains(err.Error(), "package fw would replace "+filepath.Join(dir, "var/tftpboot/top.txt")+", which no installed package owns: move it away first") {
		t.Fatalf("err = %v", err)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("plugin changed:\n%s", after)
	}
}

func TestInstallManualFile(t *testing.T) {
	data := []byte("licence file content")
	db := fmt.Sprintf("[pkg_lic]\ndescription: l\nversion: 1\nfiles: l\ninstall: inc\n[install_inc]\na-b: include *.lic\n[file_l]\nfilename: x.lic\nurl:\nsize: %d\nsha1sum: %s\n", len(data), sha(data))
	dir := plugin(t, db, nil)
	in, _ := installer(t, dir)
	err := in.Install(context.Background(), "lic")
	want := in.Cache.Path("x.lic")
	if err == nil || !strings.Contains(err.Error(), "x.lic has no download URL (pkgs.db leaves it empty): get it from the vendor and copy it to "+want+fmt.Sprintf(" (%d bytes, SHA-1 %s)", len(data), sha(data))) {
		t.Fatalf("err = %v", err)
	}
	write(t, want, string(data))
	if err := in.Install(context.Background(), "lic"); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, filepath.Join(dir, TFTPBootDir)); got != "x.lic=licence file content" {
		t.Errorf("installed %s", got)
	}
}

func TestListAndUnknownPackage(t *testing.T) {
	srv := newFiles(t)
	z := zipOf(t, member{name: "pkg/a.rom", body: "A"}, member{name: "top.txt", body: "T"})
	url, sum := srv.put("fw.zip", z)
	dir := plugin(t, fwDB(url, sum, len(z), "1"), nil)
	in, _ := installer(t, dir)
	if err := in.Install(context.Background(), "nope"); err == nil || err.Error() != `no package "nope" in `+filepath.Join(dir, "pkgs") {
		t.Errorf("unknown package: %v", err)
	}
	if err := in.Install(context.Background(), "fw"); err != nil {
		t.Fatal(err)
	}
	// A record of a package pkgs.db no longer has still lists.
	write(t, filepath.Join(dir, InstalledDir, "gone"), `{"id": "gone", "version": "0.9", "files": [], "explicit_install": true}`)
	list, err := in.List()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range list {
		got = append(got, fmt.Sprintf("%s pkg=%v installed=%v", s.ID, s.Package != nil, s.Installed != nil))
	}
	if strings.Join(got, "; ") != "fw pkg=true installed=true; gone pkg=false installed=true" {
		t.Errorf("list: %v", got)
	}
	if err := in.Upgrade(context.Background(), "gone"); err == nil || !strings.Contains(err.Error(), `package "gone" is installed but no longer defined`) {
		t.Errorf("upgrading a vanished package: %v", err)
	}
	if err := in.Remove(context.Background(), "gone"); err != nil {
		t.Errorf("removing a vanished package: %v", err)
	}
}

func TestArchiveLimitsApply(t *testing.T) {
	srv := newFiles(t)
	z := zipOf(t, member{name: "pkg/a.rom", body: strings.Repeat("x", 5000)}, member{name: "top.txt", body: "T"})
	url, sum := srv.put("fw.zip", z)
	dir := plugin(t, fwDB(url, sum, len(z), "1"), nil)
	in, _ := installer(t, dir)
	in.Archive = archive.Options{MaxBytes: 1000}
	if err := in.Install(context.Background(), "fw"); err == nil || !strings.Contains(err.Error(), "expands beyond 1000 bytes") {
		t.Errorf("err = %v", err)
	}
}
