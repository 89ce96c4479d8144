package profiletest

// Reading back the daylight saving time rule each format carries, in one
// form: month, week of the month (5 = the last), weekday (0 = Sunday) and
// the hour on the clock, as the vendors' guides describe the settings (see
// each profile's README.md). Each family's test has the reader of its
// formats.

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DSTChange is one change of a rule.
type DSTChange struct {
	Month, Week, Wday, Hour int
}

func (c DSTChange) String() string {
	week := strconv.Itoa(c.Week)
	if c.Week == 5 {
		week = "last"
	}
	return fmt.Sprintf("%s week %s %s %d:00", time.Month(c.Month), week, time.Weekday(c.Wday), c.Hour)
}

// DSTRule is a daylight saving time rule; Save is the shift in minutes.
type DSTRule struct {
	Start, End DSTChange
	Save       int
}

func (r DSTRule) String() string {
	return fmt.Sprintf("from %v to %v, +%d min", r.Start, r.End, r.Save)
}

// DSTReader reads the rule of a rendered file; on is false when the file
// turns daylight saving time off.
type DSTReader func(s Settings) (rule DSTRule, on bool, err error)

// Numbers parses the settings' numbers, collecting the first error (Err).
type Numbers struct{ Err error }

// N parses s as a number.
func (a *Numbers) N(what, s string) int {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil && a.Err == nil {
		a.Err = fmt.Errorf("%s: %q is not a number", what, s)
	}
	return v
}

// One returns a setting's single value.
func (a *Numbers) One(s Settings, key string) string {
	v, err := s.One(key)
	if err != nil && a.Err == nil {
		a.Err = err
	}
	return v
}

// Fail records err unless an error is recorded already.
func (a *Numbers) Fail(err error) {
	if a.Err == nil {
		a.Err = err
	}
}

// WeekOfFirstDay is the week whose first day is mday (1, 8, 15, 22).
func (a *Numbers) WeekOfFirstDay(what string, mday int) int {
	if mday < 1 || mday > 22 || (mday-1)%7 != 0 {
		a.Fail(fmt.Errorf("%s: day %d is not the first day of a week (1, 8, 15, 22)", what, mday))
	}
	return (mday-1)/7 + 1
}

// Monday1 converts a weekday counted from Monday = 1 to Sunday = 0.
func (a *Numbers) Monday1(what, s string) int {
	d := a.N(what, s)
	if d < 1 || d > 7 {
		a.Fail(fmt.Errorf("%s: weekday %d is not 1 to 7", what, d))
	}
	return d % 7
}
