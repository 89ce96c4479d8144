package tftpserver

import (
	"os"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
)

// testSite is a one-profile configuration with a dynamic route per phone
// and static routes that are served, climb out with "..", leave through a
// symbolic link, or are missing.
type testSite struct {
	data    string // DATA-DIR
	outside string // a file beside DATA-DIR/phoneprov
	snap    *phoneprov.Snapshot
}

func (s *testSite) Snapshot() *phoneprov.Snapshot { return s.snap }

func newTestSite(t testing.TB) *testSite {
	t.Helper()
	site := phoneprovtest.NewSite(t, map[string]string{
		"etc/phoneprov.conf": "[general]\ndefault_profile = p\n[p]\n" +
			"static_file => ../outside.txt\nstatic_file => link.bin\nstatic_file => missing.bin\n" +
			"static_file => fw/boot.bin\n${MAC}.cfg => t.cfg\n",
		"etc/users.conf":            "[u]\nusername = 6001\nsecret = hunter2-secret\nmacaddress = 0004f2000001\nautoprov = yes\n",
		"lib/phoneprov/t.cfg":       "server=${SERVER} secret=${SECRET}\n",
		"lib/phoneprov/fw/boot.bin": "\x00\x01binary\xff",
		"lib/outside.txt":           "OUTSIDE",
	})
	s := &testSite{data: site.DataDir, outside: site.Path("lib/outside.txt")}
	if err := os.Symlink(s.outside, site.Path("lib/phoneprov/link.bin")); err != nil {
		t.Fatal(err)
	}
	s.snap = site.Load()
	return s
}
