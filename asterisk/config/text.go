package config

// belowVisible reports whether b compares below 33 as a C "char" on x86-64,
// where char is signed: bytes 0x80 and above are negative and so count too.
// process_text_line uses such comparisons for the escaped first character of
// a name and for the end of a directive word.
func belowVisible(b byte) bool { return int8(b) < 33 }

// asciiLower returns s with ASCII letters lowered. Asterisk runs in the
// C.UTF-8 locale, where strcasecmp folds ASCII letters only; Go's Unicode
// folding (strings.EqualFold) would match more than Asterisk does.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// asciiEqualFold reports whether a and b are equal ignoring ASCII case, as
// strcasecmp in the C.UTF-8 locale does.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// cString returns s up to its first NUL byte: the part of a line that C
// string functions (strlen, strchr) see.
func cString(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i]
		}
	}
	return s
}

// byteAt returns s[i], or 0 (C's terminator) when i is past the end.
func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}
