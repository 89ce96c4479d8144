package provd

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// TimezoneInfo is what provd's tzinform tells a plugin about a time zone
// (get_timezone_info): the standard UTC offset and, when the zone keeps
// daylight saving time, the rule of the current year.
type TimezoneInfo struct {
	UTCOffset int      // seconds east of UTC, standard time
	DST       *DSTRule // nil: no DST
}

// DSTRule is one year's daylight saving time: when it starts and ends and
// how much it adds.
type DSTRule struct {
	Start, End DSTChange
	Save       int // seconds added (negative for Europe/Dublin's winter time)
}

// DSTChange is a DST transition as tzinform describes it: the month, the
// day as "W<week of month>.<ISO weekday>" and the local time of day in
// seconds. The week is counted like strftime's %W (weeks start on Monday)
// from the first of the month, so it is not POSIX's "n-th Sunday".
type DSTChange struct {
	Month int
	Day   string
	Time  int
}

// ErrUnknownTimezone is returned for a zone name the tz database does not
// have (or whose rule it cannot read).
var ErrUnknownTimezone = errors.New("unknown time zone")

// TZDB reads time zones as tzinform does: from each zone's TZif file it
// takes the POSIX TZ rule of its last line (the footer, which says how
// the zone behaves from the last listed transition on) and applies it to a
// year. The files are the tz database Go's time package reads, searched in
// the same order: $ZONEINFO (a directory or zip file), the system's
// zoneinfo directories, then $GOROOT/lib/time/zoneinfo.zip.
type TZDB struct {
	// Sources are searched in order: a directory or a zip file. Nil means
	// DefaultTZSources().
	Sources []string
}

// DefaultTZSources returns where Go's time package looks for zones.
func DefaultTZSources() []string {
	var s []string
	if z := os.Getenv("ZONEINFO"); z != "" {
		s = append(s, z)
	}
	s = append(s, "/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/", "/etc/zoneinfo/")
	return append(s, filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
}

// Info returns the time zone information of name for year.
func (db TZDB) Info(name string, year int) (TimezoneInfo, error) {
	rule, err := db.Rule(name)
	if err != nil {
		return TimezoneInfo{}, err
	}
	return rule.Info(year), nil
}

// Rule returns the POSIX TZ rule of zone name.
func (db TZDB) Rule(name string) (TZRule, error) {
	if !validZoneName(name) {
		return TZRule{}, fmt.Errorf("%w: %q", ErrUnknownTimezone, name)
	}
	data, err := db.read(name)
	if err != nil {
		return TZRule{}, err
	}
	if !bytes.HasPrefix(data, []byte("TZif")) {
		return TZRule{}, fmt.Errorf("%w: %q: not a TZif file", ErrUnknownTimezone, name)
	}
	footer := lastLine(data)
	rule, err := ParseTZString(footer)
	if err != nil {
		return TZRule{}, fmt.Errorf("%w: %q: %v", ErrUnknownTimezone, name, err)
	}
	return rule, nil
}

// validZoneName refuses names that could leave the zone directory.
func validZoneName(name string) bool {
	if name == "" || name == "Local" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || len(name) > 255 {
		return false
	}
	for _, elem := range strings.Split(name, "/") {
		if elem == "" || elem == "." || elem == ".." {
			return false
		}
	}
	return true
}

func (db TZDB) read(name string) ([]byte, error) {
	sources := db.Sources
	if sources == nil {
		sources = DefaultTZSources()
	}
	for _, src := range sources {
		fi, err := os.Stat(src)
		if err != nil {
			continue
		}
		if fi.IsDir() {
			data, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(name)))
			if err == nil {
				return data, nil
			}
			continue
		}
		if data, err := readZip(src, name); err == nil {
			return data, nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownTimezone, name)
}

func readZip(path, name string) ([]byte, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	f, err := zr.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.IsDir() {
		return nil, fs.ErrNotExist
	}
	return io.ReadAll(io.LimitReader(f, 1<<20))
}

// lastLine is Python's readlines()[-1] with its newline stripped.
func lastLine(data []byte) string {
	body := data
	if len(body) > 0 && body[len(body)-1] == '\n' {
		body = body[:len(body)-1]
	}
	if i := bytes.LastIndexByte(body, '\n'); i >= 0 {
		body = body[i+1:]
	}
	return strings.Trim(string(body), "\n")
}

// TZRule is a parsed POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3").
type TZRule struct {
	StdOffset int // seconds east of UTC
	HasDST    bool
	DSTOffset int
	Start     TZDate
	End       TZDate
}

// TZDate is one transition rule of a TZ string: Mm.w.d (Kind 'M'), Jn or n
// (Kind 'J' or 'n'), at a local time of day in seconds (may be negative or
// past 24 h).
type TZDate struct {
	Kind    byte
	M, W, D int // month, week, weekday (0 = Sunday) for 'M'; D the day for 'J' and 'n'
	Time    int
}

var (
	tzOffsetRE = regexp.MustCompile(`^([^<0-9:.+-]+|<[a-zA-Z0-9+-]+>)(?:([+-]?[0-9]{1,3}(?::[0-9]{2}(?::[0-9]{2})?)?)(?:([^0-9:.+-]+|<[a-zA-Z0-9+-]+>)([+-]?[0-9]{1,3}(?::[0-9]{2}(?::[0-9]{2})?)?)?)?)?$`)
	tzDeltaRE  = regexp.MustCompile(`^([+-])?([0-9]{1,3})(:([0-9]{2})(:([0-9]{2}))?)?$`)
	tzMonthRE  = regexp.MustCompile(`^M([0-9]{1,2})\.([0-9])(?s:.)([0-9])$`)
)

// ParseTZString parses a POSIX TZ string the way CPython's zoneinfo does
// (the parser tzinform relies on), with its limits: offsets of at most 24
// hours, transition times of at most 167, start and end both required
// when there is DST.
func ParseTZString(s string) (TZRule, error) {
	if len(s) > 256 {
		return TZRule{}, errors.New("TZ string too long")
	}
	offsetStr, startEnd, hasRules := strings.Cut(s, ",")
	m := tzOffsetRE.FindStringSubmatch(offsetStr)
	if m == nil {
		return TZRule{}, fmt.Errorf("%q is not a valid TZ string", s)
	}
	var r TZRule
	if m[2] != "" {
		off, err := parseTZDelta(m[2])
		if err != nil {
			return TZRule{}, err
		}
		r.StdOffset = off
	}
	if m[3] == "" {
		if hasRules {
			return TZRule{}, fmt.Errorf("transition rule present without DST: %q", s)
		}
		return r, nil
	}
	r.HasDST = true
	r.DSTOffset = r.StdOffset + 3600
	if m[4] != "" {
		off, err := parseTZDelta(m[4])
		if err != nil {
			return TZRule{}, err
		}
		r.DSTOffset = off
	}
	if !hasRules {
		return TZRule{}, fmt.Errorf("missing transition rules: %q", s)
	}
	startStr, endStr, ok := strings.Cut(startEnd, ",")
	if !ok {
		return TZRule{}, fmt.Errorf("invalid TZ string: %q", s)
	}
	var err error
	if r.Start, err = parseTZDate(startStr); err != nil {
		return TZRule{}, err
	}
	if r.End, err = parseTZDate(endStr); err != nil {
		return TZRule{}, err
	}
	return r, nil
}

// parseTZDelta reads an offset: "+5" is five hours west, so -18000.
func parseTZDelta(s string) (int, error) {
	m := tzDeltaRE.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("invalid offset %q", s)
	}
	h, _ := strconv.Atoi(m[2])
	mi, _ := strconv.Atoi("0" + m[4])
	sec, _ := strconv.Atoi("0" + m[6])
	if h > 24 {
		return 0, fmt.Errorf("offset hours must be in [0, 24]: %q", s)
	}
	total := h*3600 + mi*60 + sec
	if m[1] != "-" {
		total = -total
	}
	return total, nil
}

func parseTZDate(s string) (TZDate, error) {
	date, tm, hasTime := strings.Cut(s, "/")
	d := TZDate{Time: 2 * 3600}
	if strings.HasPrefix(date, "M") {
		m := tzMonthRE.FindStringSubmatch(date)
		if m == nil {
			return TZDate{}, fmt.Errorf("invalid dst start/end date: %q", s)
		}
		d.Kind = 'M'
		d.M, _ = strconv.Atoi(m[1])
		d.W, _ = strconv.Atoi(m[2])
		d.D, _ = strconv.Atoi(m[3])
		if d.M < 1 || d.M > 12 || d.W < 1 || d.W > 5 || d.D > 6 {
			return TZDate{}, fmt.Errorf("invalid dst start/end date: %q", s)
		}
	} else {
		d.Kind = 'n'
		if strings.HasPrefix(date, "J") {
			d.Kind, date = 'J', date[1:]
		}
		n, err := pyInt(date)
		if err != nil {
			return TZDate{}, fmt.Errorf("invalid dst start/end date: %q", s)
		}
		minDay := 0
		if d.Kind == 'J' {
			minDay = 1
		}
		if n < minDay || n > 365 {
			return TZDate{}, fmt.Errorf("day must be in [%d, 365]: %q", minDay, s)
		}
		d.D = n
	}
	if hasTime {
		m := tzDeltaRE.FindStringSubmatch(tm)
		if m == nil {
			return TZDate{}, fmt.Errorf("invalid time: %q", tm)
		}
		h, _ := strconv.Atoi(m[2])
		mi, _ := strconv.Atoi("0" + m[4])
		sec, _ := strconv.Atoi("0" + m[6])
		if h > 167 {
			return TZDate{}, fmt.Errorf("hour must be in [0, 167]: %q", tm)
		}
		d.Time = h*3600 + mi*60 + sec
		if m[1] == "-" {
			d.Time = -d.Time
		}
	}
	return d, nil
}

// pyInt is Python's int() of a string: surrounding white space, a sign,
// decimal digits with single underscores between them.
func pyInt(s string) (int, error) {
	t := strings.TrimSpace(s)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg, t = t[0] == '-', t[1:]
	}
	if t == "" || t[0] == '_' || t[len(t)-1] == '_' || strings.Contains(t, "__") {
		return 0, fmt.Errorf("invalid literal for int(): %q", s)
	}
	t = strings.ReplaceAll(t, "_", "")
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return 0, fmt.Errorf("invalid literal for int(): %q", s)
		}
	}
	n, err := strconv.Atoi(t)
	if err != nil {
		return 0, fmt.Errorf("invalid literal for int(): %q", s)
	}
	if neg {
		n = -n
	}
	return n, nil
}

// Info applies the rule to year as tzinform does.
func (r TZRule) Info(year int) TimezoneInfo {
	info := TimezoneInfo{UTCOffset: r.StdOffset}
	if !r.HasDST {
		return info
	}
	info.DST = &DSTRule{
		Start: change(r.Start.epoch(year)),
		End:   change(r.End.epoch(year)),
		Save:  r.DSTOffset - r.StdOffset,
	}
	return info
}

// epoch is CPython's year_to_epoch: the transition's local wall-clock time
// counted as seconds since 1970 (off by one day for the rare zero-based
// "n" rules, as CPython is).
func (d TZDate) epoch(year int) int64 {
	var days int64
	switch d.Kind {
	case 'M':
		first := time.Date(year, time.Month(d.M), 1, 0, 0, 0, 0, time.UTC)
		inMonth := first.AddDate(0, 1, -1).Day()
		firstWeekday := (int(first.Weekday()) + 6) % 7 // Monday = 0
		day := mod(d.D-(firstWeekday+1), 7) + 1 + (d.W-1)*7
		if day > inMonth {
			day -= 7
		}
		days = first.Unix()/86400 + int64(day-1)
	default:
		n := d.D
		if d.Kind == 'J' && n >= 59 && isLeap(year) {
			n++
		}
		days = daysBeforeYear(year) + int64(n)
	}
	return days*86400 + int64(d.Time)
}

// daysBeforeYear is CPython's _post_epoch_days_before_year.
func daysBeforeYear(year int) int64 {
	y := int64(year - 1)
	return y*365 + floorDiv(y, 4) - floorDiv(y, 100) + floorDiv(y, 400) - 719163
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func mod(a, b int) int { return ((a % b) + b) % b }

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// change describes a transition at epoch (a wall-clock time read as UTC,
// as tzinform's datetime.fromtimestamp(…, tz=utc) does).
func change(epoch int64) DSTChange {
	t := time.Unix(epoch, 0).UTC()
	return DSTChange{
		Month: int(t.Month()),
		Day:   fmt.Sprintf("W%d.%d", weekOfYear(t)-weekOfYear(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC))+1, isoWeekday(t)),
		Time:  t.Hour()*3600 + t.Minute()*60 + t.Second(),
	}
}

// weekOfYear is strftime's %W: weeks start on Monday, days before the
// year's first Monday are in week 0.
func weekOfYear(t time.Time) int {
	monday0 := (int(t.Weekday()) + 6) % 7
	return (t.YearDay() - 1 + 7 - monday0) / 7
}

func isoWeekday(t time.Time) int {
	if t.Weekday() == time.Sunday {
		return 7
	}
	return int(t.Weekday())
}

// FloorDiv is Python's // on ints (tzinform's Time.as_hours and
// as_minutes).
func FloorDiv(a, b int) int { return int(floorDiv(int64(a), int64(b))) }
