package provd

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/phoneprovd/phoneprovd/internal/testtool"
)

// TestParseTZString: TZ strings of the tz database and the forms CPython's
// parser refuses.
func TestParseTZString(t *testing.T) {
	cases := []struct {
		s    string
		want TZRule
		err  bool
	}{
		{s: "CET-1CEST,M3.5.0,M10.5.0/3", want: TZRule{StdOffset: 3600, HasDST: true, DSTOffset: 7200,
			Start: TZDate{Kind: 'M', M: 3, W: 5, D: 0, Time: 7200}, End: TZDate{Kind: 'M', M: 10, W: 5, D: 0, Time: 10800}}},
		{s: "IST-5:30", want: TZRule{StdOffset: 19800}},
		{s: "UTC0", want: TZRule{}},
		{s: "<-03>3", want: TZRule{StdOffset: -10800}},
		{s: "NST3:30NDT,M3.2.0,M11.1.0", want: TZRule{StdOffset: -12600, HasDST: true, DSTOffset: -9000,
			Start: TZDate{Kind: 'M', M: 3, W: 2, Time: 7200}, End: TZDate{Kind: 'M', M: 11, W: 1, Time: 7200}}},
		{s: "IST-1GMT0,M10.5.0,M3.5.0/1", want: TZRule{StdOffset: 3600, HasDST: true, DSTOffset: 0,
			Start: TZDate{Kind: 'M', M: 10, W: 5, Time: 7200}, End: TZDate{Kind: 'M', M: 3, W: 5, Time: 3600}}},
		{s: "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", want: TZRule{StdOffset: -7200, HasDST: true, DSTOffset: -3600,
			Start: TZDate{Kind: 'M', M: 3, W: 5, Time: -3600}, End: TZDate{Kind: 'M', M: 10, W: 5, Time: 0}}},
		{s: "EST5EDT,J60/2,300", want: TZRule{StdOffset: -18000, HasDST: true, DSTOffset: -14400,
			Start: TZDate{Kind: 'J', D: 60, Time: 7200}, End: TZDate{Kind: 'n', D: 300, Time: 7200}}},
		{s: "", err: true},
		{s: "CET-1CEST", err: true},            // DST without rules
		{s: "CET-1,M3.5.0,M10.5.0", err: true}, // rules without DST
		{s: "CET-25", err: true},               // offset over 24 h
		{s: "CET-1CEST,M13.5.0,M10.5.0", err: true},
		{s: "CET-1CEST,M3.5.0/168,M10.5.0", err: true},
		{s: "CET-1CEST,M3.5.0", err: true},
		{s: "CET-1CEST,J0,M10.5.0", err: true},
	}
	for _, tc := range cases {
		got, err := ParseTZString(tc.s)
		if (err != nil) != tc.err || (err == nil && got != tc.want) {
			t.Errorf("ParseTZString(%q) = %+v, %v; want %+v, error %v", tc.s, got, err, tc.want, tc.err)
		}
	}
}

// TestTimezoneInfoByHand: values derived by hand from tzinform's steps.
// Europe/Paris 2026: DST from Sunday 29 March 02:00 (the 5th %W week of
// March counted from the week holding the 1st, a Sunday) to Sunday 25
// October 03:00; Sydney, the other way round; Kolkata none.
func TestTimezoneInfoByHand(t *testing.T) {
	paris, _ := ParseTZString("CET-1CEST,M3.5.0,M10.5.0/3")
	got := paris.Info(2026)
	want := TimezoneInfo{UTCOffset: 3600, DST: &DSTRule{
		Start: DSTChange{Month: 3, Day: "W5.7", Time: 7200},
		End:   DSTChange{Month: 10, Day: "W4.7", Time: 10800},
		Save:  3600,
	}}
	if got.UTCOffset != want.UTCOffset || *got.DST != *want.DST {
		t.Errorf("Paris 2026: %+v %+v", got, got.DST)
	}
	sydney, _ := ParseTZString("AEST-10AEDT,M10.1.0,M4.1.0/3")
	got = sydney.Info(2026)
	// 4 October 2026 is a Sunday; 1 October a Thursday (same %W week as
	// the 4th), so week 1. 5 April 2026; 1 April a Wednesday: week 1.
	if got.UTCOffset != 36000 || *got.DST != (DSTRule{Start: DSTChange{10, "W1.7", 7200}, End: DSTChange{4, "W1.7", 10800}, Save: 3600}) {
		t.Errorf("Sydney 2026: %+v %+v", got, got.DST)
	}
	// Jerusalem's M3.4.4/26: Thursday 26 March 2026 at 26:00 is Friday
	// 27 March 02:00.
	jer, _ := ParseTZString("IST-2IDT,M3.4.4/26,M10.5.0")
	if got := jer.Info(2026); got.DST.Start != (DSTChange{3, "W5.5", 7200}) {
		t.Errorf("Jerusalem 2026 start: %+v", got.DST.Start)
	}
}

// TestTimezoneInfoMatchesPython compares every zone of the system's tz
// database, for three years, with what tzinform computes in CPython
// (testdata/tzinform_oracle.py, which uses CPython's own TZ string parser).
func TestTimezoneInfoMatchesPython(t *testing.T) {
	testtool.NeedPython(t, "zoneinfo")
	const zoneDir = "/usr/share/zoneinfo"
	if _, err := os.Stat(filepath.Join(zoneDir, "Europe/Paris")); err != nil {
		testtool.Missing(t, "the system tz database in "+zoneDir)
	}
	db := TZDB{Sources: []string{zoneDir}}
	for _, year := range []int{2025, 2026, 2031} {
		cmd := exec.Command("python3", "testdata/tzinform_oracle.py", strconv.Itoa(year), zoneDir)
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("oracle: %v\n%s", err, stderr.String())
		}
		n := 0
		sc := bufio.NewScanner(&out)
		for sc.Scan() {
			var o struct {
				Name      string
				Error     bool
				UTCOffset int `json:"utcoffset"`
				DST       *struct {
					Start, End struct {
						Month int
						Day   string
						Time  int
					}
					Save int
				}
			}
			if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
				t.Fatal(err)
			}
			got, err := db.Info(o.Name, year)
			if o.Error {
				if err == nil {
					t.Errorf("%s: Python cannot read it, Go gives %+v", o.Name, got)
				}
				continue
			}
			n++
			if err != nil {
				t.Errorf("%s %d: %v", o.Name, year, err)
				continue
			}
			if got.UTCOffset != o.UTCOffset || (got.DST == nil) != (o.DST == nil) {
				t.Errorf("%s %d: offset %d dst %v, Python %d %v", o.Name, year, got.UTCOffset, got.DST != nil, o.UTCOffset, o.DST != nil)
				continue
			}
			if o.DST != nil {
				want := DSTRule{
					Start: DSTChange{o.DST.Start.Month, o.DST.Start.Day, o.DST.Start.Time},
					End:   DSTChange{o.DST.End.Month, o.DST.End.Day, o.DST.End.Time},
					Save:  o.DST.Save,
				}
				if *got.DST != want {
					t.Errorf("%s %d: %+v, Python %+v", o.Name, year, *got.DST, want)
				}
			}
		}
		if n < 300 {
			t.Errorf("year %d: only %d zones compared", year, n)
		}
	}
}

// TestTZDBRefusesBadNames: names that could leave the zone directory, and
// unknown names.
func TestTZDBRefusesBadNames(t *testing.T) {
	db := TZDB{Sources: []string{"/usr/share/zoneinfo"}}
	for _, name := range []string{"", "Local", "../etc/passwd", "/etc/passwd", "Europe/../../etc/passwd", "Moon/Sea_of_Tranquility", `Europe\Paris`} {
		if _, err := db.Info(name, 2026); err == nil {
			t.Errorf("Info(%q) accepted", name)
		}
	}
}
