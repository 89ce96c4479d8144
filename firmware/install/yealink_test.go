package install

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The real Yealink v86 plugin's package database, beside the repository.
const yealinkPlugin = "../../../shared/provd/plugins/wazo-yealink-v86"

// rewriteFiles returns a pkgs.db with the url and sha1sum of some
// [file_ID] sections replaced, everything else as it is.
func rewriteFiles(db string, repl map[string][2]string) string {
	var out []string
	section := ""
	for _, line := range strings.Split(db, "\n") {
		if strings.HasPrefix(line, "[") {
			section = strings.TrimSuffix(strings.TrimPrefix(line, "["), "]")
		}
		if r, ok := repl[section]; ok {
			switch {
			case strings.HasPrefix(line, "url:"):
				line = "url: " + r[0]
			case strings.HasPrefix(line, "sha1sum:"):
				line = "sha1sum: " + r[1]
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// sized returns n bytes of test content.
func sized(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i ^ i>>9)
	}
	return b
}

// zipOfSize builds a zip (stored) of exactly size bytes by padding a
// member outside the paths the recipe copies.
func zipOfSize(t *testing.T, size int, members ...member) []byte {
	pad := member{name: "Yealink_SIP_Phones_Language_Packs/padding.txt"}
	z := zipOf(t, append(members, pad)...)
	pad.body = string(sized(size - len(z)))
	z = zipOf(t, append(members, pad)...)
	if len(z) != size {
		t.Fatalf("zip of %d bytes, want %d", len(z), size)
	}
	return z
}

// TestYealinkPackages installs two packages of the real Yealink v86
// pkgs.db — its firmware for the T27G and its language pack — from a
// local server: same file names and sizes, test content with its own
// SHA-1. The files must land where the plugin's templates point phones
// (firmware/<rom>, lang/<model>/...), and remove must take them away.
func TestYealinkPackages(t *testing.T) {
	real, err := os.ReadFile(filepath.Join(yealinkPlugin, "pkgs", "pkgs.db"))
	if err != nil {
		t.Fatal(err)
	}
	srv := newFiles(t)
	rom := sized(16480816) // the T27G firmware's size
	romURL, romSum := srv.put("T27G-69.86.0.15.rom", rom)
	lang := zipOfSize(t, 2996116, // the language pack's size
		member{name: "Yealink_SIP_Phones_Language_Packs/GUI/T27-CP920/004.GUI.French.lang", body: "fr"},
		member{name: "Yealink_SIP_Phones_Language_Packs/GUI/T46S-T54W/004.GUI.French.lang", body: "fr46"},
		member{name: "Yealink_SIP_Phones_Language_Packs/GUI/T46S-T54W/000.GUI.English.lang", body: "en46"})
	langURL, langSum := srv.put("Yealink_SIP_Phones_Language_Packs.zip", lang)
	db := rewriteFiles(string(real), map[string][2]string{
		"file_T27G-fw":                {romURL, romSum},
		"file_T2X_T4X_T5X_CP920-lang": {langURL, langSum},
	})
	static, err := os.ReadFile(filepath.Join(yealinkPlugin, "var", "tftpboot", "directory_setting.xml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := plugin(t, db, map[string]string{"directory_setting.xml": string(static)})
	in, out := installer(t, dir)
	if len(in.DB.Packages) != 19 {
		t.Fatalf("%d packages", len(in.DB.Packages))
	}
	if err := in.Install(context.Background(), "T27G-fw", "T2X_T4X_T5X_CP920-lang"); err != nil {
		t.Fatal(err)
	}
	tftp := filepath.Join(dir, TFTPBootDir)
	got, err := os.ReadFile(filepath.Join(tftp, "firmware", "T27G-69.86.0.15.rom"))
	if err != nil || !bytes.Equal(got, rom) {
		t.Fatalf("firmware/T27G-69.86.0.15.rom: %v", err)
	}
	want := "directory_setting.xml=" + sha(static) + "\nfirmware/\nfirmware/T27G-69.86.0.15.rom=" + sha(rom) +
		"\nlang/\nlang/T27-CP920/\nlang/T27-CP920/004.GUI.French.lang=fr\nlang/T46S-T54W/\nlang/T46S-T54W/000.GUI.English.lang=en46\nlang/T46S-T54W/004.GUI.French.lang=fr46"
	if got := snapshot(t, tftp); got != want {
		t.Errorf("var/tftpboot:\n%s\nwant\n%s", got, want)
	}
	rec := readRecord(t, dir, "T2X_T4X_T5X_CP920-lang")
	if fmt.Sprint(rec["files"]) != "[lang/ lang/T27-CP920/ lang/T27-CP920/004.GUI.French.lang lang/T46S-T54W/ lang/T46S-T54W/000.GUI.English.lang lang/T46S-T54W/004.GUI.French.lang]" ||
		rec["description_fr"] != "Paquet de langues pour T27, T41S, T42S, T46S, T48S, T53, T53W, T54W, T57W et CP920" {
		t.Errorf("record: %v", rec)
	}
	t.Logf("report:\n%s", out)

	if err := in.Remove(context.Background(), "T27G-fw", "T2X_T4X_T5X_CP920-lang"); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, tftp); got != "directory_setting.xml="+sha(static) {
		t.Errorf("after remove:\n%s", got)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, InstalledDir)); len(entries) != 0 {
		t.Errorf("records left: %v", entries)
	}
}
