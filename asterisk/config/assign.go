package config

import (
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"strings"
)

// assign processes a "name = value" line, as the last branch of
// process_text_line does.
//
// A leading backslash escapes the first character of the name (so a name
// can start with '[', '#' or '='); the split is at the first '=' after it.
// "=>" sets the Object flag. A '+' right before the '=' (and after the
// first name character) makes it an append, see appendValue.
func (r *run) assign(line, file string, n int) error {
	if r.cat == nil {
		return fatalf("no section before this line (variables must follow a [section])")
	}
	cur, skip := line, 0
	if cur[0] == '\\' {
		cur = cur[1:]
		if cur == "" || belowVisible(cur[0]) {
			return fatalf("invalid escape: a '\\' at the start of a line must be followed by a visible character")
		}
		skip = 1
	}
	eq := strings.IndexByte(cur[skip:], '=')
	if eq < 0 {
		r.l.warn(file, n, "no '=' in this line; ignored")
		return nil
	}
	eq += skip
	if eq > skip && cur[eq-1] == '+' {
		return r.appendValue(cstring.Strip(cur[:eq-1]), cur[eq+1:], file, n)
	}
	value, object := cur[eq+1:], false
	if strings.HasPrefix(value, ">") {
		value, object = value[1:], true
	}
	return r.addVar(cstring.Strip(cur[:eq]), cstring.Strip(value), object, file, n)
}

// addVar appends a variable to the current section.
func (r *run) addVar(name, value string, object bool, file string, n int) error {
	if name == "" {
		r.l.warn(file, n, "no variable name before '='; ignored")
		return nil
	}
	if err := r.l.countVars(1); err != nil {
		return err
	}
	r.cat.Vars = append(r.cat.Vars, Var{Name: name, Value: value, Object: object, File: file, Line: n})
	return nil
}

// appendValue applies "name += raw" the way Asterisk 20.20.1 does.
//
// The last variable of the section whose name is exactly name (case
// matters) supplies the old value; without one, the line is an ordinary
// "name = raw". The new value is the old value followed by raw, with blanks
// trimmed from both ends. ast_variable_update then rewrites, in place, the
// FIRST variable whose name equals name ignoring ASCII case and whose value
// equals the old value ignoring ASCII case (any value when the old value is
// empty). Usually that is the same variable; with duplicates it can be an
// earlier one (Asterisk 23 picks the last instead). The rewritten variable
// keeps its position, file, line and "=>" flag, takes name's spelling and is
// no longer marked inherited.
func (r *run) appendValue(name, raw, file string, n int) error {
	vars := r.cat.Vars
	old := -1
	for i := len(vars) - 1; i >= 0; i-- {
		if vars[i].Name == name {
			old = i
			break
		}
	}
	if err := r.l.spend(len(vars) - old); err != nil {
		return err
	}
	if old < 0 {
		return r.addVar(name, cstring.Strip(raw), false, file, n)
	}
	oldValue := vars[old].Value
	if err := r.l.spend(len(oldValue) + len(raw)); err != nil {
		return err
	}
	value := cstring.SkipBlanks(cstring.TrimBlanks(oldValue + raw))
	for i := range vars {
		if asciiEqualFold(vars[i].Name, name) && (oldValue == "" || asciiEqualFold(vars[i].Value, oldValue)) {
			if err := r.l.spend(i + 1); err != nil {
				return err
			}
			vars[i].Name, vars[i].Value, vars[i].Inherited = name, value, false
			return nil
		}
	}
	return nil // unreachable: vars[old] itself matches
}
