package security

import (
	"errors"
	"strings"
)

// Bounds of an Authorization header the parser accepts. Real digest
// headers are a few hundred bytes with about ten parameters.
const (
	maxAuthHeader = 4096
	maxAuthParams = 32
)

// Errors of parseAuthParams.
var (
	errAuthTooLong   = errors.New("authorization header too long")
	errAuthTooMany   = errors.New("too many authorization parameters")
	errAuthSyntax    = errors.New("malformed authorization parameters")
	errAuthDuplicate = errors.New("duplicate authorization parameter")
)

// authScheme splits an Authorization header value into its scheme and the
// rest (RFC 9110 §11.6.2: credentials = auth-scheme [ 1*SP ( token68 /
// #auth-param ) ]). The scheme is returned as sent; compare it without
// regard to case.
func authScheme(h string) (scheme, rest string) {
	h = strings.TrimLeft(h, " \t")
	i := 0
	for i < len(h) && isTokenChar(h[i]) {
		i++
	}
	return h[:i], strings.TrimLeft(h[i:], " \t")
}

// parseAuthParams parses the comma-separated auth-params of a Digest
// Authorization header (RFC 9110 §11.2, RFC 7616 §3.4): name = token or
// quoted-string, names compared without regard to case (returned lower
// case), each at most once, empty list elements allowed. Quoted-pairs are
// unescaped. It never panics and does work linear in len(s).
func parseAuthParams(s string) (map[string]string, error) {
	if len(s) > maxAuthHeader {
		return nil, errAuthTooLong
	}
	params := make(map[string]string)
	i := 0
	for {
		// OWS and empty list elements.
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
			i++
		}
		if i == len(s) {
			return params, nil
		}
		start := i
		for i < len(s) && isTokenChar(s[i]) {
			i++
		}
		if i == start {
			return nil, errAuthSyntax
		}
		name := strings.ToLower(s[start:i])
		i = skipBlank(s, i)
		if i == len(s) || s[i] != '=' {
			return nil, errAuthSyntax
		}
		i = skipBlank(s, i+1)
		var value string
		if i < len(s) && s[i] == '"' {
			v, n, ok := quotedString(s[i:])
			if !ok {
				return nil, errAuthSyntax
			}
			value, i = v, i+n
		} else {
			start = i
			for i < len(s) && isTokenChar(s[i]) {
				i++
			}
			if i == start {
				return nil, errAuthSyntax
			}
			value = s[start:i]
		}
		if _, dup := params[name]; dup {
			return nil, errAuthDuplicate
		}
		if len(params) == maxAuthParams {
			return nil, errAuthTooMany
		}
		params[name] = value
		i = skipBlank(s, i)
		if i < len(s) && s[i] != ',' {
			return nil, errAuthSyntax
		}
	}
}

// quotedString reads a quoted-string at the start of s and returns its
// unescaped content and the bytes consumed.
func quotedString(s string) (value string, n int, ok bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return b.String(), i + 1, true
		case c == '\\':
			i++
			if i == len(s) || !isQuotedPairChar(s[i]) {
				return "", 0, false
			}
			b.WriteByte(s[i])
		case isQDText(c):
			b.WriteByte(c)
		default:
			return "", 0, false
		}
	}
	return "", 0, false
}

func skipBlank(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// isTokenChar is RFC 9110's tchar.
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// isQDText is RFC 9110's qdtext: HTAB, SP, visible ASCII but '"' and '\',
// and obs-text.
func isQDText(c byte) bool {
	return c == '\t' || c == ' ' || c == 0x21 || (0x23 <= c && c <= 0x5b) || (0x5d <= c && c <= 0x7e) || c >= 0x80
}

// isQuotedPairChar is what may follow '\' in a quoted-pair.
func isQuotedPairChar(c byte) bool {
	return c == '\t' || c == ' ' || (0x21 <= c && c <= 0x7e) || c >= 0x80
}
