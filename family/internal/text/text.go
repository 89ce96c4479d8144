// Package text holds the byte-level helpers the families' identification
// matchers share: case-insensitive prefixes, a bounded tokenizer that keeps
// offsets, and the shapes of versions, models and MACs. None of them
// allocates.
package text

import "strings"

// MaxFields bounds how many space-separated fields Tokenize keeps; no
// documented User-Agent format has more than a dozen.
const MaxFields = 24

// HasPrefixFold reports whether s begins with prefix, ignoring ASCII case.
func HasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// HasSuffixFold reports whether s ends with suffix, ignoring ASCII case.
func HasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// isSpace reports whether c separates User-Agent fields.
func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// span is one field of a tokenized string: s[start:end].
type span struct{ start, end int }

// Fields is a string split at spaces and tabs into at most MaxFields
// fields, kept as offsets so that a run of fields can be sliced back out of
// the original string with its own spacing ("SIP VP-T49G", "N720 DM PRO").
type Fields struct {
	s    string
	span [MaxFields]span
	N    int // number of fields
}

// Tokenize splits s into fields. Fields past MaxFields are dropped.
func Tokenize(s string) Fields {
	f := Fields{s: s}
	i := 0
	for f.N < MaxFields {
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
		f.span[f.N] = span{start, i}
		f.N++
	}
	return f
}

// At returns field i, or "" past the last field.
func (f *Fields) At(i int) string {
	if i < 0 || i >= f.N {
		return ""
	}
	return f.s[f.span[i].start:f.span[i].end]
}

// Run returns fields i through j inclusive as they appear in the original
// string, inner spacing included.
func (f *Fields) Run(i, j int) string {
	if i < 0 || j >= f.N || i > j {
		return ""
	}
	return f.s[f.span[i].start:f.span[j].end]
}

// Index returns the number of the first field from i on that equals tok,
// or -1.
func (f *Fields) Index(from int, tok string) int {
	for i := max(from, 0); i < f.N; i++ {
		if f.At(i) == tok {
			return i
		}
	}
	return -1
}

// TrimFirst drops the first n bytes of field 0 ("Yealink-T46G": the model
// shares the first field with the vendor word).
func (f *Fields) TrimFirst(n int) {
	if f.N > 0 && f.span[0].start+n <= f.span[0].end {
		f.span[0].start += n
	}
}

// IsDottedVersion reports whether s is a firmware version made of digits
// and dots, with at least one dot: "28.72.0.1", "2.10.2.6887".
func IsDottedVersion(s string) bool {
	if len(s) < 3 || !IsDigit(s[0]) {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			dot = true
		case !IsDigit(c):
			return false
		}
	}
	return dot
}

// LeadingVersion returns the run of digits and dots that starts s.
func LeadingVersion(s string) string {
	i := 0
	for i < len(s) && (IsDigit(s[i]) || s[i] == '.') {
		i++
	}
	return s[:i]
}

// LeadingDigits returns the run of digits that starts s.
func LeadingDigits(s string) string {
	i := 0
	for i < len(s) && IsDigit(s[i]) {
		i++
	}
	return s[:i]
}

// LeadingLetters returns the run of ASCII letters that starts s.
func LeadingLetters(s string) string {
	i := 0
	for i < len(s) && IsAlnum(s[i]) && !IsDigit(s[i]) {
		i++
	}
	return s[:i]
}

// HasDigit reports whether s contains an ASCII digit.
func HasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if IsDigit(s[i]) {
			return true
		}
	}
	return false
}

// IsModelToken reports whether s is a plausible model token: non-empty
// letters, digits, '-', '_' and '.'.
func IsModelToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !IsAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// FirstField returns s up to its first space or tab.
func FirstField(s string) string {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i]
	}
	return s
}

// IsAlnum reports whether c is an ASCII letter or digit.
func IsAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// IsDigit reports whether c is an ASCII digit.
func IsDigit(c byte) bool { return '0' <= c && c <= '9' }

// IsHex12 reports whether s is exactly 12 hex digits, in either case.
func IsHex12(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// MACThen reports whether base is a MAC (12 hex digits, any case, zeros
// included) at offset i followed by one of the suffixes, compared without
// regard to case.
func MACThen(base string, i int, suffixes ...string) bool {
	if len(base) < i+12 || !IsHex12(base[i:i+12]) {
		return false
	}
	rest := base[i+12:]
	for _, s := range suffixes {
		if strings.EqualFold(rest, s) {
			return true
		}
	}
	return false
}

// HasDirElement reports whether name, compared without regard to case, is
// one of the elements of dir ('/' or '\' separated).
func HasDirElement(dir, name string) bool {
	for dir != "" {
		elem := dir
		if i := strings.IndexAny(dir, `/\`); i >= 0 {
			elem, dir = dir[:i], dir[i+1:]
		} else {
			dir = ""
		}
		if strings.EqualFold(elem, name) {
			return true
		}
	}
	return false
}

// ParenGroups stores the contents of the "(…)" groups of s in dst, in
// order, and returns how many it stored. An unclosed group ends the scan.
func ParenGroups(s string, dst []string) int {
	n := 0
	for n < len(dst) {
		open := strings.IndexByte(s, '(')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], ')')
		if end < 0 {
			break
		}
		dst[n] = s[open+1 : open+end]
		n++
		s = s[open+end+1:]
	}
	return n
}
