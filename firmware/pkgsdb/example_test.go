package pkgsdb_test

import (
	"fmt"

	"github.com/phoneprovd/phoneprovd/firmware/pkgsdb"
)

// A plugin's pkgs.db declares files to download, packages made of them,
// and install recipes: trees of steps from the download directory "a" to
// the leaves that are copied into the plugin's var/tftpboot.
func ExampleParse() {
	db, err := pkgsdb.Parse("pkgs.db", []byte(`[pkg_T46-fw]
description: Firmware for the T46
description_fr: Micrologiciel pour le T46
version: 66.86.0.15
files: T46-fw
install: fw-unzip

[install_fw-unzip]
a-b: unzip $FILE1
b-c: cp */*.rom firmware/

[file_T46-fw]
url: http://firmware.example.com/T46-66.86.0.15.zip
size: 1024
sha1sum: 0123456789abcdef0123456789abcdef01234567
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := db.Package("T46-fw")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.ID, p.Version, p.LocalDescription("fr_FR"), p.Size())
	for _, f := range p.Files {
		fmt.Println("file", f.Filename, f.URL)
	}
	for _, s := range p.Steps() {
		fmt.Println("step", s, "leaf:", s.Leaf)
	}
	// Output:
	// T46-fw 66.86.0.15 Micrologiciel pour le T46 1024
	// file T46-66.86.0.15.zip http://firmware.example.com/T46-66.86.0.15.zip
	// step a-b: unzip T46-66.86.0.15.zip leaf: false
	// step b-c: cp */*.rom firmware/ leaf: true
}

// A definition a later install could not carry out is refused when the
// plugin is read, naming the file and line.
func ExampleParse_error() {
	_, err := pkgsdb.Parse("pkgs.db", []byte("[pkg_x]\nversion: 1\nfiles: nosuch\n"))
	fmt.Println(err)
	// Output:
	// pkgs.db:3: [pkg_x] files: unknown file "nosuch" (no [file_nosuch])
}
