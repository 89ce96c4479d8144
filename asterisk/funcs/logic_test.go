package funcs

import (
	"testing"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

func TestIf(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// IF: split at the first '?', then the first ':'.
		{in: "${IF(1?yes:no)}", want: "yes"},
		{in: "${IF(0?yes:no)}", want: "no"},
		// Missing false part: empty.
		{in: "[${IF(0?yes)}]", want: "[]"},
		{in: "[${IF(1?:)}]", want: "[]"},
		// pbx_checkcondition: a leading integer decides ("%30d": 0x10
		// reads as 0, 4294967296 wraps to 0), any other text is true.
		{in: "${IF(abc?yes:no)}", want: "yes"},
		{in: "${IF(-1?yes:no)}", want: "yes"},
		{in: "${IF(0x10?yes:no)}", want: "no"},
		{in: "${IF(00?yes:no)}", want: "no"},
		{in: "${IF(4294967296?yes:no)}", want: "no"},
		{in: "${IF(2abc?yes:no)}", want: "yes"},
		// Each part is trimmed; an expression that trims to nothing is
		// false.
		{in: "${IF( 0 ? yes : no )}", want: "no"},
		{in: "${IF( ?yes:no)}", want: "no"},
		// The stock 000000000000.cfg: quotes are removed from the true part
		// and it is trimmed, so the space after the comma is lost.
		{in: `${IF(1 ? "custom.cfg, ")}`, want: "custom.cfg,"},
		// The false part is raw: quotes and backslashes stay.
		{in: `${IF(0?a:" b\, ")}`, want: `" b\, "`},
		// Splitting respects parentheses and backslashes.
		{in: "${IF(1?f(a:b):c)}", want: "f(a:b)"},
		{in: `${IF(1?a\:b:c)}`, want: "a:b"},
		{in: "${IF(${MAC:0:4}?yes:no)}", want: "yes"},
		// Errors: empty expression, no '?', nothing after the '?'.
		{in: "${IF(?yes:no)}", fails: true},
		{in: "${IF(${EMPTY}?yes:no)}", fails: true},
		{in: "${IF(1)}", fails: true},
		{in: "${IF(1?)}", fails: true},
		{in: "${IF()}", fails: true},
	})
}

func TestIsNullExists(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_logic.c isnull / exists.
		{in: "${ISNULL()}", want: "1"},
		{in: "${ISNULL(${EMPTY})}", want: "1"},
		{in: "${ISNULL(x)}", want: "0"},
		{in: "${ISNULL( )}", want: "0"},
		{in: "${EXISTS()}", want: "0"},
		{in: "${EXISTS(${MAC})}", want: "1"},
	})
}

func TestSet(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// SET returns the value; the variable lives on for the
		// rest of the render.
		{in: "${SET(X=1)}-${X}", want: "1-1"},
		// Both sides are trimmed (ast_strip); only the first '=' splits.
		{in: "${SET( X = a b )}|${X}", want: "a b|a b"},
		{in: "${SET(X=a=b)}|${X}", want: "a=b|a=b"},
		{in: "[${SET(X=)}][${X}]", want: "[][]"},
		// The new value shadows the list for the rest of the render.
		{in: "${SET(MAC=new)}${MAC}", want: "newnew"},
		// A function write is not offered: the value comes back, nothing
		// is set.
		{in: "${SET(ENV(X)=1)}[${ENV(X)}]", want: "1[]"},
		// Errors: no '=' or nothing before it.
		{in: "${SET(X)}", fails: true},
		{in: "${SET(=1)}", fails: true},
	})
}

func TestIfTime(t *testing.T) {
	// The test clock is Tuesday 2023-11-14 22:13:20 UTC; the server zone is
	// UTC. ast_build_timing / ast_check_timing2.
	runCases(t, Config{}, []tcase{
		{in: "${IFTIME(*,*,*,*?yes:no)}", want: "yes", volatile: true},
		{in: "${IFTIME(22:00-23:00,*,*,*?yes:no)}", want: "yes", volatile: true},
		{in: "${IFTIME(08:00-17:00,mon-fri,*,*?yes:no)}", want: "no", volatile: true},
		{in: "${IFTIME(22:13,*,*,*?yes:no)}", want: "yes", volatile: true},
		{in: "${IFTIME(22:14,*,*,*?yes:no)}", want: "no", volatile: true},
		// Ranges wrap past midnight and past the end of the week.
		{in: "${IFTIME(22:00-01:00,*,*,*?yes:no)}", want: "yes", volatile: true},
		{in: "${IFTIME(*,sat-tue,*,*?yes:no)}", want: "yes", volatile: true},
		{in: "${IFTIME(*,wed-mon,*,*?yes:no)}", want: "no", volatile: true},
		// Names compare case-insensitively; numbers are 1-based (so the
		// weekday "3" is Tuesday); '&' joins.
		{in: "${IFTIME(*,TUE,14,Nov?yes:no)}", want: "yes", volatile: true},
		{in: "${IFTIME(*,3,*,*?yes:no)}", want: "yes", volatile: true},
		{in: "${IFTIME(*,*,1&14,oct&nov?yes:no)}", want: "yes", volatile: true},
		{in: "${IFTIME(*,*,15,*?yes:no)}", want: "no", volatile: true},
		// '|' separates like ','.
		{in: "${IFTIME(22:13|tue|14|nov?yes:no)}", want: "yes", volatile: true},
		// A fifth part is the zone: 22:13 UTC is 17:13 in New York.
		{in: "${IFTIME(17:00-18:00,*,*,*,America/New_York?yes:no)}", want: "yes", volatile: true},
		{in: "${IFTIME(17:00-18:00,*,*,*?yes:no)}", want: "no", volatile: true},
		// An invalid part is skipped with a warning: no minute matches.
		{in: "${IFTIME(25:00,*,*,*?yes:no)}", want: "no", volatile: true},
		// Quotes around the whole and around each branch go.
		{in: `${IFTIME("*,*,*,*?yes:no")}`, want: "yes", volatile: true},
		{in: `${IFTIME(*,*,*,*? "yes" :no)}`, want: "yes", volatile: true},
		{in: "[${IFTIME(*,*,*,*?)}]", want: "[]", volatile: true},
		// Errors: no timespec, no '?'.
		{in: "${IFTIME(?yes:no)}", fails: true},
		{in: "${IFTIME(*,*,*,*)}", fails: true},
	})
}

func TestParseTiming(t *testing.T) {
	// get_range: an empty part or "*" is everything; bad names skip.
	tm := parseTiming("*,mon-wed&fri,,foo")
	if tm.weekdays != 1<<1|1<<2|1<<3|1<<5 {
		t.Errorf("weekdays = %b", tm.weekdays)
	}
	if tm.monthDays != 1<<31-1 {
		t.Errorf("month days = %b", tm.monthDays)
	}
	if tm.months != 0 {
		t.Errorf("months = %b (an unknown name matches nothing)", tm.months)
	}
	// Only five parts carry a zone.
	if z := parseTiming("*,*,*,*,Europe/Paris,extra").zone; z != "" {
		t.Errorf("six parts: zone %q", z)
	}
	if z := parseTiming("*|*|*|*|Europe/Paris").zone; z != "Europe/Paris" {
		t.Errorf("five parts: zone %q", z)
	}
	// get_timerange: the end of a range skips non-digits ("- 10:00").
	tm = parseTiming("09:58- 10:00")
	n := 0
	for _, on := range tm.minutes {
		if on {
			n++
		}
	}
	if n != 3 {
		t.Errorf("09:58- 10:00 covers %d minutes, want 3", n)
	}
}

func TestSetIsRenderLocal(t *testing.T) {
	e, _ := newEngine(Config{})
	if got := e.String("${SET(NEWVAR=1)}", nil); got != "1" {
		t.Fatal(got)
	}
	if got := e.Substitute("[${NEWVAR}]", subst.Vars{}, subst.Options{}).Text; got != "[]" {
		t.Errorf("SET leaked into the next render: %q", got)
	}
}
