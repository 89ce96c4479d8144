package config

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// glob expands an absolute pattern as glibc's glob(3) does with the flags
// config.c passes, GLOB_NOMAGIC|GLOB_BRACE:
//
//   - the first brace expression "{a,b}" (nested braces allowed, "\{" not
//     a brace) is expanded, and each alternative is globbed in turn without
//     GLOB_NOMAGIC; the results are concatenated in the order written. When
//     no alternative matches, the pattern is globbed once more with its
//     braces taken literally;
//   - a pattern without any of '*', '?', '[' or '\' is returned as it is,
//     whether or not the file exists (GLOB_NOMAGIC);
//   - otherwise each component with wildcards is matched against its
//     directory (see matchName); "." and ".." are candidates too. Results of
//     one pattern are sorted bytewise (Asterisk runs in the C.UTF-8
//     locale), and "//" in the pattern is kept.
func (l *loader) glob(pattern string) ([]string, error) {
	g := globber{l: l}
	if err := g.expand(pattern, true); err != nil {
		return nil, err
	}
	return g.out, nil
}

// globber accumulates the results of one glob.
type globber struct {
	l        *loader
	patterns int // brace alternatives produced so far
	out      []string
}

// expand appends the matches of pattern. nomagic is GLOB_NOMAGIC, which
// glibc drops for brace alternatives.
func (g *globber) expand(pattern string, nomagic bool) error {
	if prefix, alts, suffix, ok := splitBraces(pattern); ok {
		before := len(g.out)
		for _, alt := range alts {
			g.patterns++
			if g.patterns > g.l.limit.globPattern {
				return g.l.tooLarge(fmt.Sprintf("pattern %q expands to more than %d brace alternatives", pattern, g.l.limit.globPattern))
			}
			if err := g.expand(prefix+alt+suffix, false); err != nil {
				return err
			}
		}
		if len(g.out) > before || !nomagic {
			return nil
		}
	}
	return g.plain(pattern, nomagic)
}

// plain appends the sorted matches of a pattern without brace expansion.
func (g *globber) plain(pattern string, nomagic bool) error {
	if patternKind(pattern) == patternPlain {
		if nomagic {
			g.out = append(g.out, pattern)
		} else if _, err := g.l.fsys.Lstat(pattern); err == nil {
			g.out = append(g.out, pattern)
		}
		return nil
	}
	parts := strings.Split(pattern, "/")
	paths := []string{parts[0]}
	lastLiteral := true
	for i := 1; i < len(parts) && len(paths) > 0; i++ {
		part, last := parts[i], i == len(parts)-1
		if patternKind(part) != patternSpecial {
			lit := unescapePattern(part)
			for j := range paths {
				paths[j] += "/" + lit
			}
			lastLiteral = true
			continue
		}
		lastLiteral = false
		var next []string
		for _, dir := range paths {
			names, err := g.matchDir(dir, part, !last)
			if err != nil {
				return err
			}
			for _, name := range names {
				next = append(next, dir+"/"+name)
			}
			if len(next)+len(g.out) > g.l.limit.globMatches {
				return g.l.tooLarge(fmt.Sprintf("pattern %q matches more than %d paths", pattern, g.l.limit.globMatches))
			}
		}
		paths = next
	}
	if lastLiteral {
		// glibc checks that a literal last component exists (lstat).
		paths = slices.DeleteFunc(paths, func(p string) bool {
			_, err := g.l.fsys.Lstat(p)
			return err != nil
		})
	}
	slices.Sort(paths)
	g.out = append(g.out, paths...)
	return nil
}

// matchDir returns the names in dir that match the wildcard component
// part, only directories when dirsOnly is set.
func (g *globber) matchDir(dir, part string, dirsOnly bool) ([]string, error) {
	readable := dir
	if readable == "" {
		readable = "/"
	}
	entries, err := g.l.fsys.ReadDir(readable)
	if err != nil && len(entries) == 0 {
		return nil, nil // glibc skips unreadable directories
	}
	var names []string
	if leadingDot(part) {
		// readdir also yields "." and "..", which only a pattern starting
		// with a literal '.' can match.
		for _, name := range []string{".", ".."} {
			if matchName(part, name) {
				names = append(names, name)
			}
		}
	}
	for _, e := range entries {
		name := e.Name()
		// Matching takes up to len(part) x len(name) steps.
		if err := g.l.spend(1 + len(part)*len(name)); err != nil {
			return nil, err
		}
		if !matchName(part, name) {
			continue
		}
		if dirsOnly && !g.isDir(readable+"/"+name, e) {
			continue
		}
		names = append(names, name)
	}
	return names, nil
}

// isDir reports whether an entry is a directory, following symlinks.
func (g *globber) isDir(path string, e fs.DirEntry) bool {
	if e.Type()&fs.ModeSymlink == 0 {
		return e.IsDir()
	}
	info, err := g.l.fsys.Stat(path)
	return err == nil && info.IsDir()
}

// patternKinds, as glibc's __glob_pattern_type classifies a pattern.
const (
	patternPlain     = 0 // no special characters at all
	patternBackslash = 2 // has a backslash, but no wildcard
	patternBracket   = 4 // has a '[' without a later ']'
	patternSpecial   = 1 // has a wildcard: '*', '?' or '[' ... ']'
)

// patternKind classifies a pattern the way glibc's __glob_pattern_type does.
func patternKind(p string) int {
	kind := patternPlain
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '*', '?':
			return patternSpecial
		case '\\':
			if i+1 < len(p) {
				i++
			}
			kind |= patternBackslash
		case '[':
			kind |= patternBracket
		case ']':
			if kind&patternBracket != 0 {
				return patternSpecial
			}
		}
	}
	return kind
}

// unescapePattern removes the backslashes that quote characters in a
// component without wildcards.
func unescapePattern(p string) string {
	if !strings.Contains(p, "\\") {
		return p
	}
	b := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			i++
		}
		b = append(b, p[i])
	}
	return string(b)
}

// splitBraces splits pattern at its first brace expression, as glibc's
// GLOB_BRACE code does: the text before the '{', the alternatives and the
// text after the matching '}'. ok is false when there is no brace
// expression or it is malformed (the pattern is then taken literally).
func splitBraces(p string) (prefix string, alts []string, suffix string, ok bool) {
	begin := -1
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			i++
		} else if p[i] == '{' {
			begin = i
			break
		}
	}
	if begin < 0 {
		return "", nil, "", false
	}
	end := alternativeEnd(p, begin+1)
	for end >= 0 && p[end] != '}' {
		end = alternativeEnd(p, end+1)
	}
	if end < 0 {
		return "", nil, "", false
	}
	for start := begin + 1; ; {
		stop := alternativeEnd(p, start)
		alts = append(alts, p[start:stop])
		if p[stop] == '}' {
			break
		}
		start = stop + 1
	}
	return p[:begin], alts, p[end+1:], true
}

// alternativeEnd returns the index of the ',' or '}' that ends the brace
// alternative starting at i, skipping nested braces and backslash-quoted
// characters, or -1 when the pattern ends first.
func alternativeEnd(p string, i int) int {
	depth := 0
	for i < len(p) {
		switch c := p[i]; {
		case c == '\\':
			if i+1 >= len(p) {
				return -1
			}
			i += 2
			continue
		case c == '}':
			if depth == 0 {
				return i
			}
			depth--
		case c == ',' && depth == 0:
			return i
		case c == '{':
			depth++
		}
		i++
	}
	return -1
}

// Glob expands an #include pattern (absolute, as in Config.Patterns) the
// way Load does, so that a watcher can tell when the set of files a pattern
// names changes. A pattern without wildcards yields itself, existing or not.
func Glob(pattern string) ([]string, error) {
	l, err := newLoader(Options{}, osFileSystem{}, defaultLimits())
	if err != nil {
		return nil, err
	}
	return l.glob(pattern)
}
