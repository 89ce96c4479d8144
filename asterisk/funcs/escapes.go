package funcs

// decodeChar reads one character of s the way ast_get_encoded_char does:
// "\n", "\r" and "\t" are control characters, "\xH" and "\xHH" hexadecimal,
// "\0" followed by any number of octal digits octal (wrapping at a byte),
// a backslash before anything else makes it literal, and any other byte
// stands for itself. It returns the character, how many bytes of s it
// used, and false for an empty s or a "\x" without a hexadecimal digit
// (then c is 0).
//
// A backslash at the very end of s stands for NUL, as in C, where it
// escapes the terminator; n never exceeds len(s).
func decodeChar(s string) (c byte, n int, ok bool) {
	if s == "" {
		return 0, 0, false
	}
	if s[0] != '\\' {
		return s[0], 1, true
	}
	if len(s) == 1 {
		return 0, 1, true
	}
	switch s[1] {
	case 'n':
		return '\n', 2, true
	case 'r':
		return '\r', 2, true
	case 't':
		return '\t', 2, true
	case 'x':
		if len(s) < 3 || !isHexDigit(s[2]) {
			return 0, 2, false
		}
		c = hexValue(s[2])
		if len(s) > 3 && isHexDigit(s[3]) {
			return c<<4 + hexValue(s[3]), 4, true
		}
		return c, 3, true
	case '0':
		n = 2
		for n < len(s) && s[n] >= '0' && s[n] <= '7' {
			c = c<<3 + (s[n] - '0')
			n++
		}
		return c, n, true
	default:
		return s[1], 2, true
	}
}

// decodeString decodes s character by character as ast_get_encoded_str
// does into a buffer of size bytes: it stops at the end of s, at the first
// malformed escape, when size-1 characters are decoded, or at a decoded
// NUL (which ends the C string).
func decodeString(s string, size int) string {
	out := make([]byte, 0, len(s))
	for len(out) < size-1 {
		c, n, ok := decodeChar(s)
		if !ok || c == 0 {
			break
		}
		out = append(out, c)
		s = s[n:]
	}
	return string(out)
}
