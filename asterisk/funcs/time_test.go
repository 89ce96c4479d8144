package funcs

import (
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

func TestStrftime(t *testing.T) {
	// The test clock is 1700000000.123456, Tuesday 2023-11-14 22:13:20
	// UTC; the server zone is UTC.
	runCases(t, Config{}, []tcase{
		// STRFTIME: epoch defaults to now (volatile), zone to the
		// server's, format to %c.
		{in: "${STRFTIME()}", want: "Tue Nov 14 22:13:20 2023", volatile: true},
		{in: "${STRFTIME(1700000000)}", want: "Tue Nov 14 22:13:20 2023"},
		{in: "${STRFTIME(1700000000,)}", want: "Tue Nov 14 22:13:20 2023"},
		{in: "${STRFTIME(1700000000,,%Y-%m-%d %H:%M:%S)}", want: "2023-11-14 22:13:20"},
		// An empty format gives "" (strftime returns 0; only a warning).
		{in: "[${STRFTIME(1700000000,,)}]", want: "[]"},
		// The format is the raw remainder: commas and quotes are kept.
		{in: `${STRFTIME(1700000000,UTC,%H,%M "%S")}`, want: `22,13 "20"`},
		// The requested zone's fields, offset and abbreviation (Asterisk
		// prints the host's abbreviation, a bug not reproduced:
		// docs/asterisk.md#dialplan-functions).
		{in: "${STRFTIME(1700000000,America/New_York,%F %T %Z %z)}", want: "2023-11-14 17:13:20 EST -0500"},
		{in: "${STRFTIME(1690000000,America/New_York,%Z %z)}", want: "EDT -0400"},
		{in: "${STRFTIME(1141219835,America/Chicago,%F %T %Z)}", want: "2006-03-01 07:30:35 CST"},
		// %s is the epoch given, whatever the zone.
		{in: "${STRFTIME(1700000000,America/New_York,%s)}", want: "1700000000"},
		// ast_tzset: an unknown zone is GMT; a POSIX TZ string is parsed.
		{in: "${STRFTIME(1700000000,Nowhere/Zone,%H %Z)}", want: "22 GMT"},
		{in: "${STRFTIME(1700000000,GMT+5,%H %Z %z)}", want: "17 GMT -0500"},
		{in: "${STRFTIME(1700000000,<+0530>-5:30,%H:%M %Z)}", want: "03:43 +0530"},
		{in: "${STRFTIME(1690000000,XYZ5ABC,%H %Z)}", want: "00 ABC"},
		{in: "${STRFTIME(1700000000,:America/New_York,%Z)}", want: "EST"},
		// ast_get_timeval: "%30Lf"; an unreadable epoch means now.
		{in: "${STRFTIME(abc,UTC,%s)}", want: "1700000000", volatile: true},
		{in: "${STRFTIME( 1e3,UTC,%s)}", want: "1000"},
		{in: "${STRFTIME(-1,UTC,%F %T)}", want: "1969-12-31 23:59:59"},
		// Asterisk's %[n]q, fractions of the second (default 3).
		{in: "${STRFTIME(,,%S.%q)}", want: "20.123", volatile: true},
		{in: "${STRFTIME(,,%S.%6q|%1q|%2q)}", want: "20.123456|1|12", volatile: true},
		{in: "${STRFTIME(1.5,UTC,%S.%3q)}", want: "01.500"},
		{in: "${STRFTIME(1700000000.25,UTC,%s.%2q)}", want: "1700000000.25"},
		// Long double arithmetic: 0.3 gives 300000 microseconds, where a
		// double would give 299999.
		{in: "${STRFTIME(0.3,UTC,%6q)}", want: "300000"},
		// Negative epochs: the fraction is negative too.
		{in: "${STRFTIME(-1.5,UTC,%s %3q)}", want: "-1 -500"},
		// %7q is not Asterisk's: glibc copies it, padded to its width 7; in
		// "%%1q" the second
		// '%' starts a %1q, leaving strftime "%5": a '%' with width 5 at
		// the end of the format, copied and padded.
		{in: "${STRFTIME(1.5,UTC,%7q)}", want: "    %7q"},
		{in: "${STRFTIME(1.5,UTC,%%1q)}", want: "   %5"},
		// glibc flags, widths and conversions in the C locale.
		{in: "${STRFTIME(1700000000,UTC,%^a %-d %_m %e %k %l %P %j %U %W %V %G %u %w %C %y)}",
			want: "TUE 14 11 14 22 10 pm 318 46 46 46 2023 2 2 20 23"},
		{in: "${STRFTIME(1700000000,UTC,%D %r %R %T %h%n%t%%)}", want: "11/14/23 10:13:20 PM 22:13 22:13:20 Nov\n\t%"},
		{in: "${STRFTIME(1700000000,UTC,%10A|%-5H|%_5H|%05e|%#b|%^B|%Ey|%Oe|%EB|%OY|%10Q)}",
			want: "   Tuesday|   22|   22|00014|NOV|NOVEMBER|23|14|%EB|%OY|      %10Q"},
	})
	// The 4096-byte buffer: a conversion that does not fit ends the
	// output with what fitted.
	e, _ := newEngine(Config{})
	if got := e.String("${STRFTIME(1700000000,UTC,%4093Y%Y)}", nil); len(got) != 4093 || !strings.HasSuffix(got, "2023") {
		t.Errorf("overflowing STRFTIME: %d bytes", len(got))
	}
	// The server zone is Config.Location.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	e, _ = newEngine(Config{Location: ny})
	if got := e.String("${STRFTIME(1700000000,,%H %Z)}", nil); got != "17 EST" {
		t.Errorf("server zone: %q", got)
	}
}

func TestStrptime(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_strings.c documentation example.
		{in: "${STRPTIME(2006-03-01 07:30:35,America/Chicago,%Y-%m-%d %H:%M:%S)}", want: "1141219835"},
		{in: "${STRPTIME(2023-11-14 22:13:20,UTC,%Y-%m-%d %H:%M:%S)}", want: "1700000000"},
		// An empty zone is the server's.
		{in: "${STRPTIME(2023-11-14 22:13:20,,%Y-%m-%d %H:%M:%S)}", want: "1700000000"},
		{in: "${STRPTIME(2023-11-14 10:13:20 pm,UTC,%Y-%m-%d %I:%M:%S %p)}", want: "1700000000"},
		{in: "${STRPTIME(14 NOV 2023,UTC,%d %b %Y)}", want: "1699920000"},
		{in: "${STRPTIME(2024 100,UTC,%Y %j)}", want: "1712620800"},
		// The format is raw, the time string is not: quotes let a comma in.
		{in: `${STRPTIME("14,2023",UTC,%d,%Y)}`, want: "1673654400"},
		// Fields strptime leaves alone stay 0: day 0 of January 1900 is
		// 1899-12-31, and the epoch is cut to a C int.
		{in: "${STRPTIME(12:00,UTC,%H:%M)}", want: "2085935296"},
		{in: "${STRPTIME(2040-01-01,UTC,%Y-%m-%d)}", want: "-2085978496"},
		// Second 60 is added after the search: 22:13:60 is 22:14:00.
		{in: "${STRPTIME(2023-11-14 22:13:60,UTC,%Y-%m-%d %H:%M:%S)}", want: "1700000040"},
		// tzcode's mktime finds no instant for a time a DST change skips.
		{in: "${STRPTIME(2023-03-12 02:30,America/New_York,%Y-%m-%d %H:%M)}", want: "0"},
		{in: "${STRPTIME(2023-03-12 03:30,America/New_York,%Y-%m-%d %H:%M)}", want: "1678606200"},
		// %s gives the epoch back (see readStrptime on the host zone).
		{in: "${STRPTIME(1700000000,America/New_York,%s)}", want: "1700000000"},
		// No match: "" and a warning, not an error.
		{in: "[${STRPTIME(garbage,UTC,%Y-%m-%d)}]", want: "[]"},
		{in: "[${STRPTIME(,UTC,%Y)}]", want: "[]"},
		// Errors: no format.
		{in: "${STRPTIME(2023,UTC,)}", fails: true},
		{in: "${STRPTIME(2023)}", fails: true},
		{in: "${STRPTIME()}", fails: true},
	})
}

func TestStrptimeGlibc(t *testing.T) {
	// Each expectation was produced by glibc 2.36's strptime in the C
	// locale: the bytes consumed (-1: no match) and the fields
	// sec min hour mday mon year wday yday.
	tests := []struct{ in, format, want string }{
		{"2024 100", "%Y %j", "8 0 0 0 9 3 124 2 99"},
		{"12:30", "%OH:%OM", "-1"}, // the second O conversion fails
		{"12", "%OH", "2 0 0 12 0 0 0 0 0"},
		{"2024", "%Ey", "-1"}, // an era year, then a year in the century
		{"1970 366", "%Y %j", "8 0 0 0 31 24 70 5 365"},
		{"Tuesday", "%a", "7 0 0 0 0 0 0 2 0"},
		{"MonTuesday", "%a", "10 0 0 0 0 0 0 2 0"},
		{"20Mon", "%ECa%a", "-1"},
		{" 20:26-Mon tail", "%EC:%g-%a", "7 0 0 0 0 0 100 1 -1"},
		{"/Monday6019", "/%A%Oy%C", "11 0 0 0 0 0 0 1 -1"},
		{"1700000000", "%s", "10 20 13 22 14 10 123 2 317"},
		{"Foo bar", "%Z bar", "7 0 0 0 0 0 0 0 0"},
		{"  14 nov", "%e %b", "8 0 0 0 14 10 0 3 317"},
		{"69 5", "%y %C", "4 0 0 0 0 0 -1331 6 -1"},
		{"+0530", "%z", "5 0 0 0 0 0 0 0 0"},
		{"PM 1", "%p %I", "4 0 0 13 0 0 0 0 0"},
		{"2023 45 2", "%Y %U %w", "9 0 0 0 7 10 123 2 310"},
	}
	for _, tt := range tests {
		var tm brokenTime
		st := strptimeState{century: -1}
		rest, ok := parseTime(tt.in, tt.format, &tm, &st, func(s int64) brokenTime { return localTime(s, time.UTC) }, 0)
		got := "-1"
		if ok {
			finishStrptime(&tm, &st)
			got = strings.Join([]string{itoa(len(tt.in) - len(rest)), itoa(tm.sec), itoa(tm.min), itoa(tm.hour),
				itoa(tm.mday), itoa(tm.mon), itoa(tm.year), itoa(tm.wday), itoa(tm.yday)}, " ")
		}
		if got != tt.want {
			t.Errorf("strptime(%q, %q) = %s, want %s", tt.in, tt.format, got, tt.want)
		}
	}
}

func TestStrftimeGlibc(t *testing.T) {
	// Each expectation was produced by glibc 2.36's strftime with TZ set
	// to the zone; size is the buffer (output that does not fit stops
	// at the last conversion that did).
	tests := []struct {
		epoch  int64
		zone   string
		size   int
		format string
		want   string
		fits   bool
	}{
		{1700000000, "America/New_York", 4096, "%-5d|%_5d|%05d|%10z|%-10z|%10s|%^c|%#Z|%Ey|%EY|%OY|%5Q|%",
			"   14|   14|00014|         -0000000500|         -       500|1700000000|TUE NOV 14 17:13:20 2023|est|23|2023|%OY|  %5Q|%", true},
		{1707765548, "Pacific/Chatham", 4096, "ab%O%010M %_s", "ab%010M 1707765548", true},
		{1773807659, "UTC", 4096, "%_13z%_O%1%^_S", "            +            0%159", true},
		{1761729492, "Pacific/Chatham", 23, "%%%#Rx%12q%E%^V", "%23:03x        %12q%^V", true},
		{1798430306, "America/St_Johns", 18, " %-O%Od %11G", " %Od 00000002026", true},
		{1700000000, "UTC", 10, "%Y-%m-%d", "2023-11-", false},
		{-6428173595, "America/St_Johns", 4096, "%^E%%c%0#n%_041", "%Sat Apr 19 16:42:33 1766\n000000000000000000000000000000000000%_041", true},
		{-51915750832, "America/St_Johns", 4096, "%^j%13O%x%#r", "314            %x02:35:16 AM", true},
	}
	for _, tt := range tests {
		loc, err := time.LoadLocation(tt.zone)
		if err != nil {
			t.Skip(err)
		}
		tm := localTime(tt.epoch, loc)
		got, fits := strftime(tt.format, &tm, tt.size)
		if got != tt.want || fits != tt.fits {
			t.Errorf("strftime(%q) at %d in %s = %q %v, want %q %v", tt.format, tt.epoch, tt.zone, got, fits, tt.want, tt.fits)
		}
	}
}

func TestMktime(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	tests := []struct {
		name string
		tm   brokenTime
		want int64
	}{
		// Plain times agree with glibc's mktime.
		{"plain", brokenTime{year: 123, mon: 10, mday: 14, hour: 17, min: 13, sec: 20}, 1700000000},
		// Out-of-range fields are normalised first.
		{"normalised", brokenTime{year: 123, mon: 10, mday: 13, hour: 41, min: 13, sec: 20}, 1700000000},
		{"day zero", brokenTime{year: 123, mon: 11, mday: 0, hour: 17, min: 13, sec: 20}, 1700000000 + 16*86400},
		// A wall-clock time the spring change skips: tzcode returns 0.
		{"gap", brokenTime{year: 123, mon: 2, mday: 12, hour: 2, min: 30}, 0},
		// The first hour after the autumn change happens twice; the
		// binary search meets the later (EST) instant first.
		{"repeated", brokenTime{year: 169, mon: 10, mday: 3, hour: 1, min: 40}, 3150686400},
		// Second 60 is added after the search.
		{"leap second", brokenTime{year: 123, mon: 10, mday: 14, hour: 17, min: 13, sec: 60}, 1700000040},
	}
	for _, tt := range tests {
		if got := mktime(tt.tm, ny); got != tt.want {
			t.Errorf("%s: mktime = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestLoadZone(t *testing.T) {
	at := func(loc *time.Location, sec int64) string {
		name, off := time.Unix(sec, 0).In(loc).Zone()
		return name + " " + itoa(off)
	}
	tests := []struct {
		zone         string
		winter, summ string // at 1700000000 (November) and 1690000000 (July)
	}{
		{"America/New_York", "EST -18000", "EDT -14400"},
		{":Europe/London", "GMT 0", "BST 3600"},
		{"UTC", "UTC 0", "UTC 0"},
		// Unknown names, ":name" that does not load, and "Local" are GMT.
		{"Nowhere/Zone", "GMT 0", "GMT 0"},
		{":XYZ5", "GMT 0", "GMT 0"},
		{"Local", "GMT 0", "GMT 0"},
		{"/etc/localtime", "GMT 0", "GMT 0"},
		// POSIX TZ strings (tzcode's tzparse): names of any length, offsets
		// west of UTC, US rules when none are given.
		{"GMT+5", "GMT -18000", "GMT -18000"},
		{"A5", "A -18000", "A -18000"},
		{"XYZ-5:30", "XYZ 19800", "XYZ 19800"},
		{"XYZ5ABC", "XYZ -18000", "ABC -14400"},
		{"XYZ5ABC,M3.2.0,M11.1.0", "XYZ -18000", "ABC -14400"},
		{"XYZ5ABC4,J60/2,J300", "XYZ -18000", "ABC -14400"},
		{"<+03>-3", "+03 10800", "+03 10800"},
		// Malformed rules fall back to GMT, as tzparse's failure does.
		{"XYZ5ABC,M13.1.0,M11.1.0", "GMT 0", "GMT 0"},
		{"XYZ5ABC;M3.2.0/1:30,M11.1.0", "GMT 0", "GMT 0"},
		{"XYZ", "GMT 0", "GMT 0"},
		{"XYZ200", "GMT 0", "GMT 0"},
	}
	for _, tt := range tests {
		loc := loadZone(tt.zone)
		if got := at(loc, 1700000000); got != tt.winter {
			t.Errorf("%s in November: %s, want %s", tt.zone, got, tt.winter)
		}
		if got := at(loc, 1690000000); got != tt.summ {
			t.Errorf("%s in July: %s, want %s", tt.zone, got, tt.summ)
		}
	}
}

func TestZoneCacheBounded(t *testing.T) {
	z := zones{server: time.UTC, cache: map[string]*time.Location{}}
	for i := range zoneCacheSize * 3 {
		z.location("X" + itoa(i))
	}
	if len(z.cache) > zoneCacheSize {
		t.Errorf("cache holds %d zones", len(z.cache))
	}
	if z.location("") != time.UTC {
		t.Error("empty zone is not the server's")
	}
}

func TestVolatility(t *testing.T) {
	// Only clock-dependent results are volatile (subst.Result.Volatile).
	e, _ := newEngine(Config{})
	for in, want := range map[string]bool{
		"${STRFTIME(1,UTC,%s)}":   false,
		"${STRFTIME(,UTC,%s)}":    true,
		"${STRFTIME(x)}":          true,
		"${IFTIME(*,*,*,*?a:b)}":  true,
		"${STRPTIME(1,UTC,%s)}":   false,
		"${TOUPPER(${MAC})}":      false,
		"${IF(${EPOCH}?a:b)}":     true,
		"${IFTIME(?a:b)}":         false,
		"${MATH(1+1)}${LEN(abc)}": false,
	} {
		if got := e.Substitute(in, testVars, subst.Options{}).Volatile; got != want {
			t.Errorf("%s: volatile %v, want %v", in, got, want)
		}
	}
}
