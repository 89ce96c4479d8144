package phoneprov

import (
	"strconv"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// timezoneVars returns TZOFFSET and, when daylight saving time applies
// around now, DST_ENABLE and the six DST_* values, as res_phoneprov's
// set_timezone_variables computes them with ast_get_dst_info
// (docs/asterisk.md#time-zone-variables):
//
//   - the zone is loc, the phone's TIMEZONE or else the server's own zone;
//   - TZOFFSET is the standard-time UTC offset in seconds, 0 for an unknown
//     zone;
//   - the DST values exist only when the zone in effect now and the one after
//     the next transition differ in DST; start is the transition into DST,
//     end the one out of it (one is past, one future), each given as the
//     local month, day and hour just after the transition;
//   - phoneprovd adds the week-based rule (DSTRuleVariables) after them.
func timezoneVars(now time.Time, loc *time.Location) subst.Vars {
	if loc == nil {
		return subst.Vars{{Name: "TZOFFSET", Value: "0"}}
	}
	cur := now.In(loc)
	_, curOff := cur.Zone()
	start, end := cur.ZoneBounds()
	if end.IsZero() || start.IsZero() {
		// No transition after (or before) now: no DST; the offset is the
		// one of the last transition, which is the one in effect.
		return subst.Vars{{Name: "TZOFFSET", Value: strconv.Itoa(curOff)}}
	}
	next := end.In(loc)
	_, nextOff := next.Zone()
	if cur.IsDST() == next.IsDST() {
		return subst.Vars{{Name: "TZOFFSET", Value: strconv.Itoa(curOff)}}
	}
	var dstStart, dstEnd time.Time
	stdOff := nextOff
	if next.IsDST() {
		stdOff = curOff
		dstStart, dstEnd = next, start.In(loc)
	} else {
		dstStart, dstEnd = start.In(loc), next
	}
	itoa := strconv.Itoa
	vars := subst.Vars{
		{Name: "TZOFFSET", Value: itoa(stdOff)},
		{Name: "DST_ENABLE", Value: "1"},
		{Name: "DST_START_MONTH", Value: itoa(int(dstStart.Month()))},
		{Name: "DST_START_MDAY", Value: itoa(dstStart.Day())},
		{Name: "DST_START_HOUR", Value: itoa(dstStart.Hour())},
		{Name: "DST_END_MONTH", Value: itoa(int(dstEnd.Month()))},
		{Name: "DST_END_MDAY", Value: itoa(dstEnd.Day())},
		{Name: "DST_END_HOUR", Value: itoa(dstEnd.Hour())},
	}
	// phoneprovd's additions: the same rule, week-based (dstrule.go).
	return append(vars, dstRuleVars(now, loc, dstStart.Month(), dstEnd.Month())...)
}
