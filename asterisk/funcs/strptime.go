package funcs

// strptimeState is what glibc's strptime remembers while it parses, beyond
// the struct tm it fills in.
type strptimeState struct {
	haveI, haveWday, haveYday, haveMon, haveMday bool
	haveUweek, haveWweek                         bool
	isPM, wantCentury, wantXday, wantEra         bool
	weekNo                                       int
	century                                      int // -1: none
	decided                                      localeDecision
}

// localeDecision is glibc's guess whether the input follows the locale's
// formats or the C ones. In the C locale both are the same, but the guess
// still changes how the E and O modifiers behave: the first O conversion
// finds no alternative digits and decides "locale", after which another O
// conversion fails; an EC, Ey or EY conversion decides "raw", after which O
// conversions read plain numbers.
type localeDecision int

const (
	undecided localeDecision = iota
	decidedLocale
	decidedRaw
)

// strptime parses s against format like glibc's strptime in the C locale,
// filling tm (which the caller zeroes, as Asterisk does). epochTime turns
// the seconds read by %s into calendar fields. It reports false when s does
// not match.
func strptime(s, format string, tm *brokenTime, epochTime func(int64) brokenTime) bool {
	st := strptimeState{century: -1}
	if _, ok := parseTime(s, format, tm, &st, epochTime, 0); !ok {
		return false
	}
	finishStrptime(tm, &st)
	return true
}

// maxStrptimeDepth bounds the recursion of composite conversions (%c, %D,
// …), which never nest more than twice.
const maxStrptimeDepth = 4

// parseTime matches s against format, returning the unparsed rest of s.
// Composite conversions recurse on a copy of tm and st that is kept only
// when the whole sub-format matched.
func parseTime(s, format string, tm *brokenTime, st *strptimeState, epochTime func(int64) brokenTime, depth int) (string, bool) {
	if depth > maxStrptimeDepth {
		return s, false
	}
	recursive := func(sub string) bool {
		t, ss := *tm, *st
		rest, ok := parseTime(s, sub, &t, &ss, epochTime, depth+1)
		if !ok {
			return false
		}
		*tm, *st, s = t, ss, rest
		return true
	}
	number := func(from, to, n int) (int, bool) {
		s = skipSpace(s)
		if s == "" || !isDigit(s[0]) {
			return 0, false
		}
		val := 0
		for {
			val = val*10 + int(s[0]-'0')
			s = s[1:]
			n--
			if n <= 0 || val*10 > to || s == "" || !isDigit(s[0]) {
				break
			}
		}
		return val, val >= from && val <= to
	}
	for i := 0; i < len(format); i++ {
		fc := format[i]
		if isSpace(fc) {
			s = skipSpace(s)
			continue
		}
		if fc != '%' {
			if s == "" || s[0] != fc {
				return s, false
			}
			s = s[1:]
			continue
		}
		i++
		// strftime's flags and widths are accepted and ignored.
		for i < len(format) && (format[i] == '-' || format[i] == '_' || format[i] == '0' || format[i] == '^' || format[i] == '#') {
			i++
		}
		for i < len(format) && isDigit(format[i]) {
			i++
		}
		if i >= len(format) {
			return s, false
		}
		conv := format[i]
		if conv == 'E' || conv == 'O' {
			i++
			if i >= len(format) {
				return s, false
			}
			sub := format[i]
			if !modified(conv, sub, st) {
				return s, false
			}
			if conv == 'E' && sub == 'y' && st.decided != decidedRaw {
				// An era year is read first; the C locale has no era, so
				// the year within the century is then read after it.
				v, ok := number(0, 9999, 4)
				if !ok {
					return s, false
				}
				tm.year, st.wantEra, st.wantXday, st.wantCentury = v, true, true, true
				if st.decided == decidedLocale {
					return s, false
				}
				st.decided = decidedRaw
			}
			if conv == 'O' && sub == 'y' {
				// %Oy is %y that does not mark the century as wanted.
				v, ok := number(0, 99, 2)
				if !ok {
					return s, false
				}
				if v < 69 {
					v += 100
				}
				tm.year, st.wantXday = v, true
				continue
			}
			conv = sub
		}
		var ok bool
		var v int
		switch conv {
		case '%':
			if s == "" || s[0] != '%' {
				return s, false
			}
			s, ok = s[1:], true
		case 'a', 'A':
			v, ok = matchWeekday(&s, st)
			tm.wday, st.haveWday = v, true
		case 'b', 'B', 'h':
			v, ok = matchName(&s, monthNames[:])
			tm.mon, st.haveMon, st.wantXday = v, true, true
		case 'c':
			ok = recursive(cDateTimeFormat)
			st.wantXday = true
		case 'C':
			v, ok = number(0, 99, 2)
			st.century, st.wantXday = v, true
		case 'd', 'e':
			v, ok = number(1, 31, 2)
			tm.mday, st.haveMday, st.wantXday = v, true, true
		case 'F':
			ok = recursive("%Y-%m-%d")
			st.wantXday = true
		case 'x', 'D':
			ok = recursive(cDateFormat)
			st.wantXday = true
		case 'k', 'H':
			v, ok = number(0, 23, 2)
			tm.hour, st.haveI = v, false
		case 'l', 'I':
			v, ok = number(1, 12, 2)
			tm.hour, st.haveI = v%12, true
		case 'j':
			v, ok = number(1, 366, 3)
			tm.yday, st.haveYday = v-1, true
		case 'm':
			v, ok = number(1, 12, 2)
			tm.mon, st.haveMon, st.wantXday = v-1, true, true
		case 'M':
			v, ok = number(0, 59, 2)
			tm.min = v
		case 'n', 't':
			s, ok = skipSpace(s), true
		case 'p':
			switch {
			case hasPrefixFold(s, "AM"):
				s, st.isPM, ok = s[2:], false, true
			case hasPrefixFold(s, "PM"):
				s, st.isPM, ok = s[2:], true, true
			}
		case 'r':
			ok = recursive(cTimeAMPMFormat)
		case 'R':
			ok = recursive("%H:%M")
		case 's':
			ok = parseEpoch(&s, tm, epochTime)
		case 'S':
			v, ok = number(0, 61, 2)
			tm.sec = v
		case 'X', 'T':
			ok = recursive(cTimeFormat)
		case 'u':
			v, ok = number(1, 7, 1)
			tm.wday, st.haveWday = v%7, true
		case 'g':
			_, ok = number(0, 99, 2)
		case 'V':
			_, ok = number(0, 53, 2)
		case 'G':
			ok = s != "" && isDigit(s[0])
			for s != "" && isDigit(s[0]) {
				s = s[1:]
			}
		case 'U', 'W':
			v, ok = number(0, 53, 2)
			st.weekNo = v
			if conv == 'U' {
				st.haveUweek = true
			} else {
				st.haveWweek = true
			}
		case 'w':
			v, ok = number(0, 6, 1)
			tm.wday, st.haveWday = v, true
		case 'y':
			v, ok = number(0, 99, 2)
			if v < 69 {
				v += 100
			}
			tm.year, st.wantCentury, st.wantXday = v, true, true
		case 'Y':
			v, ok = number(0, 9999, 4)
			tm.year, st.wantCentury, st.wantXday = v-1900, false, true
		case 'Z':
			s = skipSpace(s)
			for s != "" && !isSpace(s[0]) {
				s = s[1:]
			}
			ok = true
		case 'z':
			ok = parseZoneOffset(&s, tm)
		}
		if !ok {
			return s, false
		}
	}
	return s, true
}

// modified reports whether the E or O modifier may precede conversion
// sub, and updates the locale decision the way glibc does for it.
func modified(mod, sub byte, st *strptimeState) bool {
	if mod == 'E' {
		switch sub {
		case 'c', 'x', 'X':
			return true
		case 'C', 'Y':
			if st.decided == decidedLocale {
				return false
			}
			st.decided = decidedRaw
			return true
		case 'y':
			return true // handled by the caller
		}
		return false
	}
	switch sub {
	case 'b', 'B', 'h':
		return true
	case 'd', 'e', 'H', 'I', 'm', 'M', 'S', 'U', 'W', 'V', 'w', 'y':
		switch st.decided {
		case decidedLocale:
			return false
		case undecided:
			st.decided = decidedLocale
		}
		return true
	}
	return false
}

// matchName matches the longest of the full or three-letter names at the
// start of *s, case-insensitively, and returns its index (%b, %B, %h).
func matchName(s *string, names []string) (int, bool) {
	best, bestLen := -1, 0
	for i, name := range names {
		for _, n := range []string{name, name[:3]} {
			if len(n) > bestLen && hasPrefixFold(*s, n) {
				best, bestLen = i, len(n)
			}
		}
	}
	if best < 0 {
		return 0, false
	}
	*s = (*s)[bestLen:]
	return best, true
}

// matchWeekday is %a and %A, including a glibc quirk: when the locale
// question is not settled for "locale" (always, in the C locale), a match
// of an abbreviated name on the C-names path moves the read position
// itself and records the position it started from. The loop over the
// weekdays then carries on from the moved position, and the result is the
// furthest recorded position: "Mon" still reads as Monday, but after an
// EC, Ey or EY conversion (which settles the question for "raw") an
// abbreviated name is matched without being consumed, and "MonTuesday"
// reads as Tuesday.
func matchWeekday(s *string, st *strptimeState) (int, bool) {
	in := *s
	rp := 0
	longest, best := -1, -1
	decided := st.decided
	for cnt, full := range weekdayNames {
		abbr := full[:3]
		if st.decided != decidedRaw {
			if hasPrefixFold(in[rp:], full) && rp+len(full) > longest {
				longest, best = rp+len(full), cnt
			}
			if hasPrefixFold(in[rp:], abbr) && rp+len(abbr) > longest {
				longest, best = rp+len(abbr), cnt
			}
		}
		if st.decided != decidedLocale {
			if hasPrefixFold(in[rp:], full) && rp+len(full) > longest {
				longest, best, decided = rp+len(full), cnt, decidedRaw
			} else if hasPrefixFold(in[rp:], abbr) {
				start := rp
				rp += len(abbr)
				if start > longest {
					longest, best, decided = start, cnt, decidedRaw
				}
			}
		}
	}
	if longest < 0 {
		return 0, false
	}
	*s = in[longest:]
	st.decided = decided
	return best, true
}

// parseEpoch reads %s: at least one digit, as many as there are (the
// value wraps like a time_t), converted to calendar fields.
func parseEpoch(s *string, tm *brokenTime, epochTime func(int64) brokenTime) bool {
	if *s == "" || !isDigit((*s)[0]) {
		return false
	}
	var secs int64
	for *s != "" && isDigit((*s)[0]) {
		secs = secs*10 + int64((*s)[0]-'0')
		*s = (*s)[1:]
	}
	t := epochTime(secs)
	if t.year == invalidYear {
		return false
	}
	*tm = t
	return true
}

// parseZoneOffset reads %z: "Z", or a sign and two or four digits with an
// optional colon after the first two. It sets tm.gmtoff.
func parseZoneOffset(s *string, tm *brokenTime) bool {
	*s = skipSpace(*s)
	if *s != "" && (*s)[0] == 'Z' {
		*s = (*s)[1:]
		tm.gmtoff = 0
		return true
	}
	if *s == "" || ((*s)[0] != '+' && (*s)[0] != '-') {
		return false
	}
	neg := (*s)[0] == '-'
	*s = (*s)[1:]
	val, n := 0, 0
	for n < 4 && *s != "" && isDigit((*s)[0]) {
		val = val*10 + int((*s)[0]-'0')
		*s = (*s)[1:]
		n++
		if n == 2 && len(*s) > 1 && (*s)[0] == ':' && isDigit((*s)[1]) {
			*s = (*s)[1:]
		}
	}
	switch {
	case n == 2:
		val *= 100
	case n != 4:
		return false
	case val%100 >= 60:
		return false
	}
	tm.gmtoff = int64(val/100*3600 + val%100*60)
	if neg {
		tm.gmtoff = -tm.gmtoff
	}
	return true
}

// cumulativeDays[leap*13+m] is the day of the year month m starts on, for
// common (leap 0) and leap years: glibc's __mon_yday, whose two rows sit
// one after the other, so that a search running off the first row carries
// on into the second.
var cumulativeDays = [26]int{
	0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365,
	0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366,
}

// monthOfYday finds the month and day of day of the year yday the way
// glibc's strptime searches its table: the first month whose start lies
// beyond yday, which for day 366 of a common year runs into the leap-year
// row. A search leaving the table stops at its edge.
func monthOfYday(yday int, leap bool) (mon, mday int) {
	base := 13 * b2i(leap)
	m := 0
	for base+m < len(cumulativeDays) && cumulativeDays[base+m] <= yday {
		m++
	}
	start := 0
	if i := base + m - 1; i >= 0 && i < len(cumulativeDays) {
		start = cumulativeDays[i]
	}
	return m - 1, yday - start + 1
}

// finishStrptime applies glibc's final adjustments: the PM hour, the
// century, and the fields implied by day of year or week number.
func finishStrptime(tm *brokenTime, st *strptimeState) {
	if st.haveI && st.isPM {
		tm.hour += 12
	}
	if st.century != -1 {
		if st.wantCentury {
			tm.year = tm.year%100 + (st.century-19)*100
		} else {
			tm.year = (st.century - 19) * 100
		}
	}
	if st.wantEra && st.wantCentury && st.century == -1 && tm.year < 69 {
		tm.year += 100
	}
	leap := func() bool { return isLeap(1900 + tm.year) }
	if st.wantXday && !st.haveWday {
		if !(st.haveMon && st.haveMday) && st.haveYday {
			mon, mday := monthOfYday(tm.yday, leap())
			if !st.haveMon {
				tm.mon = mon
			}
			if !st.haveMday {
				tm.mday = mday
			}
			st.haveMon, st.haveMday = true, true
		}
		if st.haveMon || uint(tm.mon) <= 11 {
			tm.wday = dayOfWeek(tm)
		}
	}
	if st.wantXday && !st.haveYday && (st.haveMon || uint(tm.mon) <= 11) {
		tm.yday = cumulativeDays[13*b2i(leap())+tm.mon] + tm.mday - 1
	}
	if (st.haveUweek || st.haveWweek) && st.haveWday {
		saveWday, saveMday, saveMon := tm.wday, tm.mday, tm.mon
		wOffset := 1
		if st.haveUweek {
			wOffset = 0
		}
		tm.mday, tm.mon = 1, 0
		tm.wday = dayOfWeek(tm)
		if st.haveMday {
			tm.mday = saveMday
		}
		if st.haveMon {
			tm.mon = saveMon
		}
		if !st.haveYday {
			tm.yday = (7-(tm.wday-wOffset))%7 + (st.weekNo-1)*7 + (saveWday-wOffset+7)%7
		}
		if !st.haveMday || !st.haveMon {
			mon, mday := monthOfYday(tm.yday, leap())
			if !st.haveMon {
				tm.mon = mon
			}
			if !st.haveMday {
				tm.mday = mday
			}
		}
		tm.wday = saveWday
	}
}

// dayOfWeek computes the weekday of tm's year, month and day, the way
// glibc's strptime does: in C int arithmetic, which wraps for years
// millions away (valid for any month 0-11).
func dayOfWeek(tm *brokenTime) int {
	year := int32(tm.year)
	corrYear := 1900 + year - int32(b2i(tm.mon < 2))
	q := corrYear / 4
	wday := -473 + 365*(year-70) + q - q/25 + int32(b2i(q%25 < 0)) + q/25/4 +
		int32(cumulativeDays[tm.mon]) + int32(tm.mday) - 1
	return int((wday%7 + 7) % 7)
}
