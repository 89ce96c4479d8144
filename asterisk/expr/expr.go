// Package expr evaluates the text of an Asterisk "$[ … ]" expression the
// way Asterisk 20.20.1 does when there is no channel, which is how
// res_phoneprov renders its templates: the flex scanner of
// main/ast_expr2.fl, the bison grammar and semantics of main/ast_expr2.y
// and the output formatting of ast_str_expr().
//
// Numbers are x87 80-bit long doubles (see float80) printed with
// "%.18Lg", so "2 / 3" gives 0.666666666666666667. Operands are text
// until arithmetic needs them as numbers; double quotes stay part of an
// operand except for ':', '=~' and '~~'. Regular expressions are POSIX
// extended ones run by Go's linear-time regexp engine (see compileERE).
//
// What Asterisk does on bad input is reproduced too: a syntax error
// prints "0" unless the text before the error was already a complete
// expression, in which case that expression's value is printed.
//
// The caller substitutes ${…} beforehand; Eval receives the final text.
package expr

import (
	"errors"
	"fmt"
	"strings"
)

const (
	// MaxInput is the longest expression text evaluated, in bytes.
	MaxInput = 64 << 10
	// MaxValue is the longest text any intermediate or final value may
	// reach, in bytes ("~~" concatenation is the only way to grow one).
	MaxValue = 1 << 20
	// MaxRegexWork bounds the regular expression work of one evaluation:
	// the sum over ':' and '=~' of (text length + 1) × (pattern length +
	// 1) plus 64 × (pattern length + 1). Go's engine takes time in
	// proportion to both lengths; a few thousand bytes of each is fine.
	MaxRegexWork = 1 << 23
)

var (
	// ErrSyntax reports a syntax error; Asterisk logs it as a warning
	// from ast_yyerror() and still prints a result.
	ErrSyntax = errors.New("syntax error")
	// ErrLimit reports an expression beyond MaxInput, MaxValue or
	// MaxRegexWork. Asterisk has no such limits; Eval then returns an
	// empty string.
	ErrLimit = errors.New("expression too large")
)

// limits bounds the work one evaluation may do.
type limits struct {
	maxValue  int
	regexWork int // what is left of MaxRegexWork
}

// check fails when v has grown beyond the value limit.
func (l *limits) check(v *value) error {
	if len(v.str) > l.maxValue {
		return fmt.Errorf("%w: a value exceeds %d bytes", ErrLimit, l.maxValue)
	}
	return nil
}

// chargeRegex takes the cost of matching b as a pattern against a from
// the regular expression budget.
func (l *limits) chargeRegex(a, b *value) error {
	text, pattern := textLength(a), textLength(b)
	l.regexWork -= (text+1)*(pattern+1) + 64*(pattern+1)
	if l.regexWork < 0 {
		return fmt.Errorf("%w: regular expressions exceed the work limit (%d-byte pattern on %d bytes)", ErrLimit, pattern, text)
	}
	return nil
}

// textLength bounds the length of v as text: a number prints in at
// most 32 bytes.
func textLength(v *value) int {
	if v.kind == kindNumber {
		return 32
	}
	return len(v.str)
}

// Eval evaluates the text of a $[ ] expression as Asterisk does with no
// channel and returns the result text. A syntax error yields what
// Asterisk yields: "0", or the value of the complete expression that
// preceded the error. It never panics.
func Eval(s string) string {
	out, _ := EvalErr(s)
	return out
}

// EvalErr is Eval that also reports a syntax error (wrapping ErrSyntax,
// with the offending token and its byte offset) or an exceeded limit
// (wrapping ErrLimit, with an empty result). Like C, it reads s only up
// to the first NUL byte.
func EvalErr(s string) (string, error) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	if len(s) > MaxInput {
		return "", fmt.Errorf("%w: %d bytes exceeds %d", ErrLimit, len(s), MaxInput)
	}
	v, err := parse(s, &limits{maxValue: MaxValue, regexWork: MaxRegexWork})
	if errors.Is(err, ErrLimit) {
		return "", err
	}
	if v == nil {
		// ast_str_expr(): no value was stored.
		return "0", err
	}
	return v.text(), err
}
