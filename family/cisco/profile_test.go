package cisco_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family/cisco"
	"github.com/phoneprovd/phoneprovd/family/profiletest"
)

// formats are what the profiles' templates render (the SPA/MPP and 79xx
// administration guides; cisco-spa/README.md, cisco-79xx/README.md).
var formats = profiletest.Formats{
	"cisco-spa/flat-profile.xml": {
		DST:   ciscoSPADST,
		Parse: profiletest.ElementFormat,
		Line: func(n int) profiletest.LineKeys {
			k := func(name string) string { return fmt.Sprintf("flat-profile/%s_%d_", name, n) }
			return profiletest.LineKeys{
				Users:   []string{k("User_ID")},
				Secret:  k("Password"),
				Display: k("Display_Name"),
				Server:  k("Proxy"),
			}
		},
		Fixed: map[string]string{"flat-profile/Resync_From_SIP": "Yes"},
		Refs: map[string]string{
			"flat-profile/Profile_Rule":              "",
			"flat-profile/XML_Directory_Service_URL": "",
		},
	},
	"cisco-spa/directory.xml": {Parse: profiletest.ElementFormat, Book: profiletest.DirectoryBook, BookRoot: "CiscoIPPhoneDirectory"},
	"cisco-79xx/sep.cnf.xml": {
		Parse: profiletest.ElementFormat,
		Line: func(n int) profiletest.LineKeys {
			k := func(name string) string { return fmt.Sprintf("device/sipProfile/sipLines/line[%d]/%s", n, name) }
			return profiletest.LineKeys{
				Users:   []string{k("name"), k("authName")},
				Secret:  k("authPassword"),
				Display: k("displayName"),
				Server:  k("proxy"),
				Port:    k("port"),
			}
		},
		Fixed: map[string]string{"device/deviceProtocol": "SIP"},
		Refs: map[string]string{
			"device/sipProfile/dialTemplate": "",
			"device/directoryURL":            "",
		},
	},
	"cisco-79xx/directory.xml": {Parse: profiletest.ElementFormat, Book: profiletest.DirectoryBook, BookRoot: "CiscoIPPhoneDirectory"},
}

// ciscoSPADST reads Daylight_Saving_Time_Rule, "start=M/D/W/H:m:s;end=…;
// save=H": the first weekday W (1 = Monday … 7 = Sunday) on or after day D,
// or on or before the month's last day for D = -1.
func ciscoSPADST(s profiletest.Settings) (profiletest.DSTRule, bool, error) {
	var a profiletest.Numbers
	if a.One(s, "flat-profile/Daylight_Saving_Time_Enable") != "Yes" {
		if v, _ := s.One("flat-profile/Daylight_Saving_Time_Rule"); v != "" {
			return profiletest.DSTRule{}, false, fmt.Errorf("DST disabled but a rule is given: %q", v)
		}
		return profiletest.DSTRule{}, false, a.Err
	}
	var r profiletest.DSTRule
	for _, part := range strings.Split(a.One(s, "flat-profile/Daylight_Saving_Time_Rule"), ";") {
		key, value, _ := strings.Cut(part, "=")
		if key == "save" {
			h, m, _ := strings.Cut(value, ":")
			r.Save = a.N("save", h) * 60
			if m != "" {
				r.Save += a.N("save", m)
			}
			continue
		}
		f := strings.Split(value, "/")
		if len(f) != 4 {
			return r, true, fmt.Errorf("%s = %q is not month/day/weekday/time", key, value)
		}
		c := profiletest.DSTChange{Month: a.N(key, f[0]), Wday: a.Monday1(key, f[2])}
		hour, _, _ := strings.Cut(f[3], ":")
		c.Hour = a.N(key, hour)
		if day := a.N(key, f[1]); day == -1 {
			c.Week = 5
		} else {
			c.Week = a.WeekOfFirstDay(key, day)
		}
		switch key {
		case "start":
			r.Start = c
		case "end":
			r.End = c
		default:
			return r, true, fmt.Errorf("unknown rule part %q", key)
		}
	}
	return r, true, a.Err
}

// TestProfile checks the Cisco SPA/MPP and 79xx profiles in the sample
// configuration.
func TestProfile(t *testing.T) { profiletest.CheckProfile(t, cisco.Family(), formats) }

// TestTimeSettings pins the time settings derived from the users' zones.
// America/Phoenix: GMT-07:00 all year. Australia/Sydney: DST from the
// first Sunday (on or after the 1st, weekday 7) of October at 02:00 AEST
// to the first Sunday of April at 03:00 AEDT. Europe/London on the 79xx:
// the Olson name as given; the line without a timezone follows the
// server's zone and has none.
func TestTimeSettings(t *testing.T) {
	profiletest.CheckSettings(t, formats, []profiletest.Setting{
		{URI: "spa00562b0a0001.xml", Key: "flat-profile/Time_Zone", Want: "GMT-07:00"},
		{URI: "spa00562b0a0001.xml", Key: "flat-profile/Daylight_Saving_Time_Enable", Want: "No"},
		{URI: "spa00562b0a0001.xml", Key: "flat-profile/Daylight_Saving_Time_Rule", Want: ""},
		{URI: "spa00562b0a0002.xml", Key: "flat-profile/Time_Zone", Want: "GMT+10:00"},
		{URI: "spa00562b0a0002.xml", Key: "flat-profile/Daylight_Saving_Time_Rule", Want: "start=10/1/7/2:0:0;end=4/1/7/3:0:0;save=1"},
		{URI: "SEP0019AA7E0001.cnf.xml", Key: "device/devicePool/dateTimeSetting/olsonTimeZone", Want: "Europe/London"},
		{URI: "SEP0019AA7E0002.cnf.xml", Key: "device/devicePool/dateTimeSetting/olsonTimeZone", Want: ""},
	})
}
