package config

import "strconv"

// Diagnostic is a non-fatal problem found while loading.
type Diagnostic struct {
	File string // display name of the file, or of the #exec command
	Line int    // 1-based line, or 0 when the problem concerns a whole file
	Msg  string
	// Fatal marks a fatal error in an included file. Asterisk abandons the
	// rest of that file and the including file goes on, so Load succeeds;
	// a caller that must not act on a half-read configuration (a reload)
	// treats it as an error.
	Fatal bool
}

// String formats d as "file:line: msg", or "file: msg" without a line.
func (d Diagnostic) String() string { return where(d.File, d.Line) + d.Msg }

// Error is a fatal problem: the file it names is invalid and Load returns no
// Config.
type Error struct {
	File string // display name of the file
	Line int    // 1-based line, or 0 when the problem concerns a whole file
	Msg  string
	Err  error // underlying cause, such as fs.ErrNotExist, or nil
}

// Error formats e as "file:line: msg".
func (e *Error) Error() string { return where(e.File, e.Line) + e.Msg }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// where formats the "file:line: " prefix of a message.
func where(file string, line int) string {
	if line > 0 {
		return file + ":" + strconv.Itoa(line) + ": "
	}
	return file + ": "
}
