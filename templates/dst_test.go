package templates_test

// Reading back the daylight saving time rule each format carries, in one
// form: month, week of the month (5 = the last), weekday (0 = Sunday) and
// the hour on the clock, as the vendors' guides describe the settings (see
// each vendor's README.md).

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dstChange is one change of a rule.
type dstChange struct {
	month, week, wday, hour int
}

func (c dstChange) String() string {
	week := strconv.Itoa(c.week)
	if c.week == 5 {
		week = "last"
	}
	return fmt.Sprintf("%s week %s %s %d:00", time.Month(c.month), week, time.Weekday(c.wday), c.hour)
}

// dstRule is a daylight saving time rule; save is the shift in minutes.
type dstRule struct {
	start, end dstChange
	save       int
}

func (r dstRule) String() string {
	return fmt.Sprintf("from %v to %v, +%d min", r.start, r.end, r.save)
}

// dstReader reads the rule of a rendered file; on is false when the file
// turns daylight saving time off.
type dstReader func(s settings) (rule dstRule, on bool, err error)

// atoi parses the settings' numbers, collecting the first error.
type atoi struct{ err error }

func (a *atoi) n(what, s string) int {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil && a.err == nil {
		a.err = fmt.Errorf("%s: %q is not a number", what, s)
	}
	return v
}

// one returns a setting's single value, collecting the first error.
func (a *atoi) one(s settings, key string) string {
	v, err := s.one(key)
	if err != nil && a.err == nil {
		a.err = err
	}
	return v
}

// weekOfFirstDay is the week whose first day is mday (1, 8, 15, 22).
func (a *atoi) weekOfFirstDay(what string, mday int) int {
	if mday < 1 || mday > 22 || (mday-1)%7 != 0 {
		if a.err == nil {
			a.err = fmt.Errorf("%s: day %d is not the first day of a week (1, 8, 15, 22)", what, mday)
		}
	}
	return (mday-1)/7 + 1
}

// monday1 converts a weekday counted from Monday = 1 to Sunday = 7.
func (a *atoi) monday1(what, s string) int {
	d := a.n(what, s)
	if d < 1 || d > 7 {
		if a.err == nil {
			a.err = fmt.Errorf("%s: weekday %d is not 1 to 7", what, d)
		}
	}
	return d % 7
}

// polycomDST reads tcpIpApp.sntp.daylightSavings.* with fixedDayEnable 0
// (UC Software Administrator Guide, "Time and Date"): date is the first day
// of the week, dayOfWeek counts from Sunday = 1, lastInMonth picks the last.
func polycomDST(s settings) (dstRule, bool, error) {
	const p = "tcpIpApp.sntp.daylightSavings."
	var a atoi
	if a.one(s, p+"enable") != "1" {
		return dstRule{}, false, a.err
	}
	if v := a.one(s, p+"fixedDayEnable"); v != "0" && a.err == nil {
		a.err = fmt.Errorf("fixedDayEnable = %q: the dates are fixed, not a rule", v)
	}
	change := func(which string) dstChange {
		c := dstChange{month: a.n(which, a.one(s, p+which+".month")), hour: a.n(which, a.one(s, p+which+".time"))}
		c.wday = a.n(which, a.one(s, p+which+".dayOfWeek")) - 1
		date := a.n(which, a.one(s, p+which+".date"))
		if a.one(s, p+which+".dayOfWeek.lastInMonth") == "1" {
			c.week = 5
			if days := time.Date(2026, time.Month(c.month)+1, 0, 0, 0, 0, 0, time.UTC).Day(); date != days-6 && !(c.month == 2 && date == 22) && a.err == nil {
				a.err = fmt.Errorf("%s.date = %d, not the first day of the last week", which, date)
			}
		} else {
			c.week = a.weekOfFirstDay(which, date)
		}
		return c
	}
	r := dstRule{start: change("start"), end: change("stop"), save: 60}
	return r, true, a.err
}

// yealinkDST reads local_time.* with dst_time_type 1 (by week):
// month/week/weekday/hour, weekday 1 = Monday … 7 = Sunday, week 5 = last.
func yealinkDST(s settings) (dstRule, bool, error) {
	var a atoi
	if a.one(s, "local_time.summer_time") != "1" {
		return dstRule{}, false, a.err
	}
	if v := a.one(s, "local_time.dst_time_type"); v != "1" && a.err == nil {
		a.err = fmt.Errorf("dst_time_type = %q, not 1 (by week)", v)
	}
	change := func(key string) dstChange {
		f := strings.Split(a.one(s, key), "/")
		if len(f) != 4 {
			if a.err == nil {
				a.err = fmt.Errorf("%s = %q is not month/week/weekday/hour", key, strings.Join(f, "/"))
			}
			return dstChange{}
		}
		return dstChange{month: a.n(key, f[0]), week: a.n(key, f[1]), wday: a.monday1(key, f[2]), hour: a.n(key, f[3])}
	}
	r := dstRule{start: change("local_time.start_time"), end: change("local_time.end_time"), save: a.n("offset_time", a.one(s, "local_time.offset_time"))}
	return r, true, a.err
}

// ciscoSPADST reads Daylight_Saving_Time_Rule, "start=M/D/W/H:m:s;end=…;
// save=H": the first weekday W (1 = Monday … 7 = Sunday) on or after day D,
// or on or before the month's last day for D = -1.
func ciscoSPADST(s settings) (dstRule, bool, error) {
	var a atoi
	if a.one(s, "flat-profile/Daylight_Saving_Time_Enable") != "Yes" {
		if v, _ := s.one("flat-profile/Daylight_Saving_Time_Rule"); v != "" {
			return dstRule{}, false, fmt.Errorf("DST disabled but a rule is given: %q", v)
		}
		return dstRule{}, false, a.err
	}
	var r dstRule
	for _, part := range strings.Split(a.one(s, "flat-profile/Daylight_Saving_Time_Rule"), ";") {
		key, value, _ := strings.Cut(part, "=")
		if key == "save" {
			h, m, _ := strings.Cut(value, ":")
			r.save = a.n("save", h) * 60
			if m != "" {
				r.save += a.n("save", m)
			}
			continue
		}
		f := strings.Split(value, "/")
		if len(f) != 4 {
			return r, true, fmt.Errorf("%s = %q is not month/day/weekday/time", key, value)
		}
		c := dstChange{month: a.n(key, f[0]), wday: a.monday1(key, f[2])}
		hour, _, _ := strings.Cut(f[3], ":")
		c.hour = a.n(key, hour)
		if day := a.n(key, f[1]); day == -1 {
			c.week = 5
		} else {
			c.week = a.weekOfFirstDay(key, day)
		}
		switch key {
		case "start":
			r.start = c
		case "end":
			r.end = c
		default:
			return r, true, fmt.Errorf("unknown rule part %q", key)
		}
	}
	return r, true, a.err
}

// grandstreamDST reads the POSIX zone of P246: "STD+05:00DST,M3.2.0/2,
// M11.1.0/2" (week 5 = last, weekday 0 = Sunday).
func grandstreamDST(s settings) (dstRule, bool, error) {
	var a atoi
	tz := a.one(s, "gs_provision/config/P246")
	_, rules, on := strings.Cut(tz, "DST,")
	if !on {
		return dstRule{}, false, a.err
	}
	parts := strings.Split(rules, ",")
	if len(parts) != 2 {
		return dstRule{}, true, fmt.Errorf("P246 = %q: not two M rules", tz)
	}
	change := func(m string) dstChange {
		date, hour, _ := strings.Cut(strings.TrimPrefix(m, "M"), "/")
		f := strings.Split(date, ".")
		if len(f) != 3 || !strings.HasPrefix(m, "M") {
			a.err = fmt.Errorf("P246 = %q: %q is not Mm.w.d/h", tz, m)
			return dstChange{}
		}
		return dstChange{month: a.n("P246", f[0]), week: a.n("P246", f[1]), wday: a.n("P246", f[2]), hour: a.n("P246", hour)}
	}
	return dstRule{start: change(parts[0]), end: change(parts[1]), save: 60}, true, a.err
}

// snomDST reads dst, "<shift in s> MM.WW.DD HH:MM:SS MM.WW.DD HH:MM:SS"
// (week 05 = last, weekday 01 = Monday … 07 = Sunday); empty is off.
func snomDST(s settings) (dstRule, bool, error) {
	var a atoi
	v := a.one(s, "settings/phone-settings/dst")
	if v == "" {
		return dstRule{}, false, a.err
	}
	f := strings.Fields(v)
	if len(f) != 5 {
		return dstRule{}, true, fmt.Errorf("dst = %q is not shift, start and end", v)
	}
	change := func(date, clock string) dstChange {
		d := strings.Split(date, ".")
		h, _, _ := strings.Cut(clock, ":")
		if len(d) != 3 {
			a.err = fmt.Errorf("dst = %q: %q is not MM.WW.DD", v, date)
			return dstChange{}
		}
		return dstChange{month: a.n("dst", d[0]), week: a.n("dst", d[1]), wday: a.monday1("dst", d[2]), hour: a.n("dst", h)}
	}
	return dstRule{start: change(f[1], f[2]), end: change(f[3], f[4]), save: a.n("dst", f[0]) / 60}, true, a.err
}

// fanvilDST reads phone/date: EnableDST 2 (by rule), DSTStart/End Mon, Week
// (-1 = last), Wday (0 = Sunday), Hour, and DSTMinOffset.
func fanvilDST(s settings) (dstRule, bool, error) {
	const p = "sysConf/phone/date/"
	var a atoi
	if a.one(s, p+"EnableDST") != "2" {
		return dstRule{}, false, a.err
	}
	change := func(which string) dstChange {
		c := dstChange{
			month: a.n(which, a.one(s, p+"DST"+which+"Mon")),
			week:  a.n(which, a.one(s, p+"DST"+which+"Week")),
			wday:  a.n(which, a.one(s, p+"DST"+which+"Wday")),
			hour:  a.n(which, a.one(s, p+"DST"+which+"Hour")),
		}
		if c.week == -1 {
			c.week = 5
		}
		return c
	}
	r := dstRule{start: change("Start"), end: change("End"), save: a.n("DSTMinOffset", a.one(s, p+"DSTMinOffset"))}
	return r, true, a.err
}
