package funcs

import (
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"strings"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// readIfTime is IFTIME(timespec?[true][:false]) (func_logic.c iftime):
// true when the current time matches timespec (ast_build_timing), false
// otherwise. The argument is trimmed and unquoted, split at the first '?'
// and the first ':' after it (no paren or quote awareness), and each
// branch trimmed and unquoted again. An empty timespec, or no '?', is an
// error. The result depends on the clock, so the render is volatile.
func (l *library) readIfTime(c *subst.Call, data string) (string, error) {
	s := cstring.StripQuoted(cString(data))
	spec, rest, found := strings.Cut(s, "?")
	if spec == "" || !found {
		return "", usage("IFTIME(<timespec>?[<true>][:<false>])")
	}
	ifTrue, ifFalse, _ := strings.Cut(rest, ":")
	c.MarkVolatile()
	t := parseTiming(spec)
	if t.matches(c.Now().In(l.zones.location(t.zone))) {
		return cstring.StripQuoted(ifTrue), nil
	}
	return cstring.StripQuoted(ifFalse), nil
}

// timing is Asterisk's struct ast_timing: which minutes of the day, days
// of the week, days of the month and months match, and in which zone.
type timing struct {
	minutes   [24 * 60]bool
	weekdays  uint32 // bit 0: Sunday
	monthDays uint32 // bit 0: the 1st
	months    uint32 // bit 0: January
	zone      string
}

// matches is ast_check_timing2 for the local time t.
func (tm *timing) matches(t time.Time) bool {
	return tm.months&(1<<(int(t.Month())-1)) != 0 &&
		tm.monthDays&(1<<(t.Day()-1)) != 0 &&
		tm.weekdays&(1<<int(t.Weekday())) != 0 &&
		tm.minutes[t.Hour()*60+t.Minute()]
}

var (
	weekdayAbbrevs = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	monthAbbrevs   = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
)

// parseTiming is ast_build_timing: "times,weekdays,monthdays,months[,zone]"
// ('|' works as well as ','), each part "*", empty, or ranges joined by
// '&'. The zone counts only when there are exactly five parts. Parts that
// do not parse are skipped (Asterisk logs and moves on), so a bad time
// range matches no minute.
func parseTiming(spec string) *timing {
	t := &timing{weekdays: 0x7f, monthDays: 0x7fffffff, months: 0xfff}
	if n := strings.Count(spec, "|") + strings.Count(spec, ",") + 1; n == 5 {
		t.zone = spec[strings.LastIndexAny(spec, "|,")+1:]
	}
	parts := sepCursor{rest: spec}
	times, _ := parts.next("|,")
	t.parseTimes(times)
	if f, ok := parts.next("|,"); ok {
		t.weekdays = parseRange(f, 7, weekdayAbbrevs)
	}
	if f, ok := parts.next("|,"); ok {
		t.monthDays = parseRange(f, 31, nil)
	}
	if f, ok := parts.next("|,"); ok {
		t.months = parseRange(f, 12, monthAbbrevs)
	}
	return t
}

// parseTimes is get_timerange: "*" or empty is every minute, otherwise
// "hh:mm" minutes and "hh:mm-hh:mm" ranges (inclusive, wrapping past
// midnight) joined by '&'.
func (t *timing) parseTimes(s string) {
	if s == "" || s == "*" {
		for i := range t.minutes {
			t.minutes[i] = true
		}
		return
	}
	parts := sepCursor{rest: s}
	for {
		part, ok := parts.next("&")
		if !ok {
			return
		}
		start, end, isRange := strings.Cut(part, "-")
		if !isRange {
			if m, ok := parseClock(start); ok {
				t.minutes[m] = true
			}
			continue
		}
		end = strings.TrimLeftFunc(end, func(r rune) bool { return r < '0' || r > '9' })
		if end == "" {
			continue
		}
		from, ok1 := parseClock(start)
		to, ok2 := parseClock(end)
		if !ok1 || !ok2 {
			continue
		}
		for m := from; m != to; m = (m + 1) % len(t.minutes) {
			t.minutes[m] = true
		}
		t.minutes[to] = true
	}
}

// parseClock reads "%2d:%2d" as an hour 0-23 and minute 0-59, returning
// the minute of the day.
func parseClock(s string) (int, bool) {
	h, rest, st := scanInt(s, 2)
	if st != scanMatch || !strings.HasPrefix(rest, ":") {
		return 0, false
	}
	m, _, st := scanInt(rest[1:], 2)
	if st != scanMatch || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, false
	}
	return int(h)*60 + int(m), true
}

// parseRange is get_range: "*" or empty is everything, otherwise names
// (case-insensitive, when names is given and the part starts above '9')
// or numbers 1..max, alone or as cyclic ranges "a-b", joined by '&'.
func parseRange(s string, max int, names []string) uint32 {
	if s == "" || s == "*" {
		return 1<<max - 1
	}
	var mask uint32
	parts := sepCursor{rest: s}
	for {
		part, ok := parts.next("&")
		if !ok {
			return mask
		}
		first, last, isRange := strings.Cut(part, "-")
		start := lookupName(first, names, max)
		if start < 0 {
			continue
		}
		end := start
		if isRange {
			if end = lookupName(last, names, max); end < 0 {
				continue
			}
		}
		mask |= 1 << end
		for start != end {
			mask |= 1 << start
			if start++; start >= max {
				start = 0
			}
		}
	}
}

// lookupName is pbx_timing.c lookup_name: the index of a name, or of a
// number "%2d" in 1..max, or -1.
func lookupName(s string, names []string, max int) int {
	if names != nil && s != "" && int8(s[0]) > '9' {
		for i, n := range names {
			if equalFold(s, n) {
				return i
			}
		}
	}
	if v, _, st := scanInt(s, 2); st == scanMatch && v >= 1 && int(v) <= max {
		return int(v) - 1
	}
	return -1
}
