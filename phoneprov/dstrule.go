package phoneprov

import (
	"strconv"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// Variables phoneprovd adds to a line whose zone has daylight saving time:
// the zone's current rule in the week-based form phones take ("the second
// Sunday of March at 2:00"), which stays right year after year, where
// Asterisk's DST_START_MDAY and DST_END_MDAY are dates of one year. Months
// are Asterisk's DST_START_MONTH and DST_END_MONTH.
const (
	varDSTStartWeek  = "DST_START_WEEK"  // week of the month: 1–4, or 5 for the last
	varDSTStartWday  = "DST_START_WDAY"  // day of the week: 0 = Sunday … 6 = Saturday
	varDSTStartClock = "DST_START_CLOCK" // hour on the clock when it changes (standard time)
	varDSTEndWeek    = "DST_END_WEEK"
	varDSTEndWday    = "DST_END_WDAY"
	varDSTEndClock   = "DST_END_CLOCK" // hour on the clock when it changes (daylight time)
	varDSTSave       = "DST_SAVE"      // seconds the clocks go forward
)

// DSTRuleVariables are the names of the variables phoneprovd adds to
// describe a zone's daylight saving time rule; they exist on a line exactly
// when its DST_ENABLE does and the rule has this form.
var DSTRuleVariables = []string{
	varDSTStartWeek, varDSTStartWday, varDSTStartClock,
	varDSTEndWeek, varDSTEndWday, varDSTEndClock, varDSTSave,
}

// dstChange is one kind of transition (into or out of daylight saving
// time) as a recurring rule.
type dstChange struct {
	month time.Month
	week  int // 1–4, 5 = last
	wday  time.Weekday
	hour  int // on the clock just before the change
}

// dstRuleVars describes loc's daylight saving time rule from its next
// transitions after now: each change, into and out of DST, must fall in the
// same month, on the same weekday and at the same time of day in two
// consecutive years, which is true of every "Nth (or last) weekday of a
// month" rule. The months must be startMonth and endMonth, Asterisk's
// DST_START_MONTH and DST_END_MONTH, so that a template mixing both reads
// one rule. It returns nil when the rule has another form (fixed dates, a
// rule about to change, a negative DST such as Europe/Dublin's winter
// time): templates then fall back on what the setvars compute from
// Asterisk's dates.
func dstRuleVars(now time.Time, loc *time.Location, startMonth, endMonth time.Month) subst.Vars {
	var starts, ends []time.Time
	save := 0
	horizon := now.AddDate(3, 0, 0)
	t := now
	for len(starts) < 2 || len(ends) < 2 {
		_, next := t.In(loc).ZoneBounds()
		if next.IsZero() || next.After(horizon) {
			return nil
		}
		before, after := next.Add(-time.Second).In(loc), next.In(loc)
		switch {
		case !before.IsDST() && after.IsDST():
			_, stdOff := before.Zone()
			_, dstOff := after.Zone()
			if s := dstOff - stdOff; save == 0 {
				save = s
			} else if s != save {
				return nil
			}
			starts = append(starts, next)
		case before.IsDST() && !after.IsDST():
			ends = append(ends, next)
		}
		t = next
	}
	if save <= 0 {
		return nil
	}
	start, ok := weekRule(loc, starts[0], starts[1])
	if !ok || start.month != startMonth {
		return nil
	}
	end, ok := weekRule(loc, ends[0], ends[1])
	if !ok || end.month != endMonth {
		return nil
	}
	itoa := strconv.Itoa
	return subst.Vars{
		{Name: varDSTStartWeek, Value: itoa(start.week)},
		{Name: varDSTStartWday, Value: itoa(int(start.wday))},
		{Name: varDSTStartClock, Value: itoa(start.hour)},
		{Name: varDSTEndWeek, Value: itoa(end.week)},
		{Name: varDSTEndWday, Value: itoa(int(end.wday))},
		{Name: varDSTEndClock, Value: itoa(end.hour)},
		{Name: varDSTSave, Value: itoa(save)},
	}
}

// weekRule expresses two transitions of one kind, a year apart, as "week
// N (or the last week) of the month, weekday, hour" on the wall clock
// before each change; ok is false when they do not share one.
func weekRule(loc *time.Location, a, b time.Time) (dstChange, bool) {
	wa, wb := clockBefore(loc, a), clockBefore(loc, b)
	if wa.Month() != wb.Month() || wa.Weekday() != wb.Weekday() ||
		wa.Hour() != wb.Hour() || wa.Minute() != wb.Minute() || wa.Minute() != 0 {
		return dstChange{}, false
	}
	c := dstChange{month: wa.Month(), wday: wa.Weekday(), hour: wa.Hour()}
	switch la, lb := lastWeek(wa), lastWeek(wb); {
	case la && lb:
		c.week = 5
	case (wa.Day()-1)/7 == (wb.Day()-1)/7:
		c.week = (wa.Day()-1)/7 + 1
	default:
		return dstChange{}, false
	}
	return c, true
}

// clockBefore is the wall-clock time of transition t in the offset in
// effect just before it: 02:00 for a change "at 2 a.m.".
func clockBefore(loc *time.Location, t time.Time) time.Time {
	_, off := t.Add(-time.Second).In(loc).Zone()
	return t.In(time.FixedZone("", off))
}

// lastWeek reports whether t's day is within the last seven of its month.
func lastWeek(t time.Time) bool {
	daysInMonth := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return t.Day()+7 > daysInMonth
}
