package subst

import "strings"

// SplitArgs splits s into at most n arguments at delim, the way nearly every
// Asterisk dialplan function reads its arguments (__ast_app_separate_args):
//
//   - a delimiter inside (…), […] or "…" does not split; the paren, bracket
//     and quote state carries over from one argument to the next;
//   - with removeChars (AST_STANDARD_APP_ARGS) double quotes are removed and a
//     backslash makes the next character literal; without it
//     (AST_STANDARD_RAW_ARGS) both are kept, but a backslash still protects
//     the next character from being a delimiter or quote;
//   - the n-th (last declared) argument receives the raw remainder, quotes,
//     backslashes and further delimiters included;
//   - nothing is trimmed.
//
// The result has one entry per argument present: an empty s gives none, and a
// trailing delimiter gives a final empty argument. n < 1 is treated as 1.
func SplitArgs(s string, delim byte, n int, removeChars bool) []string {
	if n < 1 {
		n = 1
	}
	if s == "" {
		return nil
	}
	var (
		args                   []string
		paren, bracket         int
		quote                  bool
		pos                    int  // start of the unscanned rest of s
		endedOnDelim           bool // the last scanned argument ended at a delimiter
		cur                    []byte
		quoteDelim             = delim == '"'
		removedOrEscapedInThis bool
	)
	for len(args) < n-1 && pos < len(s) {
		cur = cur[:0]
		removedOrEscapedInThis = false
		start := pos
		endedOnDelim = false
		i := pos
	scan:
		for ; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '(':
				paren++
			case c == ')':
				if paren > 0 {
					paren--
				}
			case c == '[':
				bracket++
			case c == ']':
				if bracket > 0 {
					bracket--
				}
			case c == '"' && !quoteDelim:
				quote = !quote
				if removeChars {
					if !removedOrEscapedInThis {
						cur = append(cur, s[start:i]...)
						removedOrEscapedInThis = true
					}
					continue // the quote itself is dropped
				}
			case c == '\\':
				if removeChars {
					if !removedOrEscapedInThis {
						cur = append(cur, s[start:i]...)
						removedOrEscapedInThis = true
					}
					// The next character is literal; a trailing backslash
					// vanishes.
					if i+1 < len(s) {
						i++
						cur = append(cur, s[i])
					}
					continue
				}
				if i+1 < len(s) {
					i++ // raw: keep both, but the next character is not special
				}
			case c == delim && paren == 0 && !quote && bracket == 0:
				endedOnDelim = true
				break scan
			}
			if removedOrEscapedInThis {
				cur = append(cur, c)
			}
		}
		if removedOrEscapedInThis {
			args = append(args, string(cur))
		} else {
			args = append(args, s[start:i])
		}
		pos = i
		if endedOnDelim {
			pos++ // skip the delimiter
		}
	}
	// The raw remainder is one more argument when there is any, or when the
	// scanned part ended with a delimiter.
	if pos < len(s) || endedOnDelim {
		args = append(args, s[pos:])
	}
	return args
}

// Arg returns args[i], or "" when there are not that many arguments.
func Arg(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

// Unescape removes each backslash and keeps the character after it; a
// trailing backslash is dropped. It is what argument splitting does to
// backslashes (without touching quotes), and ast_unescape_quoted.
func Unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			if i >= len(s) {
				break
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
