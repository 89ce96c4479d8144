package install

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/firmware/pkgsdb"
)

// runStep runs one command on a source tree (path -> content; a path
// ending in "/" is a directory) and returns the output tree.
func runStep(t *testing.T, cmd string, src map[string]string) (string, error) {
	t.Helper()
	base := t.TempDir()
	for p, c := range src {
		full := filepath.Join(base, "in", p)
		if strings.HasSuffix(p, "/") {
			os.MkdirAll(full, 0o755)
			continue
		}
		write(t, full, c)
	}
	in, err := openNode("b", filepath.Join(base, "in"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.root.Close()
	out, err := openNode("c", filepath.Join(base, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.root.Close()
	f := strings.Fields(cmd)
	r := &runner{ctx: context.Background(), warn: func(string) {}}
	err = r.run(pkgsdb.Step{Src: "b", Dst: "c", Command: pkgsdb.Command{Name: f[0], Args: f[1:]}}, in, out)
	return snapshot(t, filepath.Join(base, "out")), err
}

func TestCommands(t *testing.T) {
	signed := strings.Repeat("S", 100) + "\x1f\x8bGZIPDATA"
	tree := map[string]string{
		"a.rom": "A", "b.rom": "B", ".hidden.rom": "H", "x.txt": "X",
		"d/": "", "d/e.rom": "E", "d/sub/f.txt": "F", "d/g.st": "G",
		"signed.sgn": signed,
	}
	tests := []struct {
		cmd, want, err string
	}{
		{cmd: "cp *.rom firmware/", want: "firmware/\nfirmware/a.rom=A\nfirmware/b.rom=B"},
		{cmd: "cp a.rom x/y/renamed.bin", want: "x/\nx/y/\nx/y/renamed.bin=A"},
		{cmd: "cp d out/", want: "out/\nout/d/\nout/d/e.rom=E\nout/d/g.st=G\nout/d/sub/\nout/d/sub/f.txt=F"},
		{cmd: "cp */*.rom fw/", want: "fw/\nfw/e.rom=E"},
		{cmd: "cp a.rom nomatch* fw/", want: "fw/\nfw/a.rom=A"},
		{cmd: "cp *.rom one.rom", err: `cp: "*.rom" matches 2 files; to copy several, end "one.rom" with "/"`},
		{cmd: "cp *.zip fw/", err: `cp: "*.zip" matched nothing in node "b", which holds .hidden.rom, a.rom, b.rom, d/, signed.sgn, x.txt`},
		{cmd: "cp d file", err: `"d" is not a regular file`},
		// fnmatch, unlike glob, has no rule for names starting with ".".
		{cmd: "include *.rom d", want: ".hidden.rom=H\na.rom=A\nb.rom=B\nd/\nd/e.rom=E\nd/g.st=G\nd/sub/\nd/sub/f.txt=F"},
		{cmd: "include *.st", want: ""}, // d is not kept, so d/g.st is never seen
		{cmd: "include d d/*.st", want: "d/\nd/e.rom=E\nd/g.st=G\nd/sub/\nd/sub/f.txt=F"},
		{cmd: "exclude *.rom signed.sgn", want: "d/\nd/g.st=G\nd/sub/\nd/sub/f.txt=F\nx.txt=X"},
		{cmd: "exclude d/sub", want: ".hidden.rom=H\na.rom=A\nb.rom=B\nd/\nd/e.rom=E\nd/g.st=G\nsigned.sgn=" + sha([]byte(signed)) + "\nx.txt=X"},
		{cmd: "unsign *.sgn f.tgz", want: "f.tgz=\x1f\x8bGZIPDATA"},
		{cmd: "unsign *.rom f.tgz", err: `unsign: "*.rom" matches 2 files, it must match one`},
		{cmd: "unsign x.txt f.tgz", err: `unsign: no gzip data in the first 512 bytes of "x.txt": not a signed Cisco file`},
		{cmd: "unzip *.txt", err: "x.txt: not a valid zip archive"},
		{cmd: "untar x.txt", err: "x.txt: not a valid tar archive"},
		{cmd: "unrar x.txt", err: "x.txt: not a readable rar archive"},
		{cmd: "7z x.txt", err: "x.txt: not a readable 7z archive"},
		{cmd: "untar d", err: `untar: "d" is not a file`},
		{cmd: "null", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.cmd, func(t *testing.T) {
			got, err := runStep(t, tt.cmd, tree)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestCpIntoExistingFileFails(t *testing.T) {
	// Two leaves share the result: a second cp into a directory whose name
	// is taken by a file fails clearly.
	base := t.TempDir()
	write(t, filepath.Join(base, "in/a.rom"), "A")
	write(t, filepath.Join(base, "out/fw"), "a file")
	in, _ := openNode("b", filepath.Join(base, "in"))
	out, _ := openNode("c", filepath.Join(base, "out"))
	r := &runner{ctx: context.Background(), warn: func(string) {}}
	err := r.cp([]string{"a.rom"}, "fw/", in, out)
	if err == nil || err.Error() != `cp: "fw/" exists and is a file, not a directory` {
		t.Errorf("err = %v", err)
	}
}
