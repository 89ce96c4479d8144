package jinja

import "fmt"

// Error is a syntax or runtime error in a template, located by the file
// name the loader gave and a line number.
type Error struct {
	File string // as the Loader named it
	Line int
	Kind string // Python's exception class, e.g. "UndefinedError", "TypeError"
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// rtError is a runtime error raised inside the evaluator; the renderer
// locates it when it reaches the template boundary.
type rtError struct {
	kind string
	msg  string
}

func (e *rtError) Error() string { return e.msg }

func typeErr(format string, args ...any) *rtError {
	return &rtError{kind: "TypeError", msg: fmt.Sprintf(format, args...)}
}

func valueErr(format string, args ...any) *rtError {
	return &rtError{kind: "ValueError", msg: fmt.Sprintf(format, args...)}
}

func raise(e *rtError) { panic(e) }

func raiseType(format string, args ...any) { panic(typeErr(format, args...)) }
