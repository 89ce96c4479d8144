package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestLimits: every safety limit ends the load with an error wrapping
// errTooLarge, where Asterisk would exhaust memory or time.
func TestLimits(t *testing.T) {
	small := func(edit func(*limits)) limits {
		lim := defaultLimits()
		edit(&lim)
		return lim
	}
	var doubling strings.Builder
	doubling.WriteString("[s0]\nx=1\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&doubling, "[s%d](s%d,s%d)\n", i, i-1, i-1)
	}
	tests := []struct {
		name  string
		files map[string]string
		lim   limits
	}{
		{"bytes", map[string]string{"main.conf": "[s]\n" + strings.Repeat("a=1\n", 1000)},
			small(func(l *limits) { l.bytes = 1000 })},
		{"bytes across includes", map[string]string{"main.conf": "[s]\n#include a.conf\n#include a.conf\n", "a.conf": strings.Repeat("a=1\n", 100)},
			small(func(l *limits) { l.bytes = 700 })},
		{"lines", map[string]string{"main.conf": strings.Repeat("\n", 5000)},
			small(func(l *limits) { l.lines = 1000 })},
		{"sections", map[string]string{"main.conf": strings.Repeat("[s]\n", 500)},
			small(func(l *limits) { l.sections = 100 })},
		// [sN](sN-1,sN-1) doubles the variables on every line.
		{"inheritance doubling", map[string]string{"main.conf": doubling.String()},
			small(func(l *limits) { l.vars = 100000 })},
		{"append work", map[string]string{"main.conf": "[s]\n" + strings.Repeat("a=1\n", 300) + strings.Repeat("a+=2\n", 300)},
			small(func(l *limits) { l.work = 10000 })},
		// A file that tries to include itself four times would be read 4^10
		// times. (With #include, Asterisk's include-level leak makes the load
		// fail early instead, see TestIncludeBombFailsEarly.)
		{"include bomb", map[string]string{"main.conf": "[s]\n" + strings.Repeat("#tryinclude main.conf\n", 4)},
			small(func(l *limits) { l.files = 500 })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadMem(tt.files, tt.lim)
			if !errors.Is(err, errTooLarge) {
				t.Fatalf("got %v (%d sections), want a limit error", err, sectionsOf(c))
			}
			var e *Error
			if !errors.As(err, &e) || e.File == "" {
				t.Errorf("error without a file: %v", err)
			}
		})
	}
}

// TestIncludeBombFailsEarly: every refused #include at the depth limit
// invalidates its file without lowering the include level again
// (ast_config_internal_load), so the refusals climb back up to the main
// file, which becomes invalid after a few dozen reads.
func TestIncludeBombFailsEarly(t *testing.T) {
	_, err := loadMem(map[string]string{"main.conf": "[s]\n" + strings.Repeat("#include main.conf\n", 4)}, defaultLimits())
	var e *Error
	if !errors.As(err, &e) || errors.Is(err, errTooLarge) || e.Line != 3 || !strings.Contains(e.Msg, "nested more than 10 levels") {
		t.Fatalf("got %v", err)
	}
}

// sectionsOf counts sections of a possibly nil Config.
func sectionsOf(c *Config) int {
	if c == nil {
		return 0
	}
	return len(c.Sections)
}

// TestLimitsLeaveRoom: the default limits accept a generous real-world
// configuration.
func TestLimitsLeaveRoom(t *testing.T) {
	c, err := loadMem(map[string]string{"main.conf": generateUsers(2000)}, defaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sections) != 2002 {
		t.Errorf("%d sections", len(c.Sections))
	}
}

// TestWarningCap: at most maxWarnings warnings are kept, the last saying
// that more were dropped.
func TestWarningCap(t *testing.T) {
	c, err := loadMem(map[string]string{"main.conf": "[s]\n" + strings.Repeat("noequals\n", 3000)}, defaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != maxWarnings || !strings.Contains(c.Warnings[maxWarnings-1].Msg, "too many warnings") {
		t.Errorf("%d warnings, last %v", len(c.Warnings), c.Warnings[len(c.Warnings)-1])
	}
}
