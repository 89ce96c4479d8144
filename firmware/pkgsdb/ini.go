package pkgsdb

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pos is where something was read: a file name and a 1-based line.
type Pos struct {
	File string
	Line int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// errorf returns an error prefixed with the position.
func (p Pos) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: %s", p, fmt.Sprintf(format, args...))
}

// Option is one key of a section, with its value joined across
// continuation lines.
type Option struct {
	Name  string // lower-cased, as Python's optionxform does
	Value string
	Pos   Pos // where the key was (last) set
}

// Section is one [name] of the merged configuration.
type Section struct {
	Name    string
	Pos     Pos // where the section first appeared
	options []*Option
	index   map[string]int
}

func newSection(name string, pos Pos) *Section {
	return &Section{Name: name, Pos: pos, index: make(map[string]int)}
}

// set adds or replaces an option. A replaced option keeps its place, as a
// Python dict does.
func (s *Section) set(o *Option) {
	if i, ok := s.index[o.Name]; ok {
		s.options[i] = o
		return
	}
	s.index[o.Name] = len(s.options)
	s.options = append(s.options, o)
}

// INI is what Python's configparser.RawConfigParser holds after reading
// one or more files: sections in first-seen order, each an ordered map of
// options, plus the DEFAULT section whose options every section inherits.
// No interpolation is done.
type INI struct {
	sections []*Section
	index    map[string]*Section
	defaults *Section
}

// NewINI returns an empty configuration.
func NewINI() *INI {
	return &INI{index: make(map[string]*Section), defaults: newSection("DEFAULT", Pos{})}
}

// defaultSection is the name RawConfigParser gives its defaults section.
const defaultSection = "DEFAULT"

// Sections returns the sections in the order they first appeared, without
// DEFAULT.
func (c *INI) Sections() []*Section { return c.sections }

// Items returns a section's options as Python's items(section) does: the
// DEFAULT options first, then the section's own, a section's value
// replacing a default's in place.
func (c *INI) Items(s *Section) []*Option {
	if len(c.defaults.options) == 0 {
		return s.options
	}
	merged := newSection(s.Name, s.Pos)
	for _, o := range c.defaults.options {
		merged.set(o)
	}
	for _, o := range s.options {
		merged.set(o)
	}
	return merged.options
}

// Read parses one file's content in RawConfigParser's syntax and merges it
// into c: a section seen in an earlier file is extended, an option set in
// an earlier file is replaced. Within one file a section or option may not
// repeat (Python's strict mode). Every error names the file and line.
//
// The syntax: "[name]" headers (the name runs to the last "]"), "key:
// value" or "key = value" (split at the first ":" or "="), keys
// lower-cased, surrounding blanks removed; a line indented deeper than its
// key continues the value (joined with "\n"), blank lines inside a value
// are kept, trailing ones dropped; a line whose first non-blank character
// is "#" or ";" is a comment. There are no inline comments: "; x" after a
// value is part of the value.
func (c *INI) Read(name string, data []byte) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var (
		cur       *Section // nil before the first header
		curName   string
		opt       *Option // the option a continuation line extends
		optLines  []string
		indent    int
		seenSects = make(map[string]bool)
		seenOpts  = make(map[[2]string]bool)
	)
	flush := func() {
		if opt != nil {
			opt.Value = strings.TrimRightFunc(strings.Join(optLines, "\n"), isPySpace)
			opt, optLines = nil, nil
		}
	}
	lineNo := 0
	for len(data) > 0 {
		var line []byte
		line, data = splitLine(data)
		lineNo++
		pos := Pos{File: name, Line: lineNo}
		if !utf8.Valid(line) {
			return pos.errorf("not valid UTF-8")
		}
		text := string(line)
		value := strings.TrimFunc(text, isPySpace)
		comment := strings.HasPrefix(value, "#") || strings.HasPrefix(value, ";")
		if comment || value == "" {
			// Python (empty_lines_in_values) keeps a blank line inside a
			// value but not a comment line; neither ends the value.
			if !comment && opt != nil {
				optLines = append(optLines, "")
			}
			continue
		}
		lead := leadingSpace(text)
		if opt != nil && lead > indent {
			optLines = append(optLines, value)
			continue
		}
		flush()
		indent = lead
		if header, ok := sectionHeader(value); ok {
			switch {
			case header == defaultSection:
				cur = c.defaults
			case c.index[header] != nil:
				if seenSects[header] {
					return pos.errorf("section [%s] appears twice in this file", header)
				}
				cur = c.index[header]
			default:
				cur = newSection(header, pos)
				c.index[header] = cur
				c.sections = append(c.sections, cur)
			}
			if header != defaultSection {
				seenSects[header] = true
			}
			curName = header
			continue
		}
		if cur == nil {
			return pos.errorf("%q comes before any [section] header", value)
		}
		key, val, ok := splitOption(value)
		if !ok {
			return pos.errorf("%q is neither a [section], a comment nor a key: value line", value)
		}
		key = strings.ToLower(key)
		if seenOpts[[2]string{curName, key}] {
			return pos.errorf("key %q appears twice in [%s]", key, curName)
		}
		seenOpts[[2]string{curName, key}] = true
		opt = &Option{Name: key, Pos: pos}
		optLines = []string{val}
		cur.set(opt)
	}
	flush()
	return nil
}

// splitLine cuts the first line off data, ending at "\n", "\r\n" or "\r"
// (Python's universal newlines).
func splitLine(data []byte) (line, rest []byte) {
	i := bytes.IndexAny(data, "\r\n")
	if i < 0 {
		return data, nil
	}
	line, rest = data[:i], data[i+1:]
	if data[i] == '\r' && len(rest) > 0 && rest[0] == '\n' {
		rest = rest[1:]
	}
	return line, rest
}

// sectionHeader matches Python's `\[(?P<header>.+)\]` at the start of the
// stripped line: the name runs to the last "]", text after it is ignored.
func sectionHeader(value string) (string, bool) {
	if !strings.HasPrefix(value, "[") {
		return "", false
	}
	end := strings.LastIndexByte(value, ']')
	if end < 2 {
		return "", false
	}
	return value[1:end], true
}

// splitOption matches Python's `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`:
// the key ends at the first "=" or ":".
func splitOption(value string) (key, val string, ok bool) {
	i := strings.IndexAny(value, "=:")
	if i < 0 {
		return "", "", false
	}
	key = strings.TrimRightFunc(value[:i], isPySpace)
	if key == "" {
		return "", "", false
	}
	return key, strings.TrimFunc(value[i+1:], isPySpace), true
}

// leadingSpace counts the whitespace characters before the first other
// character, as Python's index of `\S` does (in characters, not bytes).
func leadingSpace(s string) int {
	n := 0
	for _, r := range s {
		if !isPySpace(r) {
			return n
		}
		n++
	}
	return n
}

// isPySpace is Python's str.isspace for one character: Unicode white space
// plus the information separators U+001C to U+001F.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}
