package plugin

import (
	"os"
	"strings"
	"testing"
)

// FuzzParseInfo: ParseInfo never panics, and what it accepts has its
// required fields and well-formed capabilities.
func FuzzParseInfo(f *testing.F) {
	for _, p := range []string{"../../shared/provd/plugins/wazo-digium-1.4.0.0/plugin-info", "../../shared/provd/plugins/wazo-yealink-v86/plugin-info"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"version": "1", "description": "d", "capabilities": {"A, B(C)(D), 1": {"lines": 2}}}`))
	f.Add([]byte(`{"version": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := ParseInfo(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		for _, c := range info.Capabilities {
			if c.Vendor == "" || c.Model == "" || c.Version == "" || c.Lines < -1 {
				t.Fatalf("capability %+v", c)
			}
		}
		for _, m := range info.Models() {
			if m.Model == "" && !strings.HasPrefix(m.Model, "(") {
				continue
			}
		}
	})
}

// FuzzParsePkgsDB: ParsePkgsDB never panics; errors name the file and a
// line; accepted packages name only files and recipes that exist.
func FuzzParsePkgsDB(f *testing.F) {
	for _, p := range []string{"../../shared/provd/plugins/wazo-digium-1.4.0.0/pkgs/pkgs.db", "../../shared/provd/plugins/wazo-yealink-v86/pkgs/pkgs.db"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("[pkg_a]\nfiles: x\n  y\n[file_x]\nurl:\nsize: 1\nsha1sum: 0000000000000000000000000000000000000000\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := ParsePkgsDB("pkgs.db", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "pkgs.db") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for _, p := range pkgs {
			if p.ID == "" {
				t.Fatalf("package without an id: %+v", p)
			}
		}
	})
}
