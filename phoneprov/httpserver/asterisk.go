package httpserver

import (
	"strconv"
	"strings"
)

// This file reproduces the parts of Asterisk's HTTP server (main/http.c)
// that a phone can observe: how the request path is decoded and how error
// pages look.

// uriDecode is ast_uri_decode with ast_uri_http_legacy: '+' is a space,
// "%XY" is decoded when two characters follow the '%' and sscanf("%2x")
// accepts them (so "%4z" decodes "4" and swallows the 'z', and "%zz" stays
// as it is), everything else is copied. The result is a C string: it ends at
// the first NUL, decoded or not.
func uriDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		// Nothing to decode: no copy, but the C string still ends at a NUL.
		if i := strings.IndexByte(s, 0); i >= 0 {
			return s[:i]
		}
		return s
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s):
			if v, ok := scanHex2(s[i+1:]); ok {
				b = append(b, v)
				i += 2
			} else {
				b = append(b, c)
			}
		default:
			b = append(b, c)
		}
	}
	out := string(b)
	if i := strings.IndexByte(out, 0); i >= 0 {
		out = out[:i]
	}
	return out
}

// scanHex2 is glibc's sscanf(s, "%2x"): leading white space is skipped,
// then at most two characters of an optional sign, an optional "0x" and hex
// digits are read. ok is false when no digit (or lone "0x" prefix) was read.
// The value is the low byte of the unsigned conversion.
func scanHex2(s string) (byte, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	s = s[i:]
	if len(s) > 2 {
		s = s[:2]
	}
	neg := false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		// "0x" with no room left for digits: the '0' is the number.
		return 0, true
	}
	n := 0
	for n < len(s) && isHex(s[n]) {
		n++
	}
	if n == 0 {
		return 0, false
	}
	v, _ := strconv.ParseUint(s[:n], 16, 8)
	if neg {
		v = -v
	}
	return byte(v), true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isCSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

// xmlEscape is ast_xml_escape into a buffer of size n: & < > ' " become
// entities, and the output stops before an entity (or byte) that would not
// fit in n-1 bytes.
func xmlEscape(s string, n int) string {
	var b strings.Builder
	limit := n - 1
	for i := 0; i < len(s) && b.Len() < limit; i++ {
		var ent string
		switch s[i] {
		case '<':
			ent = "&lt;"
		case '&':
			ent = "&amp;"
		case '>':
			ent = "&gt;"
		case '\'':
			ent = "&apos;"
		case '"':
			ent = "&quot;"
		default:
			b.WriteByte(s[i])
			continue
		}
		if limit-b.Len() < len(ent) {
			break
		}
		b.WriteString(ent)
	}
	return b.String()
}

// errorPage is the body of ast_http_create_response: the text and the
// server name are XML-escaped (into 512 and 128 byte buffers), lines end
// in CRLF, and the <address> line is left out when the server name is
// empty.
func errorPage(code int, title, text, serverName string) string {
	address := ""
	if serverName != "" {
		address = "<address>" + xmlEscape(serverName, 128) + "</address>\r\n"
	}
	return "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n" +
		"<html><head>\r\n" +
		"<title>" + strconv.Itoa(code) + " " + title + "</title>\r\n" +
		"</head><body>\r\n" +
		"<h1>" + title + "</h1>\r\n" +
		"<p>" + xmlEscape(text, 512) + "</p>\r\n" +
		"<hr />\r\n" +
		address +
		"</body></html>\r\n"
}
