package phoneprov

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// manyPhones is a users.conf of n phones, one line each; phone i is
// 0004f2 followed by i in six hex digits.
func manyPhones(n int, fullname func(i int) string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[%d]\nusername = %d\nfullname = %s\nmacaddress = 0004f2%06x\nautoprov = yes\n", 7000+i, 7000+i, fullname(i), i)
	}
	return b.String()
}

func TestFingerprintsOfAReloadMatchAFreshLoad(t *testing.T) {
	// More phones than a worker takes at once, so that every worker
	// fingerprints some; the reload reuses every body but phone 250's, and
	// its fingerprints must be those of a load that rendered everything.
	const n = 300
	name := func(i int) string { return fmt.Sprintf("User %d", i) }
	s := newSite(t).cf("phoneprov.conf", dumpProfile).
		tmpl("dump.cfg", "${USERNAME}|${PP_EACH_EXTENSION(${MAC},line.cfg)}").
		tmpl("line.cfg", "${LINE}=${DISPLAY_NAME};").
		cf("users.conf", manyPhones(n, name))
	var count renderCounter
	s.options.Observer = &count
	first := s.load()
	before := first.Fingerprints("192.0.2.1", nil)
	if len(before) != n || slices.Contains(slices.Collect(maps.Values(before)), Fingerprint{}) {
		t.Fatalf("%d fingerprints for %d phones, or one was not computed", len(before), n)
	}

	s.cf("users.conf", manyPhones(n, func(i int) string {
		if i == 250 {
			return "Renamed"
		}
		return name(i)
	}))
	second := s.load()
	rendered := count.renders.Load()
	after := second.Fingerprints("192.0.2.1", first)
	if got := count.renders.Load() - rendered; got != 1 {
		t.Errorf("the reload rendered %d bodies, want 1", got)
	}
	changes := Diff(before, after)
	if !slices.Equal(changes.Changed, []string{"0004f20000fa"}) || changes.Unchanged != n-1 || len(changes.Added)+len(changes.Removed) != 0 {
		t.Errorf("changes = %+v", changes)
	}
	fresh := s.load().Fingerprints("192.0.2.1", nil)
	if !maps.Equal(after, fresh) {
		t.Error("the fingerprints of a reload that reused bodies differ from those of a fresh load")
	}
	if got := s.render(second, "0004f20000fa.cfg", "192.0.2.1"); got != "7250|1=Renamed;" {
		t.Errorf("phone 250 = %q", got)
	}
}
