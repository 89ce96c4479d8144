package funcs

import (
	"math"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// readCut is CUT(varname,delimiter,fields) (func_cut.c cut_internal): the
// chosen fields of the variable's value, rejoined with the delimiter.
//
// The delimiter is the first character of the second argument after
// escape decoding ("\t", "\x41", "\054"); argument splitting has already
// removed one level of backslashes, so a template writes "\\t" for a TAB.
// An empty or malformed delimiter means '-'. fields is the raw remainder:
// ranges N, N-M, N- and -M joined with '&', 1-based, read left to right
// over the value (a range that goes backwards outputs nothing new). An
// empty value gives "" whatever the ranges; a range that does not parse is
// an error, unless the fields ran out before it was reached.
func readCut(c *subst.Call, data string) (string, error) {
	args := subst.SplitArgs(cString(data), ',', 3, true)
	if len(args) < 3 {
		return "", usage("CUT(<varname>,<char-delim>,<range-spec>) - missing argument")
	}
	value := cString(varValue(c, args[0]))
	delim, _, ok := decodeChar(args[1])
	if !ok {
		delim = '-'
	}
	if value == "" {
		return "", nil
	}
	var sep string
	if delim != 0 {
		sep = string([]byte{delim})
	}
	fields := sepCursor{rest: value}
	specs := sepCursor{rest: args[2]}
	var out strings.Builder
	outCount := 0
	cur := 1
	for !fields.done {
		spec, ok := specs.next("&")
		if !ok {
			break
		}
		start, stop, ok := parseCutRange(spec)
		if !ok {
			return "", usage("CUT(<varname>,<char-delim>,<range-spec>): bad range %q", spec)
		}
		for !fields.done && cur < start {
			fields.next(sep)
			cur++
		}
		for !fields.done && cur <= stop {
			f, _ := fields.next(sep)
			if outCount > 0 {
				out.WriteString(sep)
			}
			out.WriteString(f)
			outCount++
			cur++
		}
	}
	return out.String(), nil
}

// parseCutRange reads one range the way cut_internal tries its sscanf
// formats in turn: "%30d-%30d", "-%30d", "%30d%1c" followed by '-', "%30d".
func parseCutRange(spec string) (start, stop int, ok bool) {
	if a, rest, st := scanInt(spec, 30); st == scanMatch && strings.HasPrefix(rest, "-") {
		if b, _, st := scanInt(rest[1:], 30); st == scanMatch {
			return int(a), int(b), true
		}
	}
	if strings.HasPrefix(spec, "-") {
		if b, _, st := scanInt(spec[1:], 30); st == scanMatch {
			return 1, int(b), true
		}
	}
	if a, rest, st := scanInt(spec, 30); st == scanMatch {
		if strings.HasPrefix(rest, "-") {
			return int(a), math.MaxInt32, true
		}
		return int(a), int(a), true
	}
	return 0, 0, false
}
