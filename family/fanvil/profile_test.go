package fanvil_test

import (
	"fmt"
	"testing"

	"github.com/phoneprovd/phoneprovd/family/fanvil"
	"github.com/phoneprovd/phoneprovd/family/profiletest"
)

// formats are what the profile's templates render (fanvil/README.md).
var formats = profiletest.Formats{
	"fanvil/sysconf.xml": {
		DST:   fanvilDST,
		Parse: profiletest.ElementFormat,
		Line: func(n int) profiletest.LineKeys {
			k := func(name string) string { return fmt.Sprintf("sysConf/sip/line[%d]/%s", n, name) }
			return profiletest.LineKeys{
				Users:   []string{k("PhoneNumber"), k("RegisterUser")},
				Secret:  k("RegisterPswd"),
				Display: k("DisplayName"),
				Server:  k("RegisterAddr"),
				Port:    k("RegisterPort"),
			}
		},
		Fixed: map[string]string{"sysConf/sip/NotifyReboot": "1"},
		Refs:  map[string]string{"sysConf/phone/xmlContact[1]/Addr": ""},
	},
	"fanvil/phonebook.xml": {Parse: profiletest.ElementFormat, Book: profiletest.DirectoryBook, BookRoot: "FanvilIPPhoneDirectory"},
}

// fanvilDST reads phone/date: EnableDST 2 (by rule), DSTStart/End Mon, Week
// (-1 = last), Wday (0 = Sunday), Hour, and DSTMinOffset.
func fanvilDST(s profiletest.Settings) (profiletest.DSTRule, bool, error) {
	const p = "sysConf/phone/date/"
	var a profiletest.Numbers
	if a.One(s, p+"EnableDST") != "2" {
		return profiletest.DSTRule{}, false, a.Err
	}
	change := func(which string) profiletest.DSTChange {
		c := profiletest.DSTChange{
			Month: a.N(which, a.One(s, p+"DST"+which+"Mon")),
			Week:  a.N(which, a.One(s, p+"DST"+which+"Week")),
			Wday:  a.N(which, a.One(s, p+"DST"+which+"Wday")),
			Hour:  a.N(which, a.One(s, p+"DST"+which+"Hour")),
		}
		if c.Week == -1 {
			c.Week = 5
		}
		return c
	}
	r := profiletest.DSTRule{Start: change("Start"), End: change("End"), Save: a.N("DSTMinOffset", a.One(s, p+"DSTMinOffset"))}
	return r, true, a.Err
}

// TestProfile checks the Fanvil profile in the sample configuration.
func TestProfile(t *testing.T) { profiletest.CheckProfile(t, fanvil.Family(), formats) }

// TestTimeSettings pins the time settings derived from the users' zones.
// Asia/Kolkata: +5:30 = 22 quarter hours, no DST. Pacific/Auckland: +12 h;
// DST ended 5 April 2026 (first week, 03:00 NZDT) and starts on the last
// Sunday of September (27th, 02:00 NZST).
func TestTimeSettings(t *testing.T) {
	profiletest.CheckSettings(t, formats, []profiletest.Setting{
		{URI: "0c383ea10001.cfg", Key: "sysConf/phone/date/TimeZone", Want: "22"},
		{URI: "0c383ea10001.cfg", Key: "sysConf/phone/date/TimeZoneName", Want: "UTC+5:30"},
		{URI: "0c383ea10001.cfg", Key: "sysConf/phone/date/EnableDST", Want: "0"},
		{URI: "0c383ea10001.cfg", Key: "sysConf/phone/date/DSTStartMon", Want: profiletest.Absent},
		{URI: "0c383ea20002.cfg", Key: "sysConf/phone/date/TimeZone", Want: "48"},
		{URI: "0c383ea20002.cfg", Key: "sysConf/phone/date/TimeZoneName", Want: "UTC+12"},
		{URI: "0c383ea20002.cfg", Key: "sysConf/phone/date/EnableDST", Want: "2"},
		{URI: "0c383ea20002.cfg", Key: "sysConf/phone/date/DSTStartMon", Want: "9"},
		{URI: "0c383ea20002.cfg", Key: "sysConf/phone/date/DSTStartWeek", Want: "-1"},
		{URI: "0c383ea20002.cfg", Key: "sysConf/phone/date/DSTStartHour", Want: "2"},
		{URI: "0c383ea20002.cfg", Key: "sysConf/phone/date/DSTEndWeek", Want: "1"},
		{URI: "0c383ea20002.cfg", Key: "sysConf/phone/date/DSTEndHour", Want: "3"},
	})
}
