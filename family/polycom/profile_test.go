package polycom_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/family/polycom"
	"github.com/phoneprovd/phoneprovd/family/profiletest"
)

// formats are what the profile's templates render (UC Software
// Administrator Guide; polycom/README.md).
var formats = profiletest.Formats{
	"polycom/master.cfg": {
		Parse: profiletest.AttributeFormat,
		Refs:  map[string]string{"CONFIG_FILES": ""},
	},
	"polycom/phone.cfg": {
		DST:   polycomDST,
		Parse: profiletest.AttributeFormat,
		Line: func(n int) profiletest.LineKeys {
			r := fmt.Sprintf("reg.%d.", n)
			return profiletest.LineKeys{
				Users:   []string{r + "address", r + "auth.userId"},
				Secret:  r + "auth.password",
				Display: r + "displayName",
				Server:  r + "server.1.address",
				Port:    r + "server.1.port",
			}
		},
		Fixed: map[string]string{"voIpProt.SIP.specialEvent.checkSync.alwaysReboot": "0"},
	},
	"polycom/directory.xml": {
		Parse: profiletest.ElementFormat,
		Book: func(root *profiletest.XMLNode) (string, []profiletest.Entry) {
			return root.Name, profiletest.Entries(root, "item", "fn", "ct")
		},
		BookRoot: "directory",
	},
}

// polycomDST reads tcpIpApp.sntp.daylightSavings.* with fixedDayEnable 0
// (UC Software Administrator Guide, "Time and Date"): date is the first day
// of the week, dayOfWeek counts from Sunday = 1, lastInMonth picks the last.
func polycomDST(s profiletest.Settings) (profiletest.DSTRule, bool, error) {
	const p = "tcpIpApp.sntp.daylightSavings."
	var a profiletest.Numbers
	if a.One(s, p+"enable") != "1" {
		return profiletest.DSTRule{}, false, a.Err
	}
	if v := a.One(s, p+"fixedDayEnable"); v != "0" {
		a.Fail(fmt.Errorf("fixedDayEnable = %q: the dates are fixed, not a rule", v))
	}
	change := func(which string) profiletest.DSTChange {
		c := profiletest.DSTChange{Month: a.N(which, a.One(s, p+which+".month")), Hour: a.N(which, a.One(s, p+which+".time"))}
		c.Wday = a.N(which, a.One(s, p+which+".dayOfWeek")) - 1
		date := a.N(which, a.One(s, p+which+".date"))
		if a.One(s, p+which+".dayOfWeek.lastInMonth") == "1" {
			c.Week = 5
			if days := time.Date(2026, time.Month(c.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day(); date != days-6 && !(c.Month == 2 && date == 22) {
				a.Fail(fmt.Errorf("%s.date = %d, not the first day of the last week", which, date))
			}
		} else {
			c.Week = a.WeekOfFirstDay(which, date)
		}
		return c
	}
	r := profiletest.DSTRule{Start: change("start"), End: change("stop"), Save: 60}
	return r, true, a.Err
}

// TestProfile checks the Polycom profile in the sample configuration.
func TestProfile(t *testing.T) { profiletest.CheckProfile(t, polycom.Family(), formats) }

// TestTimeSettings pins the time settings derived from the users' zones.
// America/New_York: offset in seconds; DST from the Sunday (dayOfWeek 1)
// of the week starting on 8 March, to the Sunday of the week starting on 1
// November. Asia/Singapore (the pjsip phone): no DST settings.
func TestTimeSettings(t *testing.T) {
	profiletest.CheckSettings(t, formats, []profiletest.Setting{
		{URI: "0004f2d4e5f6-phone.cfg", Key: "tcpIpApp.sntp.gmtOffset", Want: "-18000"},
		{URI: "0004f2d4e5f6-phone.cfg", Key: "tcpIpApp.sntp.daylightSavings.fixedDayEnable", Want: "0"},
		{URI: "0004f2d4e5f6-phone.cfg", Key: "tcpIpApp.sntp.daylightSavings.start.month", Want: "3"},
		{URI: "0004f2d4e5f6-phone.cfg", Key: "tcpIpApp.sntp.daylightSavings.start.date", Want: "8"},
		{URI: "0004f2d4e5f6-phone.cfg", Key: "tcpIpApp.sntp.daylightSavings.start.dayOfWeek", Want: "1"},
		{URI: "0004f2d4e5f6-phone.cfg", Key: "tcpIpApp.sntp.daylightSavings.start.dayOfWeek.lastInMonth", Want: "0"},
		{URI: "0004f2d4e5f6-phone.cfg", Key: "tcpIpApp.sntp.daylightSavings.stop.date", Want: "1"},
		{URI: "0004f2d4e5f6-phone.cfg", Key: "tcpIpApp.sntp.daylightSavings.start.time", Want: "2"},
		{URI: "0004f2d4e5f6-phone.cfg", Key: "tcpIpApp.sntp.daylightSavings.stop.month", Want: "11"},
		{URI: "0004f2d4e5f6-phone.cfg", Key: "tcpIpApp.sntp.daylightSavings.stop.time", Want: "2"},
		{URI: "0004f2c0ffee-phone.cfg", Key: "tcpIpApp.sntp.gmtOffset", Want: "28800"},
		{URI: "0004f2c0ffee-phone.cfg", Key: "tcpIpApp.sntp.daylightSavings.enable", Want: "0"},
		{URI: "0004f2c0ffee-phone.cfg", Key: "tcpIpApp.sntp.daylightSavings.start.date", Want: profiletest.Absent},
	})
}
