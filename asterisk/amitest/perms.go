package amitest

import (
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"math"
	"strconv"
	"strings"
)

// Permission classes of manager users, actions and events, with the bit
// values of include/asterisk/manager.h (EVENT_FLAG_*).
const (
	classSystem    = 1 << 0
	classCall      = 1 << 1
	classReporting = 1 << 9
	classConfig    = 1 << 7
	classSecurity  = 1 << 18
	classAll       = math.MaxInt32
)

// permLabels is the class table of main/manager.c in its order, which is
// also the order in which a Privilege: header lists classes.
var permLabels = []struct {
	mask  int
	label string
}{
	{1 << 0, "system"},
	{1 << 1, "call"},
	{1 << 2, "log"},
	{1 << 3, "verbose"},
	{1 << 4, "command"},
	{1 << 5, "agent"},
	{1 << 6, "user"},
	{1 << 7, "config"},
	{1 << 8, "dtmf"},
	{1 << 9, "reporting"},
	{1 << 10, "cdr"},
	{1 << 11, "dialplan"},
	{1 << 12, "originate"},
	{1 << 13, "agi"},
	{1 << 15, "cc"},
	{1 << 16, "aoc"},
	{1 << 17, "test"},
	{1 << 18, "security"},
	{1 << 30, "message"},
	{classAll, "all"},
	{0, "none"},
}

// authorityString renders a class mask the way a Privilege: header shows it,
// mirroring authority_to_str: every label whose bits intersect the mask, so a
// single class always ends in ",all".
func authorityString(mask int) string {
	var labels []string
	for _, p := range permLabels[:len(permLabels)-1] {
		if mask&p.mask != 0 {
			labels = append(labels, p.label)
		}
	}
	if len(labels) == 0 {
		return "<none>"
	}
	return strings.Join(labels, ",")
}

// inCommaList reports whether word appears in the comma-separated list,
// mirroring ast_instring: an item before a comma matches when it is a prefix
// of word (so an empty item matches everything), the last item must match
// exactly, and a trailing comma ends the search.
func inCommaList(list, word string) bool {
	rest := list
	for {
		i := strings.IndexByte(rest, ',')
		if i < 0 {
			return rest == word
		}
		if strings.HasPrefix(word, rest[:i]) {
			return true
		}
		rest = rest[i+1:]
		if rest == "" {
			return false
		}
	}
}

// permMask converts a manager.conf read=/write= list to a class mask,
// mirroring get_perm.
func permMask(list string) int {
	mask := 0
	for _, p := range permLabels {
		if inCommaList(list, p.label) {
			mask |= p.mask
		}
	}
	return mask
}

// eventMask converts an Events:/EventMask: value to a mask, mirroring
// strings_to_mask: -1 for an empty value (leave unchanged), a number as
// itself, a false word as 0, a true word as every class, otherwise the
// listed classes.
func eventMask(value string) int {
	if value == "" {
		return -1
	}
	if strings.Trim(value, "0123456789") == "" {
		n, err := strconv.ParseInt(value, 10, 32)
		if err != nil {
			return math.MaxInt32
		}
		return int(n)
	}
	switch {
	case cstring.False(value):
		return 0
	case cstring.True(value):
		all := 0
		for _, p := range permLabels {
			all |= p.mask
		}
		return all
	}
	return permMask(value)
}
