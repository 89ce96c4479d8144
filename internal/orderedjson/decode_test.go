package orderedjson

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// pairs is an object for the tests: its keys and values in the order set.
type pairs struct{ kv []string }

func (p *pairs) String() string { return "{" + strings.Join(p.kv, " ") + "}" }

var testDecoder = Decoder{
	Object: func() (any, func(string, any)) {
		p := &pairs{}
		return p, func(k string, v any) { p.kv = append(p.kv, fmt.Sprintf("%s=%v", k, v)) }
	},
	Number: func(s string) (any, error) {
		if s == "13" {
			return nil, fmt.Errorf("no %s", s)
		}
		return "n" + s, nil
	},
	MaxDepth: 3,
}

func TestDecode(t *testing.T) {
	for _, tt := range []struct {
		in, want, err string
	}{
		{`{"z": 1, "a": [true, null, "s"], "z": 2.5e3}`, `{z=n1 a=[true <nil> s] z=n2.5e3}`, ""},
		{`[]`, `[]`, ""},
		{`"s"`, `s`, ""},
		{`[[[1]]]`, `[[[n1]]]`, ""},
		{`[[[[1]]]]`, "", "line 1: JSON nested deeper than 3 levels"},
		{"[1,\n2] [3]", "", "line 2: data after the JSON value"},
		{"{\"a\":\n", "", "line 1: unexpected EOF"}, // the offset is that of the last token
		{"{\"a\" 1}", "", "line 1: invalid character '1' after object key"},
		{`[1e5x]`, "", "line 1: invalid character 'x' after array element"},
		{"[1,\n13]", "", "line 2: no 13"}, // the Number's own error
		{``, "", "line 1: unexpected EOF"},
	} {
		v, err := testDecoder.Decode([]byte(tt.in))
		got := fmt.Sprint(v)
		if err != nil {
			got = ""
		}
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && err.Error() != tt.err {
			t.Errorf("Decode(%q) = %s, %v; want %s, %s", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// FuzzDecode feeds arbitrary bytes to the decoder: it must not panic, and
// what it accepts is valid JSON.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"z": 1, "a": [true, null, "s"], "z": 2}`))
	f.Add([]byte(`[[[[1]]]]`))
	f.Add([]byte("[1,\n2] [3]"))
	f.Add([]byte(`{"a":`))
	d := testDecoder
	d.Number = func(s string) (any, error) { return strconv.ParseFloat(s, 64) }
	d.MaxDepth = 64
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := d.Decode(data); err == nil && !json.Valid(data) {
			t.Errorf("accepted invalid JSON %q", data)
		}
	})
}
