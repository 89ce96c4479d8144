package grandstream_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family/grandstream"
	"github.com/phoneprovd/phoneprovd/family/profiletest"
)

// p returns account n's P-value for a setting: account 1 uses p1, accounts
// 2 to 4 use P<n+2><suffix> (Grandstream's P-value tables;
// grandstream/README.md).
func p(n int, p1, suffix string) string {
	if n == 1 {
		return "gs_provision/config/P" + p1
	}
	return fmt.Sprintf("gs_provision/config/P%d%s", n+2, suffix)
}

// formats are what the profile's templates render.
var formats = profiletest.Formats{
	"grandstream/cfg.xml": {
		DST:   grandstreamDST,
		Parse: profiletest.ElementFormat,
		Line: func(n int) profiletest.LineKeys {
			return profiletest.LineKeys{
				Users:   []string{p(n, "35", "04"), p(n, "36", "05")},
				Secret:  p(n, "34", "06"),
				Display: p(n, "3", "07"),
				Server:  p(n, "47", "02"),
			}
		},
		Fixed: map[string]string{"gs_provision/config/P4428": "1"},
		Refs: map[string]string{
			"gs_provision/config/P237": "/cfg" + profiletest.MACMarker + ".xml",
			"gs_provision/config/P331": "/phonebook.xml",
		},
		// P212, the config upgrade protocol: 1 HTTP, 2 HTTPS, as reached.
		Scheme: func(s profiletest.Settings, scheme string) error {
			want := map[string]string{"http": "1", "https": "2"}[scheme]
			if got, _ := s.One("gs_provision/config/P212"); got != want {
				return fmt.Errorf("P212 = %q over %s, want %q", got, scheme, want)
			}
			return nil
		},
	},
	"grandstream/phonebook.xml": {
		Parse: profiletest.ElementFormat,
		Book: func(root *profiletest.XMLNode) (string, []profiletest.Entry) {
			return root.Name, profiletest.Entries(root, "Contact", "LastName", "phonenumber")
		},
		BookRoot: "AddressBook",
	},
}

// grandstreamDST reads the POSIX zone of P246: "STD+05:00DST,M3.2.0/2,
// M11.1.0/2" (week 5 = last, weekday 0 = Sunday).
func grandstreamDST(s profiletest.Settings) (profiletest.DSTRule, bool, error) {
	var a profiletest.Numbers
	tz := a.One(s, "gs_provision/config/P246")
	_, rules, on := strings.Cut(tz, "DST,")
	if !on {
		return profiletest.DSTRule{}, false, a.Err
	}
	parts := strings.Split(rules, ",")
	if len(parts) != 2 {
		return profiletest.DSTRule{}, true, fmt.Errorf("P246 = %q: not two M rules", tz)
	}
	change := func(m string) profiletest.DSTChange {
		date, hour, _ := strings.Cut(strings.TrimPrefix(m, "M"), "/")
		f := strings.Split(date, ".")
		if len(f) != 3 || !strings.HasPrefix(m, "M") {
			a.Err = fmt.Errorf("P246 = %q: %q is not Mm.w.d/h", tz, m)
			return profiletest.DSTChange{}
		}
		return profiletest.DSTChange{Month: a.N("P246", f[0]), Week: a.N("P246", f[1]), Wday: a.N("P246", f[2]), Hour: a.N("P246", hour)}
	}
	return profiletest.DSTRule{Start: change(parts[0]), End: change(parts[1]), Save: 60}, true, a.Err
}

// TestProfile checks the Grandstream profile in the sample configuration.
func TestProfile(t *testing.T) { profiletest.CheckProfile(t, grandstream.Family(), formats) }

// TestTimeSettings pins the time settings derived from the users' zones.
// America/New_York (the pjsip phone): POSIX rule, second Sunday of March
// to first Sunday of November. America/Sao_Paulo: -3, no DST since 2019.
func TestTimeSettings(t *testing.T) {
	profiletest.CheckSettings(t, formats, []profiletest.Setting{
		{URI: "cfg000b82a20002.xml", Key: "gs_provision/config/P246", Want: "STD+05:00DST,M3.2.0/2,M11.1.0/2"},
		{URI: "cfg000b82a20002.xml", Key: "gs_provision/config/P64", Want: "customize"},
		{URI: "cfg000b82a10001.xml", Key: "gs_provision/config/P246", Want: "STD+03:00"},
	})
}
