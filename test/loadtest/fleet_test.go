package loadtest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// TestFleet loads generated fleets with the engine phoneprovd serves from
// and checks the profile the benchmark claims: every phone has 4 dynamic
// and 2 static routes, PP_EACH_EXTENSION renders one registration per
// line, and dynamic bodies average about 1.2 KB.
func TestFleet(t *testing.T) {
	tests := []struct {
		phones       int
		wantTwoLines int // phones i with i%4 == 3
	}{
		{phones: 1, wantTwoLines: 0},
		{phones: 4, wantTwoLines: 1},
		{phones: 9, wantTwoLines: 2},
	}
	for _, tt := range tests {
		root := t.TempDir()
		f, err := generateFleet(root, tt.phones)
		if err != nil {
			t.Fatal(err)
		}
		snap, err := phoneprov.Load(phoneprov.Options{ConfigDir: f.confDir, DataDir: f.dataDir, LocalZone: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		// Every user is added; a problem would drop phones.
		for _, d := range snap.Diagnostics {
			t.Errorf("%d phones: %s", tt.phones, d)
		}
		if got := len(snap.Phones()); got != tt.phones {
			t.Errorf("%d phones: snapshot has %d", tt.phones, got)
		}
		twoLines, dynamicBytes, dynamicFiles := 0, 0, 0
		for _, p := range f.phones {
			if p.lines == 2 {
				twoLines++
			}
			if got := len(snap.Phone(p.mac).Lines); got != p.lines {
				t.Errorf("%s: %d lines, want %d", p.mac, got, p.lines)
			}
			static := 0
			for i, path := range p.paths {
				// The route is what follows /phoneprov/, exactly.
				route := snap.Route(strings.TrimPrefix(path, "/phoneprov/"))
				if route == nil {
					t.Errorf("%s: no route", path)
					continue
				}
				if route.Static() != p.static[i] {
					t.Errorf("%s: static %v, marked %v", path, route.Static(), p.static[i])
				}
				if route.Static() {
					static++
					continue
				}
				body, err := snap.Render(route, "127.0.0.1")
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if bytes.Contains(body.Bytes(), []byte("${")) || len(body.Bytes()) == 0 {
					t.Errorf("%s: not fully substituted:\n%s", path, body.Bytes())
				}
				dynamicBytes += len(body.Bytes())
				dynamicFiles++
				// PP_EACH_EXTENSION renders reg.cfg once per line.
				if strings.HasSuffix(path, "-phone.cfg") {
					if got := bytes.Count(body.Bytes(), []byte(`.auth.password="`)); got != p.lines {
						t.Errorf("%s: %d registrations, want %d", path, got, p.lines)
					}
				}
			}
			if static != 2 {
				t.Errorf("%s: %d static routes, want 2", p.mac, static)
			}
		}
		if twoLines != tt.wantTwoLines {
			t.Errorf("%d phones: %d with two lines, want %d", tt.phones, twoLines, tt.wantTwoLines)
		}
		if avg := dynamicBytes / dynamicFiles; avg < 900 || avg > 1600 {
			t.Errorf("%d phones: dynamic bodies average %d bytes, want about 1.2 KB", tt.phones, avg)
		}
		if got := len(f.paths()); got != 4*tt.phones+2 {
			t.Errorf("%d phones: %d distinct paths, want %d", tt.phones, got, 4*tt.phones+2)
		}
	}
}

// TestFleetDeterministic checks that the same size gives the same bytes,
// so runs are comparable.
func TestFleetDeterministic(t *testing.T) {
	read := func(n int) []byte {
		f, err := generateFleet(t.TempDir(), n)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(f.confDir, "users.conf"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if a, b := read(12), read(12); !bytes.Equal(a, b) {
		t.Error("two fleets of 12 phones differ")
	}
	for _, n := range []int{0, -1, 1<<24 + 1} {
		if _, err := generateFleet(t.TempDir(), n); err == nil {
			t.Errorf("a fleet of %d phones was generated", n)
		}
	}
}
