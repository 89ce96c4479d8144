package dhcp

import (
	"errors"
	"fmt"
)

// MaxOptionLen is the longest DHCP option value: its length is one byte.
const MaxOptionLen = 255

// ParseDottedHex decodes an option value written as hex bytes separated
// by '.' or ':' — provd's "64.69.67.69.75.6d" and what ISC's
// binary-to-ascii(16, 8, ".", …) writes, where a byte below 0x10 has one
// digit ("0.15.65"). Each byte is one or two hex digits, one kind of
// separator per value; the empty string is the empty value.
func ParseDottedHex(s string) ([]byte, error) {
	if s == "" {
		return []byte{}, nil
	}
	if len(s) > 3*MaxOptionLen {
		return nil, fmt.Errorf("option value of %d characters: longer than 255 bytes", len(s))
	}
	out := make([]byte, 0, (len(s)+2)/3)
	var sep byte
	digits, v := 0, byte(0)
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' || s[i] == ':' {
			if digits == 0 {
				return nil, fmt.Errorf("option value %q: empty byte at offset %d", clip(s), i)
			}
			if i < len(s) {
				if sep == 0 {
					sep = s[i]
				} else if s[i] != sep {
					return nil, fmt.Errorf("option value %q: mixed separators", clip(s))
				}
			}
			out = append(out, v)
			digits, v = 0, 0
			continue
		}
		d, ok := hexDigit(s[i])
		if !ok {
			return nil, fmt.Errorf("option value %q: %q at offset %d is not a hex digit", clip(s), s[i], i)
		}
		if digits == 2 {
			return nil, fmt.Errorf("option value %q: a byte of more than two hex digits at offset %d", clip(s), i)
		}
		v = v<<4 | d
		digits++
	}
	if len(out) > MaxOptionLen {
		return nil, errors.New("option value longer than 255 bytes")
	}
	return out, nil
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// FormatDottedHex writes b as provd's dotted hex ("64.69.67"), two digits
// a byte.
func FormatDottedHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 3*len(b))
	for i, c := range b {
		if i > 0 {
			out = append(out, '.')
		}
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
