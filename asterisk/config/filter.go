package config

import (
	"fmt"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"regexp"
)

// categoryFilter is the predicate of a "[name](+filter)" header: one or more
// "name=value" expressions joined with '&', where both sides are POSIX
// extended regular expressions, plus the special TEMPLATES=include and
// TEMPLATES=restrict. It is evaluated as config.c's does_category_match.
type categoryFilter struct {
	empty bool         // no filter: accept non-templates only
	never bool         // an expression without '=' or a bad regex: accept nothing
	exprs []filterExpr // the expressions read before the parse stopped
}

// filterExpr is one expression of a categoryFilter.
type filterExpr struct {
	templates   bool   // a TEMPLATES=... expression
	mode        string // its value: "include", "restrict" or anything else
	name, value *regexp.Regexp
	size        int // length of both expressions, to estimate matching work
}

// parseFilter parses filter text. problems describes expressions that make
// the filter match nothing, for warnings.
func parseFilter(text string) (f categoryFilter, problems []string) {
	if text == "" {
		return categoryFilter{empty: true}, nil
	}
	exprs := tokenCursor{rest: text, more: true}
	for {
		expr, ok := exprs.next('&')
		if !ok {
			break
		}
		parts := tokenCursor{rest: expr, more: true}
		name, _ := parts.next('=')
		value, ok := parts.next('=')
		if !ok {
			f.never = true
			problems = append(problems, fmt.Sprintf("filter expression %q has no '=', so nothing matches", expr))
			break
		}
		if name == "TEMPLATES" {
			f.exprs = append(f.exprs, filterExpr{templates: true, mode: value})
			continue
		}
		nameRE, err := regexp.CompilePOSIX(name)
		if err == nil {
			var valueRE *regexp.Regexp
			if valueRE, err = regexp.CompilePOSIX(value); err == nil {
				f.exprs = append(f.exprs, filterExpr{name: nameRE, value: valueRE, size: len(name) + len(value)})
				continue
			}
		}
		f.never = true
		problems = append(problems, fmt.Sprintf("filter expression %q: bad regular expression (%v), so nothing matches", expr, err))
	}
	return f, problems
}

// matches reports whether s passes the filter, and the work it took.
func (f *categoryFilter) matches(s *Section) (ok bool, work int) {
	if f.empty {
		return !s.Template, 1
	}
	if f.never {
		return false, 1
	}
	found, templateOK := 0, false
	for _, e := range f.exprs {
		if e.templates {
			switch {
			case asciiEqualFold(e.mode, "include"):
				templateOK = templateOK || s.Template
				found++
			case asciiEqualFold(e.mode, "restrict"):
				if !s.Template {
					return false, work + 1
				}
				templateOK = true
				found++
			}
			continue
		}
		for _, v := range s.Vars {
			// Matching takes up to (text length) x (expression length) steps.
			work += (1 + len(v.Name) + len(v.Value)) * (1 + e.size/16)
			if e.name.MatchString(v.Name) && e.value.MatchString(v.Value) {
				found++
				break
			}
		}
	}
	return found == len(f.exprs) && (!s.Template || templateOK), work + 1
}

// tokenCursor splits text the way Asterisk's ast_strsep does with
// AST_STRSEP_STRIP: at separators outside single or double quotes (quotes
// nest up to 7 deep), skipping the character after a backslash, and
// trimming each token and removing one pair of surrounding quotes.
type tokenCursor struct {
	rest string
	more bool // false once the text is used up (C's NULL pointer)
}

// next returns the next token, or false when there is none, or when quotes
// nest too deeply (then every later call fails too, as in C).
func (c *tokenCursor) next(sep byte) (string, bool) {
	if !c.more {
		return "", false
	}
	s := c.rest
	if s == "" {
		c.more = false
		return "", true
	}
	var stack [8]byte
	depth := 0
	end := -1
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '\\' {
			// The backslash and the character after it are skipped; the
			// next one is examined without escape processing. Asterisk
			// reads past the end of the string when that runs out; here
			// the token simply ends.
			if i+2 >= len(s) {
				break
			}
			i += 2
			ch = s[i]
		}
		if ch == '\'' || ch == '"' {
			if ch == stack[depth] {
				stack[depth] = 0
				depth--
			} else {
				depth++
				if depth >= len(stack) {
					return "", false
				}
				stack[depth] = ch
			}
		}
		if ch == sep && depth == 0 {
			end = i
			break
		}
	}
	token := s
	if end >= 0 {
		token, c.rest = s[:end], s[end+1:]
	} else {
		c.more = false
	}
	return stripQuotes(token), true
}

// stripQuotes trims blanks and removes one pair of matching surrounding
// single or double quotes, as ast_strip_quoted does.
func stripQuotes(s string) string {
	s = cstring.Strip(s)
	if s != "" && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		if len(s) == 1 {
			return ""
		}
		return s[1 : len(s)-1]
	}
	return s
}
