package config

import (
	"fmt"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
)

// includeKind is the kind of a file directive.
type includeKind int

const (
	kindInclude    includeKind = iota // #include: a missing file is fatal
	kindTryInclude                    // #tryinclude: a missing file is ignored
	kindExec                          // #exec: a command's output is included
)

// directive processes a "#word argument" line, as the directive branch of
// process_text_line does.
//
// The word runs up to the first byte that is below 33 as a signed C char
// (so also up to any byte of 0x80 or more); that byte is dropped and the
// trimmed rest is the argument. The word is compared ignoring ASCII case.
// Unknown words and missing arguments are warnings. A surrounding "..." or
// <...> pair is removed from the argument.
func (r *run) directive(line, file string, n int) error {
	body := line[1:]
	k := 0
	for k < len(body) && !belowVisible(body[k]) {
		k++
	}
	word, arg := body[:k], ""
	if k < len(body) {
		arg = cstring.Strip(body[k+1:])
	}
	var kind includeKind
	switch {
	case asciiEqualFold(word, "include"):
		kind = kindInclude
	case asciiEqualFold(word, "tryinclude"):
		kind = kindTryInclude
	case asciiEqualFold(word, "exec"):
		if !r.l.opts.ExecIncludes {
			return &Error{File: file, Line: n, Err: errExecRefused,
				Msg: fmt.Sprintf("#exec %q refused: running programs from configuration files is disabled", dequote(arg))}
		}
		kind = kindExec
	default:
		r.l.warn(file, n, fmt.Sprintf("unknown directive \"#%s\"; line ignored", word))
		return nil
	}
	if arg == "" {
		what := "a file name"
		if kind == kindExec {
			what = "a command"
		}
		r.l.warn(file, n, fmt.Sprintf("#%s needs %s; line ignored", word, what))
		return nil
	}
	arg = dequote(arg)
	if kind == kindExec {
		return r.exec(arg, file, n)
	}
	return r.include(kind, arg, file, n)
}

// dequote removes a surrounding "..." or <...> pair.
func dequote(s string) string {
	if s == "" {
		return s
	}
	var closing byte
	switch s[0] {
	case '"':
		closing = '"'
	case '<':
		closing = '>'
	default:
		return s
	}
	if s[len(s)-1] != closing {
		return s
	}
	if len(s) == 1 {
		return ""
	}
	return s[1 : len(s)-1]
}

// include reads the files an #include or #tryinclude names. They start in
// the configuration's current section (the one most recently created or
// reopened with (+), possibly by an earlier include), while this file
// continues afterwards in its own section, whatever the included files
// opened.
func (r *run) include(kind includeKind, name, file string, n int) error {
	l := r.l
	directive := "#include"
	if kind == kindTryInclude {
		directive = "#tryinclude"
	}
	if l.included[name] {
		l.warn(file, n, fmt.Sprintf("%s %q includes the same file again (allowed)", directive, name))
	}
	l.included[name] = true
	st, _, err := l.internalLoad(func() (loadStatus, *Error, error) {
		return l.textFileLoad(name, r.depth+1)
	})
	l.at = position{file, n}
	if err != nil {
		return err
	}
	switch {
	case st == loadTooDeep && kind == kindTryInclude:
		l.warn(file, n, fmt.Sprintf("#tryinclude %q ignored: includes nested more than %d levels deep", name, maxIncludeLevel))
	case st == loadTooDeep:
		return fatalf("#include %q: includes nested more than %d levels deep", name, maxIncludeLevel)
	case st == loadMissing && kind == kindInclude:
		return fatalf("#include file %q not found", name)
	}
	return nil
}

// exec runs an #exec command and parses the file its output was
// redirected to as an included file. What the command logged, a failure
// exit status and empty output are warnings, as Asterisk logs them.
func (r *run) exec(command, file string, n int) error {
	l := r.l
	left := l.limit.bytes - l.used.bytes
	res, err := runExec(command, left)
	switch {
	case err != nil:
		return fatalf("#exec %q: cannot run it: %v", command, err)
	case res.overflow:
		return l.tooLarge(fmt.Sprintf("#exec %q wrote more than the %d bytes left", command, left))
	case res.timedOut:
		return &Error{File: file, Line: n, Msg: fmt.Sprintf("#exec %q did not finish within %v", command, execTimeout)}
	}
	if s := res.logText(); s != "" {
		l.warn(file, n, fmt.Sprintf("#exec %q logged: %s", command, s))
	}
	if res.exitCode != 0 {
		l.warn(file, n, fmt.Sprintf("#exec %q exited with status %d", command, res.exitCode))
	}
	if !res.exists {
		// The redirection never happened (say, the line ends in a shell
		// comment), so Asterisk finds no file to include.
		return fatalf("#exec %q: the command line created no output file", command)
	}
	if len(res.output) == 0 {
		l.warn(file, n, fmt.Sprintf("#exec %q produced no output", command))
	}
	display := "#exec " + command
	st, _, err := l.internalLoad(func() (loadStatus, *Error, error) {
		return l.dataLoad(display, string(res.output), r.depth+1)
	})
	l.at = position{file, n}
	if err != nil {
		return err
	}
	if st == loadTooDeep {
		return fatalf("#exec %q: includes nested more than %d levels deep", command, maxIncludeLevel)
	}
	return nil
}
