package funcs

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// This file holds func_base64.c, func_md5.c, func_sha1.c and func_uri.c,
// with main/utils.c's encoders.

// readBase64Encode is BASE64_ENCODE(s): standard base64 with padding. An
// empty argument is an error.
func readBase64Encode(_ *subst.Call, data string) (string, error) {
	s := cString(data)
	if s == "" {
		return "", usage("BASE64_ENCODE(<data>) - missing argument")
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// base64Values is ast_base64decode's table: the value of each base64
// character. Every other byte is -1 in Asterisk's table and enters the
// decoder as -1 & 0x3f, that is 63, like '/'.
var base64Values = func() (t [256]byte) {
	for i := range t {
		t[i] = 63
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// readBase64Decode is BASE64_DECODE(s) (ast_base64decode): six bits per
// character until the end or the first '=', a byte out whenever eight
// bits are available, left-over bits dropped, no validation (a stray
// character counts as '/'). The result is a C string, so it ends at the
// first decoded NUL. An empty argument is an error.
func readBase64Decode(_ *subst.Call, data string) (string, error) {
	s := cString(data)
	if s == "" {
		return "", usage("BASE64_DECODE(<data>) - missing argument")
	}
	out := make([]byte, 0, len(s)*3/4+1)
	var acc, bits uint
	for i := 0; i < len(s) && s[i] != '='; i++ {
		acc = acc<<6 | uint(base64Values[s[i]])
		bits += 6
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
		}
	}
	return cString(string(out)), nil
}

// readMD5 is MD5(s): the lower-case hexadecimal MD5 of the argument text.
// An empty argument is an error.
func readMD5(_ *subst.Call, data string) (string, error) {
	s := cString(data)
	if s == "" {
		return "", usage("MD5(<data>) - missing argument")
	}
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:]), nil
}

// readSHA1 is SHA1(s): the lower-case hexadecimal SHA-1 of the argument
// text. An empty argument is an error.
func readSHA1(_ *subst.Call, data string) (string, error) {
	s := cString(data)
	if s == "" {
		return "", usage("SHA1(<data>) - missing argument")
	}
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:]), nil
}

// uriUnreserved reports the bytes ast_uri_encode leaves alone with
// ast_uri_http: letters, digits and RFC 2396's marks.
func uriUnreserved(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		strings.IndexByte("-_.!~*'()", c) >= 0
}

// readURIEncode is URIENCODE(s) (ast_uri_encode with ast_uri_http): every
// byte but letters, digits and -_.!~*'() becomes %XX (upper case). Within
// the 4096-byte buffer an escape that would not fit whole ends the output.
// An empty argument gives "".
func readURIEncode(_ *subst.Call, data string) (string, error) {
	s := cString(data)
	const hexDigits = "0123456789ABCDEF"
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s) && len(out) < legacyBuffer-1; i++ {
		c := s[i]
		if uriUnreserved(c) {
			out = append(out, c)
			continue
		}
		if len(out) >= legacyBuffer-3 {
			break
		}
		out = append(out, '%', hexDigits[c>>4], hexDigits[c&15])
	}
	return string(out), nil
}

// readURIDecode is URIDECODE(s) (ast_uri_decode with ast_uri_http): the
// argument, cut to the 4095 bytes of the buffer, with each '%' that has
// two more characters after it and reads as "%2x" (white space, a sign and
// a "0x" are all allowed by sscanf) replaced by that byte, consuming the
// two characters after the '%'. '+' stays '+'. A decoded NUL ends the
// result.
func readURIDecode(_ *subst.Call, data string) (string, error) {
	s := cString(data)
	if len(s) > legacyBuffer-1 {
		s = s[:legacyBuffer-1]
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, _, st := scanHex2(s[i+1:]); st == scanMatch {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, s[i])
	}
	return cString(string(out)), nil
}
