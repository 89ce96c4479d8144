package funcs

import (
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// This file holds func_strings.c's simpler functions.

// varValue reads the variable an argument names as these functions do:
// by substituting "${name}", so the name may carry :offset:length or even
// be a function call (CUT(PASSTHRU(…),…) relies on that).
func varValue(c *subst.Call, name string) string {
	return c.Substitute("${"+name+"}", c.Scope())
}

// readToUpper is TOUPPER(s) (string_toupper2): ASCII upper case of the
// whole argument text, commas and all.
func readToUpper(_ *subst.Call, data string) (string, error) {
	return mapBytes(cString(data), toUpper), nil
}

// readToLower is TOLOWER(s) (string_tolower2).
func readToLower(_ *subst.Call, data string) (string, error) {
	return mapBytes(cString(data), toLower), nil
}

func mapBytes(s string, f func(byte) byte) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = f(c)
	}
	return string(b)
}

// readLen is LEN(s): the byte length of the argument text.
func readLen(_ *subst.Call, data string) (string, error) {
	return strconv.Itoa(len(cString(data))), nil
}

// readReplace is REPLACE(varname,find-chars[,replace-char]) (replace):
// every byte of the variable's value that is in find-chars (escapes
// decoded, at most 255) becomes replace-char's first decoded character, or
// is deleted when there is none. An empty name, find set or value is an
// error.
func readReplace(c *subst.Call, data string) (string, error) {
	args := subst.SplitArgs(cString(data), ',', 3, true)
	if len(args) < 2 {
		return "", usage("REPLACE(<varname>,<search-chars>[,<replace-char>])")
	}
	find := decodeString(args[1], 256)
	var repl byte
	if len(args) > 2 {
		repl, _, _ = decodeChar(args[2])
	}
	if find == "" || args[0] == "" {
		return "", usage("the characters to search for and the variable name must not be empty")
	}
	value := cString(varValue(c, args[0]))
	if value == "" {
		return "", usage("variable %q is empty: nothing to replace", args[0])
	}
	out := make([]byte, 0, len(value))
	for i := 0; i < len(value); i++ {
		switch {
		case strings.IndexByte(find, value[i]) < 0:
			out = append(out, value[i])
		case repl != 0:
			out = append(out, repl)
		}
	}
	return string(out), nil
}

// readStrReplace is STRREPLACE(varname,find[,replace[,max]]) (strreplace):
// substring replacement, left to right, never rescanning replaced text;
// max (atoi) stops after that many, and 0 or less means no limit.
func readStrReplace(c *subst.Call, data string) (string, error) {
	args := subst.SplitArgs(cString(data), ',', 5, true)
	if len(args) < 2 {
		return "", usage("STRREPLACE(<varname>,<find-string>[,<replace-string>[,<max-replacements>]])")
	}
	if args[0] == "" {
		return "", usage("no variable name")
	}
	find := args[1]
	if find == "" {
		return "", usage("no <find-string> specified")
	}
	repl := subst.Arg(args, 2)
	limit := -1
	if len(args) > 3 {
		if n := atoi(args[3]); n > 0 {
			limit = int(n)
		}
	}
	value := cString(varValue(c, args[0]))
	return strings.Replace(value, find, repl, limit), nil
}

// readFilter is FILTER(allowed-chars,string) (filter): the bytes of string
// that are in the allowed set. Arguments are split raw; the allowed set
// decodes escapes and expands ranges "a-z" (wrapping past 255 when the end
// is below the start; a '-' with nothing valid after it ends the range at
// its start). A malformed escape is an error.
func readFilter(_ *subst.Call, data string) (string, error) {
	args := subst.SplitArgs(cString(data), ',', 2, false)
	if len(args) < 2 {
		return "", usage("FILTER(<allowed-chars>,<string>)")
	}
	var allowed [256]bool
	spec := args[0]
	for spec != "" {
		c1, n, ok := decodeChar(spec)
		if !ok {
			return "", usage("malformed escape in FILTER allowed characters %q", args[0])
		}
		spec = spec[n:]
		if spec == "" || spec[0] != '-' {
			allowed[c1] = true
			continue
		}
		c2, n, ok := decodeChar(spec[1:])
		if !ok {
			c2 = c1
		}
		spec = spec[min(n+1, len(spec)):]
		for ac := c1; ac != c2; ac++ {
			allowed[ac] = true
		}
		allowed[c2] = true
	}
	allowed[0] = false
	s := args[1]
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if allowed[s[i]] {
			out = append(out, s[i])
		}
	}
	return string(out), nil
}

// readQuote is QUOTE(s) (quote): s in double quotes with '\' and '"'
// backslash-escaped; "" for an empty s. The escaping stops where the
// 4096-byte buffer would not hold more, and the closing quote is always
// written.
func readQuote(_ *subst.Call, data string) (string, error) {
	return quoteInto(cString(data), func(c byte) string {
		switch c {
		case '\\':
			return `\\`
		case '"':
			return `\"`
		}
		return ""
	}), nil
}

// readCSVQuote is CSV_QUOTE(s) (csv_quote): s in double quotes with '"'
// doubled.
func readCSVQuote(_ *subst.Call, data string) (string, error) {
	return quoteInto(cString(data), func(c byte) string {
		if c == '"' {
			return `""`
		}
		return ""
	}), nil
}

// quoteInto writes s between quotes into a legacy buffer, escaping bytes
// for which escape returns text.
func quoteInto(s string, escape func(byte) string) string {
	if s == "" {
		return `""`
	}
	out := []byte{'"'}
	for i := 0; i < len(s) && len(out) < legacyBuffer-3; i++ {
		if e := escape(s[i]); e != "" {
			out = append(out, e...)
		} else {
			out = append(out, s[i])
		}
	}
	return string(append(out, '"'))
}

// readTrim is TRIM(s) (function_trim): leading and trailing white space
// removed. An empty argument is an error.
func readTrim(_ *subst.Call, data string) (string, error) {
	s := cString(data)
	if s == "" {
		return "", usage("TRIM needs an argument")
	}
	return rtrim(ltrim(s)), nil
}

// readLTrim is LTRIM(s) (function_ltrim).
func readLTrim(_ *subst.Call, data string) (string, error) {
	s := cString(data)
	if s == "" {
		return "", usage("LTRIM needs an argument")
	}
	return ltrim(s), nil
}

// readRTrim is RTRIM(s) (function_rtrim).
func readRTrim(_ *subst.Call, data string) (string, error) {
	s := cString(data)
	if s == "" {
		return "", usage("RTRIM needs an argument")
	}
	return rtrim(s), nil
}

func ltrim(s string) string {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return s[i:]
}

// rtrim is func_strings.c's rtrim macro, which never examines the first
// byte: a string of nothing but white space keeps its first byte.
func rtrim(s string) string {
	j := len(s)
	for j > 1 && isSpace(s[j-1]) {
		j--
	}
	return s[:j]
}

// readPassthru is PASSTHRU(s): the argument text itself.
func readPassthru(_ *subst.Call, data string) (string, error) {
	return cString(data), nil
}

// readEval is EVAL(s) (function_eval2): the argument text, which the core
// has already substituted once, substituted again. An empty argument is an
// error.
func readEval(c *subst.Call, data string) (string, error) {
	s := cString(data)
	if s == "" {
		return "", usage("EVAL(<string>)")
	}
	return c.Substitute(s, c.Scope()), nil
}
