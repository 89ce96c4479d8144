package device

import "strings"

// maxInput is how much of a User-Agent or path is looked at; the rest is
// cut off before matching so a hostile header cannot make matching slow.
const maxInput = 1024

// maxField is the longest Family, Model or Firmware that Identify reports.
const maxField = 64

// maxFields bounds how many space-separated fields a matcher tokenizes; no
// documented User-Agent format has more than a dozen.
const maxFields = 24

// truncate cuts s to maxInput bytes. The cut may split a UTF-8 sequence;
// matching works on bytes and tolerates that.
func truncate(s string) string {
	if len(s) > maxInput {
		return s[:maxInput]
	}
	return s
}

// hasPrefixFold reports whether s begins with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// hasSuffixFold reports whether s ends with suffix, ignoring ASCII case.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// isSpace reports whether c separates User-Agent fields.
func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// span is one field of a tokenized string: s[start:end].
type span struct{ start, end int }

// fields is a string split at spaces and tabs into at most maxFields
// fields, kept as offsets so that a run of fields can be sliced back out of
// the original string with its own spacing ("SIP VP-T49G", "N720 DM PRO").
type fields struct {
	s    string
	span [maxFields]span
	n    int
}

// tokenize splits s into fields. Fields past maxFields are dropped.
func tokenize(s string) fields {
	f := fields{s: s}
	i := 0
	for f.n < maxFields {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i == len(s) {
			break
		}
		start := i
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		f.span[f.n] = span{start, i}
		f.n++
	}
	return f
}

// at returns field i, or "" past the last field.
func (f *fields) at(i int) string {
	if i < 0 || i >= f.n {
		return ""
	}
	return f.s[f.span[i].start:f.span[i].end]
}

// run returns fields i through j inclusive as they appear in the original
// string, inner spacing included.
func (f *fields) run(i, j int) string {
	if i < 0 || j >= f.n || i > j {
		return ""
	}
	return f.s[f.span[i].start:f.span[j].end]
}

// index returns the number of the first field from i on that equals tok,
// or -1.
func (f *fields) index(from int, tok string) int {
	for i := max(from, 0); i < f.n; i++ {
		if f.at(i) == tok {
			return i
		}
	}
	return -1
}

// isDottedVersion reports whether s is a firmware version made of digits
// and dots, with at least one dot: "28.72.0.1", "2.10.2.6887".
func isDottedVersion(s string) bool {
	if len(s) < 3 || !isDigit(s[0]) {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			dot = true
		case !isDigit(c):
			return false
		}
	}
	return dot
}

// leadingVersion returns the run of digits and dots that starts s.
func leadingVersion(s string) string {
	i := 0
	for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
		i++
	}
	return s[:i]
}

// leadingDigits returns the run of digits that starts s.
func leadingDigits(s string) string {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i]
}

// leadingLetters returns the run of ASCII letters that starts s.
func leadingLetters(s string) string {
	i := 0
	for i < len(s) && isAlnum(s[i]) && !isDigit(s[i]) {
		i++
	}
	return s[:i]
}

// hasDigit reports whether s contains an ASCII digit.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// isModelToken reports whether s is a plausible model token: non-empty
// letters, digits, '-', '_' and '.'.
func isModelToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// cleanField returns s if it is at most maxField bytes of printable ASCII
// (space included) and "" otherwise, so that nothing a phone sends reaches
// logs, JSON or templates as control characters or invalid UTF-8.
func cleanField(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > maxField {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return ""
		}
	}
	return s
}
