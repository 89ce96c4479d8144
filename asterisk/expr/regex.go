package expr

import (
	"errors"
	"fmt"
	"regexp"
	"unicode/utf8"
)

// compileERE compiles pattern as glibc's regcomp(REG_EXTENDED) reads it
// in the C.UTF-8 locale Asterisk runs in, and returns an equivalent Go
// regexp with POSIX leftmost-longest matching and the number of groups
// (re_nsub). Go's engine runs in time proportional to pattern and text,
// so no pattern can make matching explode.
//
// The pattern is parsed with glibc's rules (posix/regcomp.c: peek_token,
// parse_expression, parse_dup_op, parse_bracket_exp), so the same patterns
// are rejected: '*' '+' '?' and '{' may not start an expression or follow
// an anchor, an unmatched ')' is literal, "a**" and "a+?" are repetitions
// of repetitions (there are no lazy quantifiers), '.' and "[^…]" match a
// newline, a backslash before an ordinary character makes it literal
// ("\n" is the letter n), the GNU operators \w \W \s \S \b \B \` \' work,
// and [.x.] [=x=] and range end points must be single bytes (C.UTF-8 has
// no collation rules). The result is written in Go syntax and compiled
// with regexp.Compile plus Longest(), which is what regexp.CompilePOSIX
// does, but the translation needs (?s) and explicit character classes.
// Only the first group captures in the Go pattern, since Asterisk asks
// regexec() for nothing more; that keeps the engine's state small.
//
// What RE2 cannot do is refused, and the caller then returns what a
// failed regcomp() returns (an empty string): back-references \1…\9,
// the word anchors \< and \>, counted repetitions above 1000 (glibc allows
// 32767), nesting deeper than 1000, and patterns whose translation
// exceeds maxTranslated bytes.
//
// Known differences that remain:
//   - \b and \B use ASCII word characters; glibc's are Unicode.
//   - [:alpha:] and the other classes follow Go's Unicode tables beyond
//     ASCII, which disagree with glibc's for a few thousand code points,
//     mostly ones assigned in recent Unicode versions.
//   - glibc lets '$' match just before a newline that the pattern itself
//     matches next, and '^' just after one ("a$\n" matches "a\n"); here
//     they match only at the ends of the text.
//   - A byte that is not UTF-8 matches only itself, as in glibc, but a
//     single byte of a valid multibyte character cannot be matched alone.
//     To keep such bytes apart, the code points U+10FF80–U+10FFFF stand in
//     for them whenever pattern or text is not valid UTF-8.
//   - When several groupings give the same longest match, the first
//     group's boundaries may differ (glibc prefers "()" in "|()").
func compileERE(pattern string, bytesMode bool) (re *regexp.Regexp, groups int, err error) {
	t := ereTranslator{src: pattern, bytesMode: bytesMode || !utf8.ValidString(pattern)}
	t.next()
	goSyntax, err := t.regExp(0)
	if err != nil {
		return nil, 0, err
	}
	re, err = regexp.Compile(goSyntax)
	if err != nil {
		return nil, 0, fmt.Errorf("regex: %w", err)
	}
	re.Longest()
	return re, t.groups, nil
}

// ereResult is what regexec() fills in with two regmatch_t slots.
type ereResult struct {
	ok                   bool // a match was found
	start, end           int  // the leftmost-longest match
	groupStart, groupEnd int  // the first group, -1 when it took no part
	groups               int  // re_nsub
}

// ereMatch compiles pattern and searches subject as Asterisk's
// regcomp(REG_EXTENDED) and regexec() pair does.
func ereMatch(pattern, subject string) (ereResult, error) {
	var offsets []int
	bytesMode := !utf8.ValidString(subject)
	if bytesMode {
		subject, offsets = mapInvalidBytes(subject)
	}
	re, groups, err := compileERE(pattern, bytesMode)
	if err != nil {
		return ereResult{}, err
	}
	r := ereResult{groupStart: -1, groupEnd: -1, groups: groups}
	var loc []int
	if groups == 0 {
		loc = re.FindStringIndex(subject)
	} else {
		loc = re.FindStringSubmatchIndex(subject)
	}
	if loc == nil {
		return r, nil
	}
	for i, o := range loc {
		if offsets != nil && o >= 0 {
			loc[i] = offsets[o]
		}
	}
	r.ok, r.start, r.end = true, loc[0], loc[1]
	if len(loc) >= 4 {
		r.groupStart, r.groupEnd = loc[2], loc[3]
	}
	return r, nil
}

// ereError is a regcomp() failure; the text names glibc's error code.
type ereError string

func (e ereError) Error() string { return "regcomp: " + string(e) }

// errUnsupportedRegex reports a valid ERE that Go's engine cannot run.
func errUnsupportedRegex(what string) error {
	return fmt.Errorf("regex: %w: %s", errors.ErrUnsupported, what)
}

// The glibc error codes the translator can produce.
const (
	errBadRepeat  = ereError("REG_BADRPT: invalid preceding regular expression")
	errBadBrace   = ereError("REG_BADBR: invalid content of \\{\\}")
	errBraceEnd   = ereError("REG_EBRACE: unmatched \\{")
	errParen      = ereError("REG_EPAREN: unmatched ( or \\(")
	errBracket    = ereError("REG_EBRACK: unmatched [, [^, [:, [., or [=")
	errBadPattern = ereError("REG_BADPAT: invalid regular expression")
	errRange      = ereError("REG_ERANGE: invalid range end")
	errCollate    = ereError("REG_ECOLLATE: invalid collation character")
	errClass      = ereError("REG_ECTYPE: invalid character class name")
	errEscape     = ereError("REG_EESCAPE: trailing backslash")
	errSize       = ereError("REG_ESIZE: regular expression too big")
)

// reDupMax is glibc's RE_DUP_MAX; goRepeatMax and maxNesting are
// regexp/syntax's limits; maxTranslated bounds the Go pattern, which
// spells character classes out range by range.
const (
	reDupMax      = 0x7fff
	goRepeatMax   = 1000
	maxNesting    = 1000
	maxTranslated = 1 << 20
)
