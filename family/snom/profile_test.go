package snom_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family/profiletest"
	"github.com/phoneprovd/phoneprovd/family/snom"
)

// formats are what the profile's template renders (snom/README.md).
var formats = profiletest.Formats{
	"snom/settings.xml": {
		DST:   snomDST,
		Parse: profiletest.ElementFormat,
		Line: func(n int) profiletest.LineKeys {
			k := func(name string) string { return fmt.Sprintf("settings/phone-settings/%s[%d]", name, n) }
			return profiletest.LineKeys{
				Users:   []string{k("user_name"), k("user_pname")},
				Secret:  k("user_pass"),
				Display: k("user_realname"),
				Server:  k("user_host"),
			}
		},
		Fixed: map[string]string{"settings/phone-settings/challenge_checksync": "off"},
		Refs:  map[string]string{"settings/phone-settings/setting_server": ""},
		Book: func(root *profiletest.XMLNode) (string, []profiletest.Entry) {
			return "tbook", profiletest.Entries(root, "item", "name", "number")
		},
		BookRoot: "tbook",
	},
}

// snomDST reads dst, "<shift in s> MM.WW.DD HH:MM:SS MM.WW.DD HH:MM:SS"
// (week 05 = last, weekday 01 = Monday … 07 = Sunday); empty is off.
func snomDST(s profiletest.Settings) (profiletest.DSTRule, bool, error) {
	var a profiletest.Numbers
	v := a.One(s, "settings/phone-settings/dst")
	if v == "" {
		return profiletest.DSTRule{}, false, a.Err
	}
	f := strings.Fields(v)
	if len(f) != 5 {
		return profiletest.DSTRule{}, true, fmt.Errorf("dst = %q is not shift, start and end", v)
	}
	change := func(date, clock string) profiletest.DSTChange {
		d := strings.Split(date, ".")
		h, _, _ := strings.Cut(clock, ":")
		if len(d) != 3 {
			a.Err = fmt.Errorf("dst = %q: %q is not MM.WW.DD", v, date)
			return profiletest.DSTChange{}
		}
		return profiletest.DSTChange{Month: a.N("dst", d[0]), Week: a.N("dst", d[1]), Wday: a.Monday1("dst", d[2]), Hour: a.N("dst", h)}
	}
	return profiletest.DSTRule{Start: change(f[1], f[2]), End: change(f[3], f[4]), Save: a.N("dst", f[0]) / 60}, true, a.Err
}

// TestProfile checks the Snom profile in the sample configuration.
func TestProfile(t *testing.T) { profiletest.CheckProfile(t, snom.Family(), formats) }

// TestTimeSettings pins the time settings derived from the users' zones.
// Europe/Paris: Snom's "MM.WW.DD HH:MM:SS", last (05) Sunday (07).
// Asia/Tokyo: no DST, empty dst.
func TestTimeSettings(t *testing.T) {
	profiletest.CheckSettings(t, formats, []profiletest.Setting{
		{URI: "000413A20002.xml", Key: "settings/phone-settings/utc_offset", Want: "3600"},
		{URI: "000413A20002.xml", Key: "settings/phone-settings/dst", Want: "3600 03.05.07 02:00:00 10.05.07 03:00:00"},
		{URI: "000413A10001.xml", Key: "settings/phone-settings/utc_offset", Want: "32400"},
		{URI: "000413A10001.xml", Key: "settings/phone-settings/dst", Want: ""},
	})
}
