package funcs

import (
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// This file holds func_logic.c.

// readIf is IF(expr?[true][:false]) (acf_if): the arguments are split at
// the first top-level '?' (quotes and backslashes removed from expr), the
// rest at the first top-level ':' (removed from true, false raw); each
// part is then trimmed. An empty expr, or nothing after the '?', is an
// error. The condition is pbx_checkcondition's.
func readIf(_ *subst.Call, data string) (string, error) {
	cond := subst.SplitArgs(cString(data), '?', 2, true)
	var branches []string
	if len(cond) > 1 {
		branches = subst.SplitArgs(cond[1], ':', 2, true)
	}
	if len(cond) == 0 || cond[0] == "" || len(branches) == 0 {
		return "", usage("IF(<expr>?[<true>][:<false>])")
	}
	if checkCondition(cstring.Strip(cond[0])) {
		return cstring.Strip(branches[0]), nil
	}
	return cstring.Strip(subst.Arg(branches, 1)), nil
}

// checkCondition is pbx_checkcondition: empty is false, a leading integer
// ("%30d", so "0x10" is 0 and "4294967296" wraps to 0) is its own truth,
// anything else is true.
func checkCondition(s string) bool {
	if s == "" {
		return false
	}
	if v, _, st := scanInt(s, 30); st == scanMatch {
		return v != 0
	}
	return true
}

// readIsNull is ISNULL(s): "1" for an empty argument, else "0".
func readIsNull(_ *subst.Call, data string) (string, error) {
	if cString(data) == "" {
		return "1", nil
	}
	return "0", nil
}

// readExists is EXISTS(s): "1" for a non-empty argument, else "0".
func readExists(_ *subst.Call, data string) (string, error) {
	if cString(data) == "" {
		return "0", nil
	}
	return "1", nil
}

// readSet is SET(name=value) (set): both sides of the first '=' trimmed;
// the variable is set for the rest of the render and the value returned.
// No '=' or nothing before it is an error. A name ending in ')' would be a
// function write in Asterisk, which phoneprovd does not offer: the value
// is returned and nothing is set.
func readSet(c *subst.Call, data string) (string, error) {
	s := cString(data)
	i := strings.IndexByte(s, '=')
	if i <= 0 {
		return "", usage("SET(<varname>=[<value>])")
	}
	name, value := cstring.Strip(s[:i]), cstring.Strip(s[i+1:])
	if !strings.HasSuffix(name, ")") {
		c.SetVar(name, value)
	}
	return value, nil
}
