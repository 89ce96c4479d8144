package security

import (
	"reflect"
	"strings"
	"testing"
)

func TestAuthScheme(t *testing.T) {
	// RFC 9110 §11.6.2: credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ].
	tests := []struct{ in, scheme, rest string }{
		{`Digest username="a"`, "Digest", `username="a"`},
		{`  digest   a=b`, "digest", "a=b"},
		{`Basic dXNlcjpwYXNz`, "Basic", "dXNlcjpwYXNz"},
		{``, "", ""},
		{`"quoted"`, "", `"quoted"`},
	}
	for _, tt := range tests {
		if s, r := authScheme(tt.in); s != tt.scheme || r != tt.rest {
			t.Errorf("authScheme(%q) = %q, %q", tt.in, s, r)
		}
	}
}

func TestParseAuthParams(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
		err  error
	}{
		// RFC 7616 §3.9.1: the example Authorization header, as curl writes it.
		{`username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
			map[string]string{"username": "Mufasa", "realm": "http-auth@example.org", "uri": "/dir/index.html", "algorithm": "SHA-256",
				"nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "nc": "00000001", "cnonce": "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
				"qop": "auth", "response": "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", "opaque": "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"}, nil},
		// RFC 9110 §11.2: names are case-insensitive, BWS around "=".
		{`UserName = "a" ,REALM= r`, map[string]string{"username": "a", "realm": "r"}, nil},
		// RFC 9110 §5.6.1: empty list elements are allowed.
		{`,, a=b ,, c="d",`, map[string]string{"a": "b", "c": "d"}, nil},
		// RFC 9110 §5.6.4: quoted-pair.
		{`u="a\"b\\c", v=""`, map[string]string{"u": `a"b\c`, "v": ""}, nil},
		{`u="a,b=c"`, map[string]string{"u": "a,b=c"}, nil},
		{``, map[string]string{}, nil},
		// RFC 7616 §3.4: each parameter at most once.
		{`a=1, A=2`, nil, errAuthDuplicate},
		{`a`, nil, errAuthSyntax},
		{`a=`, nil, errAuthSyntax},
		{`=b`, nil, errAuthSyntax},
		{`a="unterminated`, nil, errAuthSyntax},
		{`a="bad\`, nil, errAuthSyntax},
		{`a="ctl` + "\x01" + `"`, nil, errAuthSyntax},
		{`a=b c=d`, nil, errAuthSyntax},
		{`a="b"c`, nil, errAuthSyntax},
		{`a=b;c`, nil, errAuthSyntax},
		{strings.Repeat("a", maxAuthHeader+1), nil, errAuthTooLong},
		{strings.Repeat("p=1,", 1) + paramList(maxAuthParams+1), nil, errAuthTooMany},
	}
	for _, tt := range tests {
		got, err := parseAuthParams(tt.in)
		if err != tt.err || tt.err == nil && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseAuthParams(%.60q) = %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// paramList is n distinct parameters.
func paramList(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("k")
		b.WriteString(strings.Repeat("x", i))
		b.WriteString("=v,")
	}
	return b.String()
}

// FuzzDigestHeader parses arbitrary Authorization headers: it must never
// panic, must bound its output, and what it accepts must survive a
// round trip through quoting.
func FuzzDigestHeader(f *testing.F) {
	for _, s := range []string{
		`Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, nonce="7ypf", nc=00000001, cnonce="f2", qop=auth, response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe"`,
		`Digest a="\"", b=c`, `Basic dXNlcjpwYXNz`, `Digest ,,,`, `Digest a="`, `Digest a=1,a=2`, "Digest a=\"\xff\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		_, rest := authScheme(h)
		params, err := parseAuthParams(rest)
		if err != nil {
			return
		}
		if len(params) > maxAuthParams {
			t.Fatalf("%d parameters", len(params))
		}
		var b strings.Builder
		for k, v := range params {
			if k != strings.ToLower(k) || k == "" {
				t.Fatalf("name %q", k)
			}
			if len(v) > len(rest) {
				t.Fatalf("value %q longer than the header", v)
			}
			b.WriteString(k + `="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `",`)
		}
		again, err := parseAuthParams(b.String())
		if err != nil && err != errAuthTooLong {
			t.Fatalf("re-quoted %q: %v", b.String(), err)
		}
		if err == nil && !reflect.DeepEqual(again, params) {
			t.Fatalf("round trip: %v != %v", again, params)
		}
	})
}
