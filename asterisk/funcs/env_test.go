package funcs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

func TestEnvAndGlobal(t *testing.T) {
	cfg := Config{
		LookupEnv: func(name string) (string, bool) {
			if name == "PATH" {
				return "/usr/bin", true
			}
			return "", false
		},
		Globals: subst.Vars{{Name: "__TRUNK", Value: "sip-out"}, {Name: "VM", Value: "*97"}},
	}
	runCases(t, cfg, []tcase{
		// func_env.c env_read, through the Config hook.
		{in: "${ENV(PATH)}", want: "/usr/bin"},
		{in: "[${ENV(HOME)}]", want: "[]"},
		{in: "[${ENV()}]", want: "[]"},
		// func_global.c global_read: the dialplan globals only, first
		// match, inheritance underscores ignored on stored names.
		{in: "${GLOBAL(VM)}", want: "*97"},
		{in: "${GLOBAL(TRUNK)}", want: "sip-out"},
		{in: "[${GLOBAL(MAC)}]", want: "[]"},
	})
	// No hook, no globals: nothing is visible.
	runCases(t, Config{}, []tcase{
		{in: "[${ENV(PATH)}]", want: "[]"},
		{in: "[${GLOBAL(VM)}]", want: "[]"},
	})
}

func TestStat(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	file := filepath.Join(dir, "f.cfg")
	write := func(path string, data string, mode os.FileMode) {
		t.Helper()
		if err := os.WriteFile(path, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
	write(file, "hello", 0o640)
	mtime := time.Unix(1600000000, 0)
	if err := os.Chtimes(file, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(dir, "a,b"), "x", 0o644)
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(outside, "secret"), "secret!", 0o600)
	links := map[string]string{
		"in":      "f.cfg",                             // stays inside
		"out":     filepath.Join(outside, "secret"),    // leaves the data dir
		"outdir":  outside,                             // a directory outside
		"dangle":  filepath.Join(dir, "missing"),       // points nowhere
		"subback": filepath.Join("sub", "..", "f.cfg"), // inside, via ..
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skip("symbolic links unavailable:", err)
		}
	}
	cfg := Config{DataDir: dir}
	runCases(t, cfg, []tcase{
		// STAT's flags (func_env.c stat_read;
		// docs/asterisk.md#dialplan-functions).
		{in: "${STAT(e," + file + ")}", want: "1"},
		{in: "${STAT(s," + file + ")}", want: "5"},
		{in: "${STAT(f," + file + ")}", want: "1"},
		{in: "${STAT(d," + file + ")}", want: "0"},
		{in: "${STAT(M," + file + ")}", want: "1600000000"},
		{in: "${STAT(A," + file + ")}", want: "1600000000"}, // sic: mtime
		{in: "${STAT(m," + file + ")}", want: "100640"},
		{in: "${STAT(d," + dir + "/sub)}", want: "1"},
		{in: "${STAT(f," + dir + "/sub)}", want: "0"},
		{in: "${STAT(m," + dir + "/sub)}", want: "40755"},
		{in: "${STAT(e," + dir + ")}", want: "1"},
		// Only the flag's first byte counts; an unknown or empty flag is 0.
		{in: "${STAT(size," + file + ")}", want: "5"},
		{in: "${STAT(x," + file + ")}", want: "0"},
		{in: "${STAT(," + file + ")}", want: "0"},
		// The file name is the raw rest after the first comma.
		{in: "${STAT(e," + dir + "/a,b)}", want: "1"},
		{in: `${STAT(e,"` + file + `")}`, want: "0"},
		// A missing file gives 0; no comma, no file.
		{in: "${STAT(e," + dir + "/nope)}", want: "0"},
		{in: "${STAT(e)}", want: "0"},
		{in: "${STAT(e,)}", want: "0"},
		// Relative names are resolved against the data directory.
		{in: "${STAT(s,f.cfg)}", want: "5"},
		{in: "${STAT(d,sub)}", want: "1"},
		// Symbolic links are followed; confinement applies to where they
		// lead.
		{in: "${STAT(s," + dir + "/in)}", want: "5"},
		{in: "${STAT(s," + dir + "/subback)}", want: "5"},
		{in: "${STAT(e," + dir + "/out)}", want: "0"},
		{in: "${STAT(e," + dir + "/outdir)}", want: "0"},
		{in: "${STAT(e," + dir + "/dangle)}", want: "0"},
		// Outside the data directory, however named, a file is missing.
		{in: "${STAT(e," + outside + "/secret)}", want: "0"},
		{in: "${STAT(e," + dir + "/../" + filepath.Base(outside) + "/secret)}", want: "0"},
		{in: "${STAT(e,../" + filepath.Base(outside) + "/secret)}", want: "0"},
		{in: "${STAT(e,/)}", want: "0"},
		// ...but a path that wanders out and back in is inside.
		{in: "${STAT(s," + dir + "/../" + filepath.Base(dir) + "/f.cfg)}", want: "5"},
	})
	// No data directory: STAT sees nothing.
	runCases(t, Config{}, []tcase{
		{in: "${STAT(e," + file + ")}", want: "0"},
	})
	// The data directory may itself be reached through a link.
	alias := filepath.Join(outside, "alias")
	if err := os.Symlink(dir, alias); err != nil {
		t.Fatal(err)
	}
	runCases(t, Config{DataDir: alias}, []tcase{
		{in: "${STAT(s," + file + ")}", want: "5"},
		{in: "${STAT(s," + alias + "/f.cfg)}", want: "5"},
		{in: "${STAT(e," + outside + "/secret)}", want: "0"},
	})
}

func TestStockTemplate(t *testing.T) {
	// The stock 000000000000.cfg: CONFIG_FILES lists custom.cfg when STAT
	// finds it, with IF's quote stripping and trimming ("custom.cfg,"),
	// and $[ ] evaluated by a stand-in that passes its operand through.
	tmpl, err := os.ReadFile("../../../shared/asterisk/samples/phoneprov/000000000000.cfg")
	if err != nil {
		t.Fatal("stock template (../shared/asterisk beside the repository):", err)
	}
	dir := t.TempDir()
	custom := filepath.Join(dir, "custom.cfg")
	e := subst.New(subst.Config{
		Funcs: subst.NewRegistry(Functions(Config{DataDir: dir, Location: time.UTC})...),
		Expr:  func(s string) string { return s },
	})
	v := vars("MAC", "0004f2a1b2c3", "CUSTOM_CONFIG", custom)
	render := func(opts subst.Options) string {
		text := e.Substitute(string(tmpl), v, opts).Text
		_, rest, _ := strings.Cut(text, `CONFIG_FILES="`)
		files, _, _ := strings.Cut(rest, `"`)
		return files
	}
	if got := render(subst.Options{}); got != "config/0004f2a1b2c3, sip.cfg" {
		t.Errorf("no custom.cfg: %q", got)
	}
	if err := os.WriteFile(custom, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := render(subst.Options{}); got != "custom.cfg,config/0004f2a1b2c3, sip.cfg" {
		t.Errorf("with custom.cfg: %q", got)
	}
	// On an HTTP thread Asterisk blocks STAT, and custom.cfg never shows.
	if got := render(subst.Options{InhibitEscalations: true}); got != "config/0004f2a1b2c3, sip.cfg" {
		t.Errorf("escalations inhibited: %q", got)
	}
}
