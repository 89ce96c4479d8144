package funcs

import (
	"math"
	"strconv"
	"strings"
)

// brokenTime is a C struct tm as Asterisk's ast_tm carries it: the
// calendar fields, DST flag, UTC offset and zone abbreviation of the zone
// it was computed in, the microseconds for %q, and the epoch it came from.
type brokenTime struct {
	sec, min, hour int
	mday, mon      int // mon is 0-11
	year           int // years since 1900
	wday, yday     int
	isdst          int
	gmtoff         int64
	zone           string
	usec           int64
	epoch          int64
}

// The C locale's names and formats.
var (
	weekdayNames = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	monthNames   = [12]string{"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December"}
)

const (
	cDateTimeFormat = "%a %b %e %H:%M:%S %Y" // D_T_FMT
	cDateFormat     = "%m/%d/%y"             // D_FMT
	cTimeFormat     = "%H:%M:%S"             // T_FMT
	cTimeAMPMFormat = "%I:%M:%S %p"          // T_FMT_AMPM
)

// strftime formats tm like glibc's strftime in the C locale with a buffer
// of size bytes. When the result does not fit, glibc returns 0 and leaves
// the conversions that did fit in the buffer; strftime returns those and
// false.
func strftime(format string, tm *brokenTime, size int) (string, bool) {
	w := ftimeWriter{tm: tm, max: size}
	ok := w.run(format)
	return string(w.out), ok
}

// ftimeWriter is one level of strftime: its output and the room it has.
type ftimeWriter struct {
	tm  *brokenTime
	out []byte
	max int // the buffer size: the output must stay below it
}

// room is what is left of the buffer, terminator included.
func (w *ftimeWriter) room() int { return w.max - len(w.out) }

// field is the per-conversion state glibc keeps: padding flag, width,
// case changes.
type field struct {
	pad      byte // 0, '_', '-' or '0'
	width    int  // -1 when not given
	upper    bool
	lower    bool
	swapCase bool // '#'
	modifier byte // 0, 'E' or 'O'
}

// add emits text as one conversion: the width pads it (with zeros when the
// pad flag is '0', else spaces), then the case changes apply. It reports
// false when the conversion does not fit.
func (w *ftimeWriter) add(f *field, text string) bool {
	fill := max(f.width-len(text), 0)
	if len(text)+fill >= w.room() {
		return false
	}
	padc := byte(' ')
	if f.pad == '0' {
		padc = '0'
	}
	for range fill {
		w.out = append(w.out, padc)
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case f.lower:
			c = toLower(c)
		case f.upper:
			c = toUpper(c)
		}
		w.out = append(w.out, c)
	}
	return true
}

// run formats format into w.
func (w *ftimeWriter) run(format string) bool {
	tm := w.tm
	hour12 := tm.hour
	if hour12 > 12 {
		hour12 -= 12
	} else if hour12 == 0 {
		hour12 = 12
	}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			if 1 >= w.room() {
				return false
			}
			w.out = append(w.out, format[i])
			continue
		}
		f := field{width: -1}
	flags:
		for {
			i++
			if i >= len(format) {
				break
			}
			switch format[i] {
			case '_', '-', '0':
				f.pad = format[i]
			case '^':
				f.upper = true
			case '#':
				f.swapCase = true
			default:
				break flags
			}
		}
		if i < len(format) && isDigit(format[i]) {
			f.width = 0
			for i < len(format) && isDigit(format[i]) {
				d := int(format[i] - '0')
				if f.width > (math.MaxInt32-d)/10 {
					f.width = math.MaxInt32
				} else {
					f.width = f.width*10 + d
				}
				i++
			}
		}
		if i < len(format) && (format[i] == 'E' || format[i] == 'O') {
			f.modifier = format[i]
			i++
		}
		if i >= len(format) {
			// '%' at the end of the format: copied as it stands.
			i = len(format) - 1
			if !w.badFormat(&f, format, i) {
				return false
			}
			continue
		}
		if !w.conversion(&f, format, i, hour12) {
			return false
		}
	}
	return true
}

// badFormat copies an unknown or malformed specification as one
// conversion: from the last '%' at or before format[i] through format[i],
// so that for "%E%" only the second '%' is written.
func (w *ftimeWriter) badFormat(f *field, format string, i int) bool {
	return w.add(f, format[strings.LastIndexByte(format[:i+1], '%'):i+1])
}

// conversion formats the conversion character format[i].
func (w *ftimeWriter) conversion(f *field, format string, i, hour12 int) bool {
	tm := w.tm
	c := format[i]
	bad := func() bool { return w.badFormat(f, format, i) }
	switch c {
	case '%':
		if f.modifier != 0 {
			return bad()
		}
		return w.add(f, "%")
	case 'a', 'A':
		if f.modifier != 0 {
			return bad()
		}
		if f.swapCase {
			f.upper, f.lower = true, false
		}
		name := "?"
		if tm.wday >= 0 && tm.wday <= 6 {
			name = weekdayNames[tm.wday]
			if c == 'a' {
				name = name[:3]
			}
		}
		return w.add(f, name)
	case 'b', 'h', 'B':
		if f.swapCase {
			f.upper, f.lower = true, false
		}
		if f.modifier == 'E' {
			return bad()
		}
		name := "?"
		if tm.mon >= 0 && tm.mon <= 11 {
			name = monthNames[tm.mon]
			if c != 'B' {
				name = name[:3]
			}
		}
		return w.add(f, name)
	case 'c':
		if f.modifier == 'O' {
			return bad()
		}
		return w.subformat(f, cDateTimeFormat)
	case 'C':
		year := tm.year + 1900
		return w.number(f, 1, year/100-b2i(year%100 < 0))
	case 'x':
		if f.modifier == 'O' {
			return bad()
		}
		return w.subformat(f, cDateFormat)
	case 'D':
		if f.modifier != 0 {
			return bad()
		}
		return w.subformat(f, cDateFormat)
	case 'd':
		if f.modifier == 'E' {
			return bad()
		}
		return w.number(f, 2, tm.mday)
	case 'e':
		if f.modifier == 'E' {
			return bad()
		}
		return w.spaceNumber(f, 2, tm.mday)
	case 'F':
		if f.modifier != 0 {
			return bad()
		}
		return w.subformat(f, "%Y-%m-%d")
	case 'H', 'I', 'k', 'l', 'j', 'M', 'm', 'S', 'U', 'W', 'w':
		if f.modifier == 'E' {
			return bad()
		}
		switch c {
		case 'H':
			return w.number(f, 2, tm.hour)
		case 'I':
			return w.number(f, 2, hour12)
		case 'k':
			return w.spaceNumber(f, 2, tm.hour)
		case 'l':
			return w.spaceNumber(f, 2, hour12)
		case 'j':
			return w.number(f, 3, 1+tm.yday)
		case 'M':
			return w.number(f, 2, tm.min)
		case 'm':
			return w.number(f, 2, tm.mon+1)
		case 'S':
			return w.number(f, 2, tm.sec)
		case 'U':
			return w.number(f, 2, (tm.yday-tm.wday+7)/7)
		case 'W':
			return w.number(f, 2, (tm.yday-(tm.wday-1+7)%7+7)/7)
		default:
			return w.number(f, 1, tm.wday)
		}
	case 'n':
		return w.add(f, "\n")
	case 't':
		return w.add(f, "\t")
	case 'P', 'p':
		if c == 'P' {
			f.lower = true
		}
		if f.swapCase {
			f.upper, f.lower = false, true
		}
		if tm.hour > 11 {
			return w.add(f, "PM")
		}
		return w.add(f, "AM")
	case 'R':
		return w.subformat(f, "%H:%M")
	case 'r':
		return w.subformat(f, cTimeAMPMFormat)
	case 's':
		digits := strconv.FormatInt(tm.epoch, 10)
		neg := tm.epoch < 0
		if neg {
			digits = digits[1:]
		}
		return w.signAndPad(f, 1, neg, digits)
	case 'X':
		if f.modifier == 'O' {
			return bad()
		}
		return w.subformat(f, cTimeFormat)
	case 'T':
		return w.subformat(f, cTimeFormat)
	case 'u':
		return w.number(f, 1, (tm.wday-1+7)%7+1)
	case 'V', 'g', 'G':
		if f.modifier == 'E' {
			return bad()
		}
		year, week := isoWeek(tm)
		switch c {
		case 'g':
			return w.number(f, 2, (year%100+100)%100)
		case 'G':
			return w.number(f, 1, year)
		default:
			return w.number(f, 2, week)
		}
	case 'Y':
		if f.modifier == 'O' {
			return bad()
		}
		return w.number(f, 1, tm.year+1900)
	case 'y':
		return w.number(f, 2, (tm.year%100+100)%100)
	case 'Z':
		if f.swapCase {
			f.upper, f.lower = false, true
		}
		return w.add(f, tm.zone)
	case 'z':
		if tm.isdst < 0 {
			return true
		}
		diff := tm.gmtoff
		sign := "+"
		if diff < 0 {
			sign, diff = "-", -diff
		}
		if !w.add(f, sign) {
			return false
		}
		diff /= 60
		return w.number(f, 4, int((diff/60)*100+diff%60))
	default:
		return bad()
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// subformat formats one of the composite conversions (%c, %D, %T, …) as a
// single conversion: measured first, then padded to the width as a whole,
// then upper-cased when '^' was given.
func (w *ftimeWriter) subformat(f *field, sub string) bool {
	inner := ftimeWriter{tm: w.tm, max: math.MaxInt}
	inner.run(sub)
	text := string(inner.out)
	upper := f.upper
	f.upper, f.lower = false, false
	start := len(w.out)
	if !w.add(f, text) {
		return false
	}
	if upper {
		for i := start; i < len(w.out); i++ {
			w.out[i] = toUpper(w.out[i])
		}
	}
	return true
}

// number formats a numeric conversion with at least d digits (or the
// width, if larger), zero-padded unless the pad flag says otherwise.
func (w *ftimeWriter) number(f *field, d, v int) bool {
	return w.numberDigits(f, max(d, f.width), v)
}

// spaceNumber is number with space padding unless '0' or '-' was given.
func (w *ftimeWriter) spaceNumber(f *field, d, v int) bool {
	if f.pad != '0' && f.pad != '-' {
		f.pad = '_'
	}
	return w.number(f, d, v)
}

func (w *ftimeWriter) numberDigits(f *field, digits, v int) bool {
	u := uint32(v) // the value is a C int
	neg := int32(v) < 0
	if neg {
		u = -u
	}
	return w.signAndPad(f, digits, neg, strconv.FormatUint(uint64(u), 10))
}

// signAndPad writes a number's sign and padding: the number occupies at
// least digits characters (sign included), padded with spaces for '_',
// zeros after the sign otherwise, nothing for '-'; whatever width remains
// then pads the result as a conversion.
func (w *ftimeWriter) signAndPad(f *field, digits int, neg bool, num string) bool {
	if neg {
		num = "-" + num
	}
	if f.pad != '-' {
		if padding := digits - len(num); padding > 0 {
			if f.pad == '_' {
				if padding >= w.room() {
					return false
				}
				for range padding {
					w.out = append(w.out, ' ')
				}
				f.width = max(f.width-padding, 0)
			} else {
				if digits >= w.room() {
					return false
				}
				if neg {
					num = num[1:]
					w.out = append(w.out, '-')
				}
				for range padding {
					w.out = append(w.out, '0')
				}
				f.width = 0
			}
		}
	}
	return w.add(f, num)
}

// isoWeek returns the ISO 8601 week-based year and week number of tm.
func isoWeek(tm *brokenTime) (year, week int) {
	year = tm.year + 1900
	days := isoWeekDays(tm.yday, tm.wday)
	if days < 0 {
		year--
		days = isoWeekDays(tm.yday+365+b2i(isLeap(year)), tm.wday)
	} else if d := isoWeekDays(tm.yday-(365+b2i(isLeap(year))), tm.wday); d >= 0 {
		year++
		days = d
	}
	return year, days/7 + 1
}

// isoWeekDays is the number of days from the first day of the first ISO
// week of the year to day yday, which falls on weekday wday.
func isoWeekDays(yday, wday int) int {
	const bigEnoughMultipleOf7 = (366/7 + 2) * 7
	return yday - (yday-wday+4+bigEnoughMultipleOf7)%7 + 4 - 1
}

func isLeap(year int) bool {
	return year%4 == 0 && (year%100 != 0 || year%400 == 0)
}
