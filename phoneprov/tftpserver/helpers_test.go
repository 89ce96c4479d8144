package tftpserver

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
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
	root := t.TempDir()
	conf, data := filepath.Join(root, "etc"), filepath.Join(root, "lib")
	s := &testSite{data: data, outside: filepath.Join(data, "outside.txt")}
	files := map[string]string{
		filepath.Join(conf, "phoneprov.conf"): "[general]\ndefault_profile = p\n[p]\n" +
			"static_file => ../outside.txt\nstatic_file => link.bin\nstatic_file => missing.bin\n" +
			"static_file => fw/boot.bin\n${MAC}.cfg => t.cfg\n",
		filepath.Join(conf, "users.conf"):            "[u]\nusername = 6001\nsecret = hunter2-secret\nmacaddress = 0004f2000001\nautoprov = yes\n",
		filepath.Join(data, "phoneprov/t.cfg"):       "server=${SERVER} secret=${SECRET}\n",
		filepath.Join(data, "phoneprov/fw/boot.bin"): "\x00\x01binary\xff",
		s.outside: "OUTSIDE",
	}
	for p, c := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(s.outside, filepath.Join(data, "phoneprov/link.bin")); err != nil {
		t.Fatal(err)
	}
	snap, err := phoneprov.Load(phoneprov.Options{
		ConfigDir: conf,
		DataDir:   data,
		Now:       func() time.Time { return time.Date(2026, 11, 22, 7, 17, 42, 0, time.UTC) },
		LocalZone: time.UTC,
	})
	if err != nil {
		t.Fatal(err)
	}
	s.snap = snap
	return s
}
