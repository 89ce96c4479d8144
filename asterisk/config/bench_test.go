package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// generateUsers returns a users.conf with a [general] section, a template
// and n user sections of 15 keys each, shaped like the golden users.conf.
func generateUsers(n int) string {
	var b strings.Builder
	b.WriteString("[general]\nhasvoicemail = no\nhassip = no\nhasiax = no\ncallwaiting = yes\n\n")
	b.WriteString("[phones](!) ; shared settings\nprofile = polycom\nautoprov = yes\n\n")
	for i := 0; i < n; i++ {
		ext := 10000 + i
		fmt.Fprintf(&b, "[%d]\n", ext)
		fmt.Fprintf(&b, "username = %d\nfullname = User Number %d\nsecret = s3cret%d\nhassip = no\n", ext, i, ext)
		fmt.Fprintf(&b, "autoprov = yes\nmacaddress = 0004f2%06x\nprofile = polycom\nLINEKEYS = 1\n", i)
		fmt.Fprintf(&b, "linenumber = 1\ncid_number = %d\nlabel = User %d\nvmexten = 8500\n", ext, i)
		fmt.Fprintf(&b, "timezone = America/New_York\ncontext = default ; per-user context\nallow = ulaw\n\n")
	}
	return b.String()
}

// BenchmarkParseUsers10k parses a users.conf with 10,000 user sections of
// 15 keys each.
func BenchmarkParseUsers10k(b *testing.B) {
	text := generateUsers(10000)
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "users.conf"), []byte(text), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := Load("users.conf", Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if len(c.Sections) != 10002 {
			b.Fatalf("%d sections", len(c.Sections))
		}
	}
}
