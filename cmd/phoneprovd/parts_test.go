package main

import (
	"net"
	"slices"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// TestListPartsOrder: every part comes after those it uses, so that it
// starts after them and stops before them.
func TestListPartsOrder(t *testing.T) {
	listen := func() net.Listener {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		return ln
	}
	conf, data := writeSite(t, goodSite())
	s := settings.Defaults()
	s.General.StateDir = t.TempDir()
	lp, err := newLogPart(new(logWriterSink), "text", "info")
	if err != nil {
		t.Fatal(err)
	}
	adm := admin.New("test")
	parts, err := listParts(house{flags: &serveFlags{dirs: dirFlags{conf, data}}, settings: s, log: lp,
		daemon: daemon.New(daemon.Config{}), admin: adm, http: listen(), adminListener: listen()})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range parts {
		names = append(names, p.Name())
	}
	before := func(a, b string) {
		i, j := slices.Index(names, a), slices.Index(names, b)
		if i < 0 || j < 0 || i >= j {
			t.Errorf("%s must come before %s: %q", a, b, names)
		}
	}
	for _, users := range []string{"inventory", "resync", "last_good"} {
		before("state", users)
	}
	before("asterisk", "config") // the first load asks Asterisk
	before("admin", "config")    // /healthz while the first configuration loads
	for _, after := range []string{"resync", "http", "tftp"} {
		before("config", after)
	}
	before("security", "http")
	for _, p := range []string{"http", "tftp", "resync"} {
		before(p, "watch")
	}
}

// logWriterSink discards the log.
type logWriterSink struct{}

func (*logWriterSink) Write(p []byte) (int, error) { return len(p), nil }
