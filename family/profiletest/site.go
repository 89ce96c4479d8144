package profiletest

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/conf"
	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// FixedNow is the clock of the tests: 15 June 2026, daylight saving time
// in the northern hemisphere, standard time in the southern one. Asterisk's
// DST_* variables are the two changes around it
// (docs/asterisk.md#time-zone-variables).
var FixedNow = time.Date(2026, time.June, 15, 12, 0, 0, 0, time.UTC)

// RequestServer is the address the phones reach phoneprovd at: SERVER,
// since the sample phoneprov.conf sets no serveraddr
// (docs/asterisk.md#server).
const RequestServer = "192.0.2.10"

// ReachedAt is how the phones reach phoneprovd in the tests of the sample
// configuration: RequestServer, port 8080.
var ReachedAt = phoneprov.Reached{Server: RequestServer, Port: 8080, Scheme: "http"}

// Sample writes the sample configuration (package conf: conf/ and every
// family's profile) into a temporary directory and returns its config and
// data directories.
func Sample(t testing.TB) (configDir, dataDir string) {
	t.Helper()
	s, err := conf.Default()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	configDir, dataDir = filepath.Join(root, "etc"), filepath.Join(root, "lib")
	if err := s.Write(configDir, dataDir, false); err != nil {
		t.Fatal(err)
	}
	return configDir, dataDir
}

// Load loads the configuration of configDir and dataDir as of now: what
// loading and rendering log (template mistakes) is recorded in the
// returned Warnings, and any diagnostic fails the test.
func Load(t testing.TB, configDir, dataDir string, now time.Time) (*phoneprov.Snapshot, *Warnings) {
	t.Helper()
	w := &Warnings{}
	snap, err := phoneprov.Load(phoneprov.Options{
		ConfigDir: configDir,
		DataDir:   dataDir,
		LocalZone: time.UTC,
		Now:       func() time.Time { return now },
		Logger:    slog.New(w),
	})
	if err != nil {
		t.Fatalf("loading the sample: %v", err)
	}
	for _, d := range snap.Diagnostics {
		t.Errorf("diagnostic: %s", d)
	}
	return snap, w
}

// Render renders a dynamic route for a phone that reached ReachedAt.
func Render(t testing.TB, snap *phoneprov.Snapshot, r *phoneprov.Route) string {
	t.Helper()
	out, err := snap.RenderReached(r, ReachedAt)
	if err != nil {
		t.Fatalf("render %s: %v", r.URI, err)
	}
	return string(out.Bytes())
}

// Profiles returns the names of the profiles fam ships: the directories of
// its profile (each profile's files live in a directory of its name).
func Profiles(t testing.TB, fam family.Family) []string {
	t.Helper()
	if fam.Profile == nil {
		t.Fatalf("family %s ships no profile", fam.Name)
	}
	ents, err := fs.ReadDir(fam.Profile, ".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		t.Fatalf("family %s's profile has no profile directory", fam.Name)
	}
	return out
}

// CheckRendered checks the body of dynamic route r rendered for a request
// that reached at, the way the phone would read it, and returns its
// settings.
func CheckRendered(t testing.TB, snap *phoneprov.Snapshot, r *phoneprov.Route, at phoneprov.Reached, body string, formats Formats) Settings {
	t.Helper()
	f, ok := formats[r.File.Template]
	if !ok {
		t.Fatalf("route %s: template %s has no format in the family's profile test", r.URI, r.File.Template)
	}
	// Every ${…} the engine knows is replaced; a leftover
	// ${ or %{ is a typo or a PP_EACH_USER template that kept ${.
	for _, marker := range []string{"${", "%{", "$["} {
		if i := strings.Index(body, marker); i >= 0 {
			t.Errorf("unresolved %q at byte %d: %q", marker, i, body[i:min(len(body), i+40)])
		}
	}
	s, root, err := f.Parse(body)
	if err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, body)
	}
	for key, want := range f.Fixed {
		if got, err := s.One(key); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", key, got, err, want)
		}
	}
	host := server(r.Phone.Lines[0], at.Server)
	base := at.Scheme + "://" + hostPort(host, strconv.Itoa(at.Port)) + "/phoneprov/"
	for key, suffix := range f.Refs {
		if err := checkRef(snap, r, s, key, suffix, base); err != nil {
			t.Error(err)
		}
	}
	if err := checkURLs(body, at.Scheme, hostPort(host, strconv.Itoa(at.Port))); err != nil {
		t.Errorf("%v\n%s", err, body)
	}
	if f.Line != nil {
		if err := checkLines(s, f, r.Phone, at.Server); err != nil {
			t.Errorf("%v\n%s", err, body)
		}
	}
	if f.Book != nil {
		rootName, list := f.Book(root)
		if rootName != f.BookRoot {
			t.Errorf("phonebook root <%s>, want <%s>", rootName, f.BookRoot)
		}
		if err := checkBook(list, snap, r.Phone); err != nil {
			t.Error(err)
		}
	}
	return s
}

// CheckProfile runs, for the profiles fam ships, what every shipped profile
// must pass in the sample configuration:
//
//   - every dynamic route of every phone renders to a file the phone reads:
//     well-formed, each line in its account, the fixed settings, files it
//     names that phoneprovd serves, URLs naming the server as reached, the
//     phone book listing every other phone;
//   - the sample users hold a one-line and a two-line phone of each, with a
//     route for every dynamic file;
//   - files every phone fetches under one name (Shared) are the same for
//     every phone;
//   - static XML files are well-formed;
//   - the matrix (AnyNameZoneAddressPort) and Asterisk's own renders
//     (UnderAsterisk).
func CheckProfile(t *testing.T, fam family.Family, formats Formats) {
	profiles := Profiles(t, fam)
	t.Run("render", func(t *testing.T) { checkRenders(t, profiles, formats) })
	t.Run("lines", func(t *testing.T) { checkOneAndTwoLines(t, profiles) })
	t.Run("shared", func(t *testing.T) { checkShared(t, profiles, formats) })
	t.Run("static", func(t *testing.T) { checkStatics(t, profiles) })
	t.Run("matrix", func(t *testing.T) { checkMatrix(t, profiles, formats) })
	t.Run("asterisk", func(t *testing.T) { checkUnderAsterisk(t, profiles, formats) })
}

// loadSample loads the sample as of FixedNow.
func loadSample(t *testing.T) (*phoneprov.Snapshot, *Warnings) {
	t.Helper()
	c, d := Sample(t)
	return Load(t, c, d, FixedNow)
}

// ofProfiles reports whether route r belongs to one of profiles.
func ofProfiles(r *phoneprov.Route, profiles []string) bool {
	return slices.Contains(profiles, r.Profile.Name)
}

func checkRenders(t *testing.T, profiles []string, formats Formats) {
	snap, logged := loadSample(t)
	n := 0
	for _, r := range snap.Routes() {
		if r.Static() || !ofProfiles(r, profiles) {
			continue
		}
		n++
		name := fmt.Sprintf("%s/%s/%s", r.Profile.Name, r.Phone.MAC, r.URI)
		t.Run(name, func(t *testing.T) {
			CheckRendered(t, snap, r, ReachedAt, Render(t, snap, r), formats)
		})
	}
	if n == 0 {
		t.Fatalf("no dynamic route of profiles %v in the sample", profiles)
	}
	for _, w := range logged.list() {
		t.Errorf("logged while loading and rendering: %s", w)
	}
}

// checkOneAndTwoLines checks that the sample users cover a one-line and a
// two-line phone of every profile, and that each has a route for every
// dynamic file of its profile (the URI formats substituted against its
// first line, docs/asterisk.md#lines-of-one-phone).
func checkOneAndTwoLines(t *testing.T, profiles []string) {
	snap, _ := loadSample(t)
	routes := map[string]map[*phoneprov.File]bool{} // MAC → files it has a route for
	for _, r := range snap.Routes() {
		if r.Static() {
			continue
		}
		if routes[r.Phone.MAC] == nil {
			routes[r.Phone.MAC] = map[*phoneprov.File]bool{}
		}
		routes[r.Phone.MAC][r.File] = true
	}
	for _, name := range profiles {
		var prof *phoneprov.Profile
		for _, p := range snap.Profiles {
			if p.Name == name {
				prof = p
			}
		}
		if prof == nil {
			t.Errorf("the sample has no profile [%s]", name)
			continue
		}
		lines := map[int]bool{}
		for _, p := range snap.Phones() {
			if p.Profile != prof {
				continue
			}
			lines[len(p.Lines)] = true
			for _, f := range prof.Dynamic {
				if !routes[p.MAC][f] {
					t.Errorf("[%s]: phone %s has no route for %s", name, p.MAC, f.Format)
				}
			}
		}
		if !lines[1] || !lines[2] {
			t.Errorf("[%s]: phones by number of lines: %v, want a one-line and a two-line phone (conf/users.conf)", name, lines)
		}
	}
}

// checkShared checks that files every phone of a profile fetches under one
// name (Yealink's y0000000000XX.cfg) use no per-phone variable: Asterisk
// adds such a route once per phone and serves the first
// (docs/asterisk.md#routes), so
// any phone's render must be the same.
func checkShared(t *testing.T, profiles []string, formats Formats) {
	snap, _ := loadSample(t)
	byURI := map[string][]*phoneprov.Route{}
	for _, r := range snap.Routes() {
		if !r.Static() && ofProfiles(r, profiles) && formats[r.File.Template].Shared {
			byURI[r.URI] = append(byURI[r.URI], r)
		}
	}
	for uri, rs := range byURI {
		if len(rs) < 2 {
			t.Errorf("%s: %d routes, want one per phone of the profile", uri, len(rs))
			continue
		}
		first := Render(t, snap, rs[0])
		for _, r := range rs[1:] {
			if got := Render(t, snap, r); got != first {
				t.Errorf("%s differs between %s and %s:\n%s\n---\n%s", uri, rs[0].Phone.MAC, r.Phone.MAC, first, got)
			}
		}
		if snap.Route(uri) != rs[0] {
			t.Errorf("%s: lookup does not return the first route", uri)
		}
	}
}

// checkStatics parses the static files the profiles serve as they are.
func checkStatics(t *testing.T, profiles []string) {
	snap, _ := loadSample(t)
	for _, r := range snap.Routes() {
		if !r.Static() || !ofProfiles(r, profiles) {
			continue
		}
		path, err := snap.StaticPath(r)
		if err != nil {
			t.Errorf("%s: %v", r.URI, err)
			continue
		}
		if !strings.HasSuffix(path, ".xml") {
			continue
		}
		body, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", r.URI, err)
			continue
		}
		if _, err := ParseXML(string(body)); err != nil {
			t.Errorf("%s: not well-formed: %v", r.URI, err)
		}
	}
}

// Setting is a setting a rendered file must have.
type Setting struct {
	URI  string // route
	Key  string // setting
	Want string // value, or Absent
}

// Absent as Setting.Want: the setting must be left out.
const Absent = "\x00absent"

// CheckSettings renders the sample's routes as of FixedNow and checks
// settings, e.g. the time zone and DST settings each format derives from
// the user's zone.
func CheckSettings(t *testing.T, formats Formats, settings []Setting) {
	snap, _ := loadSample(t)
	for _, tt := range settings {
		r := snap.Route(tt.URI)
		if r == nil || r.Static() {
			t.Errorf("%s: no dynamic route", tt.URI)
			continue
		}
		f, ok := formats[r.File.Template]
		if !ok {
			t.Errorf("%s: template %s has no format", tt.URI, r.File.Template)
			continue
		}
		s, _, err := f.Parse(Render(t, snap, r))
		if err != nil {
			t.Errorf("%s: %v", tt.URI, err)
			continue
		}
		if tt.Want == Absent {
			if v, ok := s[tt.Key]; ok {
				t.Errorf("%s: %s = %q, want it left out", tt.URI, tt.Key, v)
			}
			continue
		}
		if got, err := s.One(tt.Key); err != nil || got != tt.Want {
			t.Errorf("%s: %s = %q (%v), want %q", tt.URI, tt.Key, got, err, tt.Want)
		}
	}
}
