package aritest

import "strings"

// param is one query parameter, in request order (Asterisk keeps them as a
// list, so repeated names are possible).
type param struct {
	name, value string
}

// parseQuery splits a raw query string as main/http.c handle_uri does: at
// every '&', then at the first '='; names and values are decoded with
// uriDecode, and a parameter without '=' gets an empty value.
func parseQuery(raw string) []param {
	if raw == "" {
		return nil
	}
	var out []param
	for _, part := range strings.Split(raw, "&") {
		name, value, _ := strings.Cut(part, "=")
		out = append(out, param{uriDecode(name), uriDecode(value)})
	}
	return out
}

// findParam returns the first value of name, like
// ast_variable_find_in_list.
func findParam(params []param, name string) (string, bool) {
	for _, p := range params {
		if p.name == name {
			return p.value, true
		}
	}
	return "", false
}

// uriDecode decodes %XX escapes and turns '+' into a space
// (ast_uri_decode with ast_uri_http_legacy). A '%' not followed by two hex
// digits is kept as it is.
func uriDecode(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// redactAPIKey returns a raw query with the password part of every api_key
// parameter replaced, for the request log.
func redactAPIKey(raw string) string {
	if !strings.Contains(raw, "api_key") {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, part := range parts {
		name, value, ok := strings.Cut(part, "=")
		if !ok || uriDecode(name) != "api_key" {
			continue
		}
		user, _, hasPass := strings.Cut(uriDecode(value), ":")
		if hasPass {
			parts[i] = name + "=" + user + ":" + redacted
		}
	}
	return strings.Join(parts, "&")
}

// redacted replaces passwords in the request log.
const redacted = "[redacted]"
