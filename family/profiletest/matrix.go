package profiletest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/expr"
	"github.com/phoneprovd/phoneprovd/asterisk/funcs"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Names with every character XML gives a meaning to, and a "]]>".
const (
	oddName   = `Zoë & "Bob" <O'Neil> ]]>`
	oddLabel  = `R&D <1> "x" 'y'`
	oddSecret = `p&ss<w>"'d;`
)

// matrixZones are the zones of the matrix with their current rules, worked
// out by hand from the zones' laws (nil: no daylight saving time).
var matrixZones = []struct {
	name string
	rule *DSTRule
}{
	// Second Sunday of March and first Sunday of November, at 2:00.
	{"America/Chicago", &DSTRule{Start: DSTChange{3, 2, 0, 2}, End: DSTChange{11, 1, 0, 2}, Save: 60}},
	// Last Sunday of March at 2:00 CET, of October at 3:00 CEST.
	{"Europe/Paris", &DSTRule{Start: DSTChange{3, 5, 0, 2}, End: DSTChange{10, 5, 0, 3}, Save: 60}},
	// First Sunday of October at 2:00 AEST, of April at 3:00 AEDT.
	{"Australia/Sydney", &DSTRule{Start: DSTChange{10, 1, 0, 2}, End: DSTChange{4, 1, 0, 3}, Save: 60}},
	{"Asia/Kolkata", nil},
	{"UTC", nil},
}

// matrixReached are the places phones reach phoneprovd at.
var matrixReached = []phoneprov.Reached{
	{Server: "192.0.2.10", Port: 80, Scheme: "http"},
	{Server: "192.0.2.10", Port: 8080, Scheme: "http"},
	{Server: "192.0.2.10", Port: 8443, Scheme: "https"},
	{Server: "2001:db8::10", Port: 80, Scheme: "http"},
	{Server: "2001:db8::10", Port: 8080, Scheme: "http"},
	{Server: "2001:db8::10", Port: 8443, Scheme: "https"},
}

// writeMatrixSite writes the sample configuration with a users.conf
// holding, for each of profiles, one phone per zone of matrixZones (the
// first with two lines), every name, label and password full of XML's
// special characters, and returns its config and data directories.
func writeMatrixSite(t *testing.T, profiles []string) (string, string) {
	t.Helper()
	dir, data := Sample(t)
	for _, f := range []string{"pjsip.conf", "phoneprovd.conf"} {
		os.Remove(filepath.Join(dir, f))
	}
	var b strings.Builder
	b.WriteString("[general]\nvmexten = 8500\n")
	ext := 7000
	for pi, profile := range profiles {
		for zi, zone := range matrixZones {
			mac := fmt.Sprintf("0c0000%02x%02x01", pi, zi)
			lines := 1
			if zi == 0 {
				lines = 2
			}
			for line := 1; line <= lines; line++ {
				ext++
				fmt.Fprintf(&b, "[%d]\nusername = %d\nfullname = %s %d\nlabel = %s\nsecret = %s%d\ncid_number = %d\n"+
					"macaddress = %s\nprofile = %s\ntimezone = %s\nlinenumber = %d\nautoprov = yes\n\n",
					ext, ext, oddName, ext, oddLabel, oddSecret, ext, ext, mac, profile, zone.name, line)
			}
		}
	}
	// A ';' starts a comment in Asterisk's files: the password's is escaped.
	users := strings.ReplaceAll(b.String(), ";", `\;`)
	if err := os.WriteFile(filepath.Join(dir, "users.conf"), []byte(users), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, data
}

// checkMatrix renders every template of profiles for phones whose names,
// labels and passwords hold & < > " ', in zones with northern, southern and
// no daylight saving time, reached over IPv4 and IPv6 on ports 80, 8080 and
// 8443 (HTTPS), loaded in June and in December: every file must parse,
// carry each line's values exactly, name the server in brackets for IPv6
// with the port reached, and give the zone's week-based DST rule.
func checkMatrix(t *testing.T, profiles []string, formats Formats) {
	dir, data := writeMatrixSite(t, profiles)
	for _, now := range []time.Time{
		time.Date(2026, time.June, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2026, time.December, 7, 12, 0, 0, 0, time.UTC),
	} {
		snap, w := Load(t, dir, data, now)
		if got := len(snap.Phones()); got != len(profiles)*len(matrixZones) {
			t.Fatalf("%d phones, want %d", got, len(profiles)*len(matrixZones))
		}
		withRule, wantRule := map[string]bool{}, map[string]bool{}
		for _, r := range snap.Routes() {
			if r.Static() {
				continue
			}
			f := formats[r.File.Template]
			if f.DST != nil {
				wantRule[r.File.Template] = true
			}
			zone := LineValue(r.Phone.Lines[0], "TIMEZONE")
			for _, at := range matrixReached {
				name := fmt.Sprintf("%s/%s/%s/%s:%d/%s", now.Format("Jan"), zone, r.URI, at.Server, at.Port, at.Scheme)
				t.Run(name, func(t *testing.T) {
					out, err := snap.RenderReached(r, at)
					if err != nil {
						t.Fatal(err)
					}
					s := CheckRendered(t, snap, r, at, string(out.Bytes()), formats)
					if f.Scheme != nil {
						if err := f.Scheme(s, at.Scheme); err != nil {
							t.Error(err)
						}
					}
					if f.DST == nil {
						return
					}
					withRule[r.File.Template] = true
					checkDST(t, f.DST, s, zone)
				})
			}
		}
		if len(withRule) != len(wantRule) {
			t.Errorf("DST rule read from %d templates, want the %d that carry one: %v", len(withRule), len(wantRule), withRule)
		}
		for _, w := range w.list() {
			t.Errorf("logged while loading and rendering: %s", w)
		}
	}
}

// checkDST asserts that the rule a file carries is the zone's.
func checkDST(t *testing.T, read DSTReader, s Settings, zone string) {
	t.Helper()
	var want *DSTRule
	for _, z := range matrixZones {
		if z.name == zone {
			want = z.rule
		}
	}
	got, on, err := read(s)
	switch {
	case err != nil:
		t.Errorf("DST: %v", err)
	case want == nil && on:
		t.Errorf("DST on (%v) in %s, which has none", got, zone)
	case want != nil && !on:
		t.Errorf("DST off in %s, want %v", zone, *want)
	case want != nil && got != *want:
		t.Errorf("DST %v\n            want %v", got, *want)
	}
}

// checkUnderAsterisk renders the templates of profiles as Asterisk would,
// with none of phoneprovd's additions: no PROV_PORT or PROV_SCHEME (URLs
// fall back on http and ASTERISK_HTTP_PORT), and no week-based DST rule,
// which the setvars then work out from Asterisk's dates — right for the
// current year, the best Asterisk can do.
func checkUnderAsterisk(t *testing.T, profiles []string, formats Formats) {
	dir, data := writeMatrixSite(t, profiles)
	for _, now := range []time.Time{
		time.Date(2026, time.June, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2026, time.December, 7, 12, 0, 0, 0, time.UTC),
	} {
		snap, w := Load(t, dir, data, now)
		asteriskVariables(snap)
		reached := phoneprov.Reached{Server: "192.0.2.10"} // all Asterisk knows
		fallback := phoneprov.Reached{Server: "192.0.2.10", Port: 8088, Scheme: "http"}
		for _, r := range snap.Routes() {
			if r.Static() {
				continue
			}
			out, err := snap.RenderReached(r, reached)
			if err != nil {
				t.Fatal(err)
			}
			s := CheckRendered(t, snap, r, fallback, string(out.Bytes()), formats)
			if f := formats[r.File.Template]; f.DST != nil {
				checkDST(t, f.DST, s, LineValue(r.Phone.Lines[0], "TIMEZONE"))
			}
		}
		for _, w := range w.list() {
			t.Errorf("logged while loading and rendering: %s", w)
		}
	}
}

// asteriskVariables gives every line of snap the variables Asterisk would
// give it: phoneprovd's DST rule is removed, and the profile's setvars are
// substituted again against what remains, in order, as res_phoneprov does
// (docs/asterisk.md#setvars).
func asteriskVariables(snap *phoneprov.Snapshot) {
	eng := subst.New(subst.Config{
		Funcs: subst.NewRegistry(funcs.Functions(funcs.Config{Location: time.UTC})...),
		Expr:  expr.Eval,
	})
	for _, p := range snap.Phones() {
		drop := map[string]bool{}
		for _, name := range phoneprov.DSTRuleVariables {
			drop[name] = true
		}
		for _, sv := range p.Profile.Setvars {
			drop[sv.Name] = true
		}
		for _, l := range p.Lines {
			var vars subst.Vars
			for _, v := range l.Vars {
				if !drop[v.Name] {
					vars = append(vars, v)
				}
			}
			for _, sv := range p.Profile.Setvars {
				if !vars.Has(sv.Name) {
					vars = append(vars, subst.Var{Name: sv.Name, Value: eng.String(sv.Value, vars)})
				}
			}
			l.Vars = vars
		}
	}
}
