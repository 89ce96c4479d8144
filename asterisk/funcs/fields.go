package funcs

import (
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// This file holds func_strings.c's list functions, which take a variable
// name and a delimiter.

// readFieldQty is FIELDQTY(varname,delim) (function_fieldqty_helper): the
// number of fields in the variable's value, split at delim's first decoded
// character. The delimiter is the raw remainder of the arguments. Without
// a delimiter argument the answer is 1 whatever the value; an empty value
// has 0 fields; a delimiter that decodes to nothing (empty, "\x" without
// digits) never splits.
func readFieldQty(c *subst.Call, data string) (string, error) {
	args := subst.SplitArgs(cString(data), ',', 2, true)
	if len(args) < 2 {
		return "1", nil
	}
	delim, _, _ := decodeChar(args[1])
	value := cString(varValue(c, args[0]))
	if value == "" {
		return "0", nil
	}
	return strconv.Itoa(len(splitFields(value, delim))), nil
}

// splitFields splits s at every delim byte the way repeated strsep calls
// with the one-character set {delim} do; a NUL delimiter is the empty set.
func splitFields(s string, delim byte) []string {
	if delim == 0 {
		return []string{s}
	}
	return strings.Split(s, string([]byte{delim}))
}

// readFieldNum is FIELDNUM(varname,delim,value) (function_fieldnum_helper):
// the 1-based position of the first field equal to value, compared
// case-insensitively, or 0. value is the raw remainder of the arguments.
// Fewer than three arguments, or a malformed "\x" delimiter, is an error;
// an empty variable or delimiter gives 0.
func readFieldNum(c *subst.Call, data string) (string, error) {
	args := subst.SplitArgs(cString(data), ',', 3, true)
	if len(args) < 3 {
		return "", usage("FIELDNUM(<listname>,<delimiter>,<fieldvalue>)")
	}
	value := cString(varValue(c, args[0]))
	if value == "" || args[1] == "" {
		return "0", nil
	}
	delim, _, ok := decodeChar(args[1])
	if !ok {
		return "", usage("malformed delimiter %q", args[1])
	}
	for i, field := range splitFields(value, delim) {
		if equalFold(field, args[2]) {
			return strconv.Itoa(i + 1), nil
		}
	}
	return "0", nil
}

// readListFilter is LISTFILTER(varname,delim,value) (listfilter): the
// variable's value with every field equal to value (case-sensitively)
// removed. delim may be several characters (escapes decoded; empty means
// ","). A value that does not occur anywhere leaves the list untouched;
// an empty list or fewer than three arguments is an error.
//
// When the last field is shorter than the delimiter, Asterisk scans past
// the end of its buffer (undefined behaviour); here the field ends at the
// end of the list.
func readListFilter(c *subst.Call, data string) (string, error) {
	args := subst.SplitArgs(cString(data), ',', 3, true)
	if len(args) < 3 {
		return "", usage("LISTFILTER(<listname>,<delimiter>,<fieldvalue>)")
	}
	list := cString(varValue(c, args[0]))
	if list == "" {
		return "", usage("list %q is empty", args[0])
	}
	field := args[2]
	if !strings.Contains(list, field) {
		return list, nil
	}
	delim := decodeString(args[1], len(args[1])+1)
	if delim == "" {
		delim = ","
	}
	var out strings.Builder
	first := true
	begin := 0
	next := strings.Index(list, delim)
	for {
		cur := len(list)
		if next >= 0 {
			cur = next
			next = strings.Index(list[cur+len(delim):], delim)
			if next >= 0 {
				next += cur + len(delim)
			}
		}
		if list[begin:cur] != field {
			if !first {
				out.WriteString(delim)
			}
			out.WriteString(list[begin:cur])
			first = false
		}
		if cur >= len(list) {
			break
		}
		begin = cur + len(delim)
	}
	return out.String(), nil
}
