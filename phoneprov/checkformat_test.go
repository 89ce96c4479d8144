package phoneprov

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestCheckXML(t *testing.T) {
	tests := []struct {
		body string
		want string // "" = well-formed
	}{
		{`<?xml version="1.0"?><a x="1"><b>t &amp; u</b></a>`, ""},
		{`<a>Smith & Sons</a>`, "invalid character entity &"},
		{`<a n="a<b"/>`, "unescaped < inside quoted string"},
		{`<a n="x" n="y"/>`, "attribute n given twice in <a>"},
		{`<a/><b/>`, "a second root element <b>"},
		{`text<a/>`, "text outside the root element"},
		{`<a><!-- x -- y --></a>`, `"--"`},
		{`<a>`, "unexpected EOF"},
		{``, "no root element"},
		{`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, ""},
		{`<polycomConfig><r p.a="1"/><r p.a="2"/></polycomConfig>`, "Polycom parameter p.a is set twice"},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range checkXML([]byte(tt.body)) {
			got = append(got, p.msg)
		}
		joined := strings.Join(got, "; ")
		if (tt.want == "") != (len(got) == 0) || !strings.Contains(joined, tt.want) {
			t.Errorf("%q: %q, want %q", tt.body, joined, tt.want)
		}
	}
}

func TestCheckKeyValue(t *testing.T) {
	body := "#!version:1.0.0.1\n## comment\n\naccount.1.label = A & <B>\naccount.1.label = again\nnot a setting\nbad key = 1\n"
	var got []string
	for _, p := range checkKeyValue([]byte(body)) {
		_, line := lineAt([]byte(body), p.offset)
		got = append(got, line+": "+p.msg)
	}
	want := []string{
		"account.1.label = again: account.1.label is set twice (the last wins)",
		`not a setting: line "not a setting" is neither a comment nor key = value`,
		`bad key = 1: line "bad key = 1" is neither a comment nor key = value`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckURLs(t *testing.T) {
	for _, tt := range []struct {
		body string
		bad  bool
	}{
		{"url = http://192.0.2.1:8080/phoneprov/", false},
		{"url = http://[2001:db8::1]:8080/phoneprov/", false},
		{"url = http://2001:db8::1:8080/phoneprov/", true},
		{"<Addr>https://user:pw@2001:db8::1/x</Addr>", true},
		{"<Addr>https://user:pw@[2001:db8::1]/x</Addr>", false},
		{"time 10:20:30 and :// alone", false},
	} {
		if got := len(checkURLs([]byte(tt.body))) > 0; got != tt.bad {
			t.Errorf("%q: reported %v", tt.body, got)
		}
	}
}

// FuzzCheckFormat feeds the rendered-file checks arbitrary bodies: they
// must not panic, must point inside the body, and must agree with
// encoding/xml about well-formedness.
func FuzzCheckFormat(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0"?><a x="1"><b>t</b></a>`, `<a>&</a>`, `<a/><b/>`, "#!version:1.0.0.1\na = 1\nb\n",
		"http://2001:db8::1:80/", `<polycomConfig><r a.b="1" a.b="2"/></polycomConfig>`, "<a><!-- -- --></a>",
	} {
		f.Add("t.xml", s)
	}
	f.Fuzz(func(t *testing.T, uri, body string) {
		for _, p := range checkFormat(uri, []byte(body), false) {
			if p.offset < 0 || p.offset > len(body) || p.msg == "" {
				t.Fatalf("problem %+v out of %d bytes", p, len(body))
			}
			lineAt([]byte(body), p.offset)
		}
		syntaxOK := true
		for _, p := range checkXML([]byte(body)) {
			syntaxOK = syntaxOK && !p.syntax
		}
		if syntaxOK && !strictXMLOK(body) {
			t.Fatalf("checkXML accepts %q, encoding/xml does not", body)
		}
	})
}

// strictXMLOK reports whether encoding/xml in strict mode reads body to
// the end without an error.
func strictXMLOK(body string) bool {
	d := xml.NewDecoder(strings.NewReader(body))
	d.Strict = true
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
	}
}
