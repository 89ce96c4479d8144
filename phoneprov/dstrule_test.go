package phoneprov

import (
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"strings"
	"testing"
	"time"
)

// TestDSTRuleVars pins the week-based rule phoneprovd adds to the time-zone
// variables, for the current rules of each zone (worked out by hand from
// the zones' laws): the same rule whatever the date of the load, where
// Asterisk's DST_*_MDAY are dates of one year.
func TestDSTRuleVars(t *testing.T) {
	// week/weekday/clock of the start, then of the end, and the save.
	tests := []struct {
		zone string
		want string // "" = no rule variables
	}{
		// Second Sunday of March and first Sunday of November, 2:00.
		{"America/Chicago", "start=2/0/2 end=1/0/2 save=3600"},
		{"America/New_York", "start=2/0/2 end=1/0/2 save=3600"},
		// EU: last Sunday of March at 2:00 CET and of October at 3:00 CEST.
		{"Europe/Paris", "start=5/0/2 end=5/0/3 save=3600"},
		{"Europe/London", "start=5/0/1 end=5/0/2 save=3600"},
		// First Sunday of October at 2:00 AEST, of April at 3:00 AEDT.
		{"Australia/Sydney", "start=1/0/2 end=1/0/3 save=3600"},
		// Last Sunday of September, first Sunday of April.
		{"Pacific/Auckland", "start=5/0/2 end=1/0/3 save=3600"},
		// Lord Howe Island moves its clocks by half an hour, at 2:00.
		{"Australia/Lord_Howe", "start=1/0/2 end=1/0/2 save=1800"},
		// No daylight saving time.
		{"Asia/Kolkata", ""},
		{"UTC", ""},
		{"America/Phoenix", ""},
		{"Asia/Tokyo", ""},
	}
	loads := []time.Time{
		time.Date(2026, time.June, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2026, time.December, 7, 12, 0, 0, 0, time.UTC), // Asterisk: start 2027, end 2026
		time.Date(2027, time.March, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2030, time.October, 30, 0, 0, 0, 0, time.UTC),
	}
	for _, tt := range tests {
		loc, err := time.LoadLocation(tt.zone)
		if err != nil {
			t.Fatalf("%s: %v (is tzdata installed?)", tt.zone, err)
		}
		for _, now := range loads {
			vars := timezoneVars(now, loc)
			v := func(name string) string { s, _ := vars.Find(name); return s }
			var got string
			if vars.Has(varDSTStartWeek) {
				got = "start=" + v(varDSTStartWeek) + "/" + v(varDSTStartWday) + "/" + v(varDSTStartClock) +
					" end=" + v(varDSTEndWeek) + "/" + v(varDSTEndWday) + "/" + v(varDSTEndClock) +
					" save=" + v(varDSTSave)
			}
			if got != tt.want {
				t.Errorf("%s loaded %s: %q, want %q", tt.zone, now.Format("2006-01-02"), got, tt.want)
			}
			if vars.Has(varDSTStartWeek) != vars.Has("DST_ENABLE") {
				t.Errorf("%s loaded %s: rule variables without DST_ENABLE or the reverse: %v", tt.zone, now.Format("2006-01-02"), vars)
			}
			for _, name := range DSTRuleVariables {
				if vars.Has(name) != (tt.want != "") {
					t.Errorf("%s: %s present = %v", tt.zone, name, vars.Has(name))
				}
			}
		}
	}
}

// TestDSTRuleMatchesAsteriskDates checks the rule against the dates
// Asterisk's variables give for the same load: the month is the same, and
// the day Asterisk computed is the rule's weekday in the rule's week.
func TestDSTRuleMatchesAsteriskDates(t *testing.T) {
	now := time.Date(2026, time.December, 7, 12, 0, 0, 0, time.UTC)
	for _, zone := range []string{"America/Chicago", "Europe/Paris", "Australia/Sydney", "Pacific/Auckland", "America/Havana", "Asia/Jerusalem"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		vars := timezoneVars(now, loc)
		if !vars.Has(varDSTStartWeek) {
			t.Errorf("%s: no rule: %v", zone, vars)
			continue
		}
		for _, which := range []string{"START", "END"} {
			get := func(name string) int {
				s, _ := vars.Find("DST_" + which + "_" + name)
				return cstring.Atoi(s)
			}
			month, mday, week, wday := get("MONTH"), get("MDAY"), get("WEEK"), get("WDAY")
			// Asterisk's dates are those of the last and the next change:
			// in the north the end was in 2026 and the start is in 2027,
			// in the south the reverse.
			south := strings.HasPrefix(zone, "Australia") || strings.HasPrefix(zone, "Pacific")
			year := 2026
			if (which == "START") != south {
				year = 2027
			}
			d := time.Date(year, time.Month(month), mday, 12, 0, 0, 0, time.UTC)
			if int(d.Weekday()) != wday {
				t.Errorf("%s %s: %s is a %s, rule says weekday %d", zone, which, d.Format("2006-01-02"), d.Weekday(), wday)
			}
			inWeek := (mday-1)/7+1 == week || (week == 5 && lastWeek(d))
			if !inWeek {
				t.Errorf("%s %s: day %d is not in week %d", zone, which, mday, week)
			}
		}
	}
}
