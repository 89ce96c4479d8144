package funcs

import (
	"math"
	"time"
)

// invalidYear marks a brokenTime for an instant whose year does not fit a
// C int, where tzcode's localsub fails.
const invalidYear = math.MinInt

// maxCalendarSeconds bounds the epochs handed to package time: its
// arithmetic is exact far beyond the years a C int can hold, but not up to
// the limits of an int64.
const maxCalendarSeconds = 1 << 60

// localTime converts an epoch to calendar fields in loc, as Asterisk's
// ast_localtime does (the abbreviation is loc's own). An instant whose
// year does not fit a C int has year invalidYear.
func localTime(sec int64, loc *time.Location) brokenTime {
	tm := brokenTime{epoch: sec, year: invalidYear}
	if sec > maxCalendarSeconds || sec < -maxCalendarSeconds {
		return tm
	}
	t := time.Unix(sec, 0).In(loc)
	year := int64(t.Year()) - 1900
	if year != int64(int32(year)) {
		return tm
	}
	tm.year = int(year)
	tm.mon = int(t.Month()) - 1
	tm.mday = t.Day()
	tm.hour, tm.min, tm.sec = t.Clock()
	tm.wday = int(t.Weekday())
	tm.yday = t.YearDay() - 1
	tm.zone, _ = t.Zone()
	_, off := t.Zone()
	tm.gmtoff = int64(off)
	if t.IsDST() {
		tm.isdst = 1
	}
	return tm
}

// wrongTime is what tzcode's mktime returns for a wall-clock time that
// never happens in the zone (or that overflows): the epoch 0.
const wrongTime = 0

// mktime converts tm's wall-clock fields, read in loc with tm_isdst -1, to
// an epoch exactly as Asterisk's ast_mktime (tzcode's time1) does: the
// fields are normalised, then a binary search over every time_t looks for
// an instant whose local fields compare equal. A time skipped by a DST
// change has none and gives 0; a repeated time gives whichever of its two
// instants the search meets first. Seconds outside 0-59 are added after
// the search, so 23:59:60 is midnight.
func mktime(tm brokenTime, loc *time.Location) int64 {
	if t, ok := mktimeSearch(tm, loc, false); ok {
		return t
	}
	t, _ := mktimeSearch(tm, loc, true)
	return t
}

// calendar is the part of a struct tm the search compares, in C ints.
type calendar struct {
	year, mon, mday, hour, min, sec int64
}

func (a calendar) compare(b calendar) int64 {
	for _, d := range [...]int64{a.year - b.year, a.mon - b.mon, a.mday - b.mday, a.hour - b.hour, a.min - b.min, a.sec - b.sec} {
		if d != 0 {
			return d
		}
	}
	return 0
}

// normalize carries whole multiples of base from *units into *tens (a
// floor division, as tzcode's normalize_overflow), reporting false when
// *tens leaves the range of a C int.
func normalize(tens, units *int64, base int64) bool {
	delta := *units / base
	if *units%base < 0 {
		delta--
	}
	*units -= delta * base
	*tens += delta
	return *tens == int64(int32(*tens))
}

var monthLengths = [2][12]int64{
	{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
	{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
}

// mktimeSearch is one pass of tzcode's time2sub; normSecs says whether
// the seconds are normalised first.
func mktimeSearch(tm brokenTime, loc *time.Location, normSecs bool) (int64, bool) {
	want := calendar{int64(tm.year), int64(tm.mon), int64(tm.mday), int64(tm.hour), int64(tm.min), int64(tm.sec)}
	if normSecs && !normalize(&want.min, &want.sec, 60) {
		return wrongTime, false
	}
	if !normalize(&want.hour, &want.min, 60) || !normalize(&want.mday, &want.hour, 24) {
		return wrongTime, false
	}
	y := want.year
	normalize(&y, &want.mon, 12)
	y += 1900
	leapOf := func(y int64) int { return b2i(isLeap64(y)) }
	yearLength := func(y int64) int64 { return 365 + int64(leapOf(y)) }
	// Whole 400-year cycles first, so absurd day counts cost nothing.
	const cycleDays = 146097
	if want.mday > cycleDays {
		n := (want.mday - 1) / cycleDays
		want.mday -= n * cycleDays
		y += 400 * n
	}
	if want.mday <= -cycleDays {
		n := -want.mday/cycleDays + 1
		want.mday += n * cycleDays
		y -= 400 * n
	}
	for want.mday <= 0 {
		y--
		want.mday += yearLength(y + b2i64(1 < want.mon))
	}
	for want.mday > 366 {
		want.mday -= yearLength(y + b2i64(1 < want.mon))
		y++
	}
	for {
		n := monthLengths[leapOf(y)][want.mon]
		if want.mday <= n {
			break
		}
		want.mday -= n
		if want.mon++; want.mon >= 12 {
			want.mon = 0
			y++
		}
	}
	want.year = y - 1900
	if want.year != int64(int32(want.year)) {
		return wrongTime, false
	}
	var saved int64
	switch {
	case want.sec >= 0 && want.sec < 60:
	case y < 1970:
		want.sec += 1 - 60
		if want.sec != int64(int32(want.sec)) {
			return wrongTime, false
		}
		saved, want.sec = want.sec, 59
	default:
		saved, want.sec = want.sec, 0
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	var t int64
	for {
		t = lo/2 + hi/2
		t = min(max(t, lo), hi)
		var dir int64
		if got, ok := calendarAt(t, loc); ok {
			dir = got.compare(want)
		} else if t > 0 {
			dir = 1
		} else {
			dir = -1
		}
		if dir == 0 {
			break
		}
		if t == lo {
			if t == math.MaxInt64 {
				return wrongTime, false
			}
			t++
			lo++
		} else if t == hi {
			if t == math.MinInt64 {
				return wrongTime, false
			}
			t--
			hi--
		}
		if lo > hi {
			return wrongTime, false
		}
		if dir > 0 {
			hi = t
		} else {
			lo = t
		}
	}
	newT := t + saved
	if (newT < t) != (saved < 0) {
		return wrongTime, false
	}
	_, ok := calendarAt(newT, loc)
	return newT, ok
}

// calendarAt is localsub for the search: the local fields of t, or false
// where tzcode's would fail.
func calendarAt(t int64, loc *time.Location) (calendar, bool) {
	tm := localTime(t, loc)
	if tm.year == invalidYear {
		return calendar{}, false
	}
	return calendar{int64(tm.year), int64(tm.mon), int64(tm.mday), int64(tm.hour), int64(tm.min), int64(tm.sec)}, true
}

func isLeap64(y int64) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

func b2i64(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
