package pkgsdb

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Expand substitutes the variables of a recipe word as xivo-fetchfw's
// apply_subs does: "$NAME" (NAME is letters, digits and "_", as long as
// possible) and "${NAME}" are replaced by the variable's value; a "$"
// preceded by a backslash is not a variable, and every "\$" of the result
// becomes "$" (a "\$" inside a value is kept as "\$"). An undefined name,
// and a "$" followed by no name, are errors.
func Expand(s string, vars map[string]string) (string, error) {
	if !strings.Contains(s, "$") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '$' || (i > 0 && s[i-1] == '\\') {
			b.WriteByte(s[i])
			i++
			continue
		}
		name, n := varName(s[i+1:])
		if name == "" {
			return "", fmt.Errorf("%q: a \"$\" must be followed by a variable name (write \\$ for a dollar sign)", s)
		}
		v, ok := vars[name]
		if !ok {
			return "", fmt.Errorf("%q: undefined variable $%s%s", s, name, definedHint(vars))
		}
		b.WriteString(strings.ReplaceAll(v, `\$`, `\\$`))
		i += 1 + n
	}
	return strings.ReplaceAll(b.String(), `\$`, `$`), nil
}

// varName reads the name after a "$": "{NAME}" or the longest run of word
// characters. n is the number of bytes consumed.
func varName(s string) (name string, n int) {
	if strings.HasPrefix(s, "{") {
		end := wordLen(s[1:])
		if end < len(s)-1 && s[1+end] == '}' {
			return s[1 : 1+end], end + 2
		}
		// "${" not closed by a word and "}": Python's second branch
		// matches an empty name here.
		return "", 0
	}
	end := wordLen(s)
	return s[:end], end
}

// wordLen is the length in bytes of the run of word characters s starts
// with.
func wordLen(s string) int {
	for i, r := range s {
		if r == utf8.RuneError || !isWord(r) {
			return i
		}
	}
	return len(s)
}

func definedHint(vars map[string]string) string {
	if len(vars) == 0 {
		return " (this package defines none)"
	}
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, "$"+k)
	}
	sort.Strings(names)
	return " (defined: " + strings.Join(names, ", ") + ")"
}
