package pkgsdb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The real plugins' package databases, read beside the repository.
const (
	yealinkPkgs = "../../../shared/provd/plugins/wazo-yealink-v86/pkgs"
	digiumPkgs  = "../../../shared/provd/plugins/wazo-digium-1.4.0.0/pkgs"
)

var realDBs = []string{yealinkPkgs + "/pkgs.db", digiumPkgs + "/pkgs.db"}

func TestLoadYealink(t *testing.T) {
	db, err := Load(yealinkPkgs)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(db.Packages); got != 19 {
		t.Errorf("%d packages, want 19: %v", got, db.PackageIDs())
	}
	p, err := db.Package("T27G-fw")
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != "69.86.0.15" || p.Description != "Firmware for Yealink T27G" || p.LocalDescription("fr_FR") != "Micrologiciel pour Yealink T27G" {
		t.Errorf("T27G-fw = %q %q %q", p.Version, p.Description, p.LocalDescription("fr_FR"))
	}
	if len(p.Files) != 1 || p.Files[0].Filename != "T27G-69.86.0.15.rom" || p.Files[0].Size != 16480816 ||
		p.Files[0].SHA1 != "994ba903dbc358e3a997a3ee4b00f355473da324" || p.Files[0].Manual() {
		t.Errorf("T27G-fw files = %+v", p.Files[0])
	}
	steps := p.Steps()
	if len(steps) != 1 || steps[0].String() != "a-b: cp *.rom firmware/" || !steps[0].Leaf {
		t.Errorf("T27G-fw steps = %v", steps)
	}
	// A file name with parentheses and a variable expanded from it.
	lang, _ := db.Package("T2X_T4X_T5X_CP920-lang")
	if got := stepStrings(lang.Steps()); got != "a-b: unzip Yealink_SIP_Phones_Language_Packs.zip | b-c: cp */GUI/* lang/" {
		t.Errorf("lang steps = %s", got)
	}
	if lang.Version != "" {
		t.Errorf("lang version = %q, want empty", lang.Version)
	}
	if f := db.Files["T3X-fw"]; f.Filename != "T31(T30,T30P,T31G,T31P,T33P,T33G)-124.86.0.75.rom" {
		t.Errorf("T3X-fw filename = %q", f.Filename)
	}
}

func TestLoadDigium(t *testing.T) {
	db, err := Load(digiumPkgs)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Package("firmware")
	if err != nil {
		t.Fatal(err)
	}
	// No filename key: the URL's base name.
	if p.Files[0].Filename != "firmware_1_4_0_0_package.tar.gz" || p.Size() != 101303480 {
		t.Errorf("file = %+v", p.Files[0])
	}
	if got := stepStrings(p.Steps()); got != "a-b: untar firmware_1_4_0_0_package.tar.gz | b-c: cp */*.eff Digium/firmware/" {
		t.Errorf("steps = %s", got)
	}
	if p.Steps()[0].Leaf || !p.Steps()[1].Leaf {
		t.Errorf("leaves wrong: %+v", p.Steps())
	}
}

func stepStrings(steps []Step) string {
	var s []string
	for _, st := range steps {
		s = append(s, st.String())
	}
	return strings.Join(s, " | ")
}

func TestLoadReadsEveryNonDotFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pkgs.db", "[pkg_p]\ndescription: d\nversion: 1\nfiles: f\ninstall: r\n[install_r]\na-b: cp * x/\n")
	write("files.db", "[file_f]\nurl: http://h/f.bin\nsize: 3\nsha1sum: "+strings.Repeat("ab", 20)+"\n")
	write(".hidden", "garbage that would not parse")
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p := db.Packages["p"]; p == nil || p.Files[0].Filename != "f.bin" {
		t.Fatalf("package p = %+v", p)
	}
	if len(db.Sources) != 2 {
		t.Errorf("sources = %v", db.Sources)
	}
}

const okFile = "[file_f]\nurl: http://h/f.bin\nsize: 3\nsha1sum: 0123456789abcdef0123456789abcdef01234567\n"

func TestBuildErrors(t *testing.T) {
	pkg := "[pkg_p]\ndescription: d\nversion: 1\n"
	tests := []struct {
		name, in, want string
	}{
		{"unknown section", "[pkgs_x]\n", "db:1: section [pkgs_x]: the name must be"},
		{"empty id", "[pkg_]\n", "db:1: section [pkg_]"},
		{"missing url", "[file_f]\nsize: 1\nsha1sum: ab\n", "db:1: [file_f]: missing key \"url\""},
		{"bad size", "[file_f]\nurl:\nsize: 1k\nsha1sum: ab\n", "db:3: [file_f] size: \"1k\" is not a number"},
		{"negative size", "[file_f]\nurl:\nsize: -1\nsha1sum: ab\n", "db:3: [file_f] size"},
		{"bad sha1", "[file_f]\nurl:\nsize: 1\nsha1sum: xyz\n", "db:4: [file_f] sha1sum: \"xyz\" is not hexadecimal"},
		{"no filename for manual file", "[file_f]\nurl:\nsize: 1\nsha1sum: ab\n", "db:1: [file_f]: no filename"},
		{"filename with slash", "[file_f]\nurl:\nfilename: ../etc/passwd\nsize: 1\nsha1sum: ab\n", "db:1: [file_f] filename: \"../etc/passwd\" must be a plain file name"},
		{"filename dot-dot", "[file_f]\nurl: http://h/..\nsize: 1\nsha1sum: ab\n", "db:1: [file_f]"},
		{"bad downloader", "[file_f]\nurl: http://h/x\nsize: 1\nsha1sum: ab\ndownloader: ftp\n", "db:5: [file_f] downloader: \"ftp\" is not one of default, auth"},
		{"same cache name", okFile + "[file_g]\nurl: http://other/f.bin\nsize: 1\nsha1sum: ab\n", "db:5: [file_g] and [file_f] (db:1) both use the file name \"f.bin\""},
		{"missing version", "[pkg_p]\ndescription: d\n", "db:1: [pkg_p]: missing key \"version\""},
		{"id key", pkg + "id: x\n", "db:4: [pkg_p]: the key \"id\" is not allowed"},
		{"unknown file", pkg + "files: nope\n", "db:4: [pkg_p] files: unknown file \"nope\""},
		{"unknown recipe", pkg + "install: nope\n", "db:4: [pkg_p] install: unknown recipe \"nope\""},
		{"empty install", pkg + "install:\n", "db:4: [pkg_p] install: no recipe given"},
		{"unknown dependency", pkg + "depends: q\n", "db:1: [pkg_p]: depends on unknown package \"q\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("db", []byte(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got %v\nwant %s...", err, tt.want)
			}
		})
	}
}

func TestShortDigestLoadsButIsNotVerifiable(t *testing.T) {
	// wazo-cisco-sccp's v9_4 pkgs.db has a 32-digit sha1sum: the database
	// must still list, the file must never be installed.
	db, err := Parse("db", []byte("[file_f]\nurl: http://h/f\nsize: 1\nsha1sum: 5d88a4f85d5f1e89596692d6ac3151ae\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = db.Files["f"].Verifiable()
	if err == nil || !strings.HasPrefix(err.Error(), "db:4: [file_f] sha1sum has 32 hex digits") {
		t.Errorf("Verifiable() = %v", err)
	}
	if err := mustParse(t, okFile).Files["f"].Verifiable(); err != nil {
		t.Errorf("Verifiable() = %v for a SHA-1", err)
	}
}

func mustParse(t *testing.T, s string) *DB {
	t.Helper()
	db, err := Parse("db", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestPackageFields(t *testing.T) {
	db := mustParse(t, okFile+`[pkg_p]
description: d
description_fr: dfr
description_fr_ca: dca
version: 2
files: f
install: r one two
depends: q
custom: x
[pkg_q]
description: q
version: 1
[install_r]
a-b: cp $FILE1 ${ARG2}/$ARG1
`)
	p := db.Packages["p"]
	if p.LocalDescription("fr_CA") != "dca" || p.LocalDescription("fr_FR") != "dfr" || p.LocalDescription("de_DE") != "d" || p.LocalDescription("") != "d" {
		t.Errorf("descriptions = %v", p.Descriptions)
	}
	if strings.Join(p.Depends, ",") != "q" || strings.Join(p.Args, ",") != "one,two" {
		t.Errorf("depends %v args %v", p.Depends, p.Args)
	}
	if p.Extra["custom"] != "x" {
		t.Errorf("extra = %v", p.Extra)
	}
	if got := p.Steps()[0].Command.String(); got != "cp f.bin two/one" {
		t.Errorf("command = %q", got)
	}
	if q := db.Packages["q"]; q.Recipe != nil || len(q.Steps()) != 0 {
		t.Errorf("q has a recipe: %+v", q)
	}
}

func TestFilenameFromURL(t *testing.T) {
	// os.path.basename of the whole URL, as xivo-fetchfw takes it.
	db := mustParse(t, "[file_f]\nurl: http://h/a/dl?f=x.zip\nsize: 1\nsha1sum: ab\n[file_g]\nurl: http://h/\nfilename: g.bin\nsize: 1\nsha1sum: ab\n")
	if got := db.Files["f"].Filename; got != "dl?f=x.zip" {
		t.Errorf("filename = %q", got)
	}
	if _, err := Parse("db", []byte("[file_f]\nurl: http://h/\nsize: 1\nsha1sum: ab\n")); err == nil || !strings.Contains(err.Error(), "db:1: [file_f]: no filename, and none can be taken from the url") {
		t.Errorf("url ending in /: %v", err)
	}
}
