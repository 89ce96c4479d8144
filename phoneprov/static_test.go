package phoneprov

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestStaticFiles(t *testing.T) {
	s := newSite(t).cf("phoneprov.conf", dumpProfile+"static_file => small.cfg\nstatic_file => big.ld\nstatic_file => late.cfg\n").
		tmpl("dump.cfg", "x").tmpl("small.cfg", "small").tmpl("big.ld", strings.Repeat("f", maxCachedStatic+1)).
		cf("users.conf", oneUser)
	snap := s.load()
	// Small files are kept in memory, resolved once.
	sf, err := snap.Static(snap.Route("small.cfg"))
	if err != nil || string(sf.Data) != "small" || sf.Size != 5 || !strings.HasSuffix(sf.Path, "/phoneprov/small.cfg") {
		t.Errorf("small: %+v %v", sf, err)
	}
	// Firmware-sized files are streamed: no copy in memory.
	sf, err = snap.Static(snap.Route("big.ld"))
	if err != nil || sf.Data != nil || sf.Size != maxCachedStatic+1 {
		t.Errorf("big: data %d bytes, size %d, %v", len(sf.Data), sf.Size, err)
	}
	// Missing at load: resolved per request, so it can appear.
	if _, err := snap.Static(snap.Route("late.cfg")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	s.tmpl("late.cfg", "now here")
	if sf, err := snap.Static(snap.Route("late.cfg")); err != nil || sf.Size != 8 {
		t.Errorf("appeared: %+v %v", sf, err)
	}
}
