package funcs

import (
	"strings"
	"testing"
)

func TestBase64(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_base64.c with ast_base64encode: standard, padded.
		{in: "${BASE64_ENCODE(hello)}", want: "aGVsbG8="},
		{in: "${BASE64_ENCODE(a,b)}", want: "YSxi"},
		{in: "${BASE64_ENCODE(\xff\xfe)}", want: "//4="},
		// ast_base64decode: until the end or the first '='.
		{in: "${BASE64_DECODE(aGVsbG8=)}", want: "hello"},
		{in: "${BASE64_DECODE(aGVsbG8)}", want: "hello"},
		{in: "${BASE64_DECODE(aGV=sbG8)}", want: "he"},
		// The result is a C string: it ends at a decoded NUL.
		{in: "${BASE64_DECODE(QQBC)}", want: "A"},
		// No validation: any other byte counts as '/' (63).
		{in: "${BASE64_DECODE(!!!!)}", want: "\xff\xff\xff"},
		{in: "${BASE64_DECODE(Q)}", want: ""},
		{in: "${BASE64_DECODE(${BASE64_ENCODE(${LIST})})}", want: "one,two,three,four,five"},
		// An empty argument is an error.
		{in: "${BASE64_ENCODE()}", fails: true},
		{in: "${BASE64_DECODE()}", fails: true},
	})
}

func TestDigests(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_md5.c / func_sha1.c: lower-case hexadecimal.
		{in: "${MD5(abc)}", want: "900150983cd24fb0d6963f7d28e17f72"},
		{in: "${MD5(a,b)}", want: "b345e1dc09f20fdefdea469f09167892"},
		{in: "${SHA1(abc)}", want: "a9993e364706816aba3e25717850c26c9cd0d89d"},
		{in: "${MD5()}", fails: true},
		{in: "${SHA1()}", fails: true},
	})
}

func TestURI(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// ast_uri_encode with ast_uri_http: letters, digits and
		// -_.!~*'() stay, the rest is %XX in upper case.
		{in: "${URIENCODE(a b&c=d/\xc3\xa9~*'()_.-!)}", want: "a%20b%26c%3Dd%2F%C3%A9~*'()_.-!"},
		{in: "[${URIENCODE()}]", want: "[]"},
		// ast_uri_decode: '+' stays, bad escapes are copied.
		{in: "${URIDECODE(a%20b%2fc+d)}", want: "a b/c+d"},
		{in: "${URIDECODE(%zz%4)}", want: "%zz%4"},
		{in: "${URIDECODE(%41%4)}", want: "A%4"},
		{in: "${URIDECODE(100%)}", want: "100%"},
		// A decoded NUL ends the C string.
		{in: "${URIDECODE(a%00b)}", want: "a"},
		// sscanf "%2x" accepts white space, a sign and "0x", and two
		// characters are consumed whatever it read.
		{in: "${URIDECODE(%-1x)}", want: "\xffx"},
		{in: "${URIDECODE(% 41)}", want: "A1"},
		{in: "${URIDECODE(%4g)}", want: "\x04"},
		{in: "${URIDECODE(x%0x41)}", want: "x"}, // "0x" reads as 0: NUL
		{in: "[${URIDECODE()}]", want: "[]"},
		// Round trip.
		{in: "${URIDECODE(${URIENCODE(${LIST} \xc3\xa9/?)})}", want: "one,two,three,four,five \xc3\xa9/?"},
	})
	e, _ := newEngine(Config{})
	// The 4096-byte buffer: an escape that does not fit whole ends it.
	if got := e.String("${URIENCODE("+strings.Repeat(" ", 5000)+")}", nil); len(got) != 4095 {
		t.Errorf("URIENCODE of 5000 spaces: %d bytes", len(got))
	}
	if got := e.String("${URIENCODE("+strings.Repeat("a", 4094)+" )}", nil); len(got) != 4094 {
		t.Errorf("URIENCODE with no room for the last escape: %d bytes", len(got))
	}
	// URIDECODE copies at most 4095 bytes before decoding.
	if got := e.String("${URIDECODE("+strings.Repeat("a", 4094)+"%41)}", nil); len(got) != 4095 || !strings.HasSuffix(got, "a%") {
		t.Errorf("URIDECODE past the buffer: %d bytes", len(got))
	}
}
