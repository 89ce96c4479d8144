package pkgsdb

import (
	"strings"
	"testing"
)

// dump renders a configuration as "[section] key=value" lines, the
// DEFAULT options merged as Python's items() merges them.
func dump(c *INI) string {
	var b strings.Builder
	for _, s := range c.Sections() {
		b.WriteString("[" + s.Name + "]\n")
		for _, o := range c.Items(s) {
			b.WriteString(o.Name + "=" + strings.ReplaceAll(o.Value, "\n", `\n`) + "\n")
		}
	}
	return b.String()
}

func TestINIRead(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"colon and equals", "[s]\na: 1\nb = 2\nc:3\nd=\n", "[s]\na=1\nb=2\nc=3\nd=\n"},
		{"first delimiter splits", "[s]\nurl: http://x/y=z\nk=v:w\n", "[s]\nurl=http://x/y=z\nk=v:w\n"},
		{"keys lower-cased, values kept", "[S]\nDesc_FR: Été\n", "[S]\ndesc_fr=Été\n"},
		{"no inline comments", "[s]\nfilename: foo.gz    ; optional\n", "[s]\nfilename=foo.gz    ; optional\n"},
		{"comments", "# c\n; c\n[s]\n  # indented comment\na: 1\n", "[s]\na=1\n"},
		{"continuation", "[s]\na: cp x\n   y\n\tz/\nb: 2\n", "[s]\na=cp x\\ny\\nz/\nb=2\n"},
		{"blank line kept inside a value, trailing dropped", "[s]\na: 1\n\n  2\n\n\nb: 3\n", "[s]\na=1\\n\\n2\nb=3\n"},
		{"comment line inside a value dropped", "[s]\na: 1\n# c\n  2\n", "[s]\na=1\\n2\n"},
		{"continuation relative to the key's indent", "[s]\n  a: 1\n  b: 2\n    c\n", "[s]\na=1\nb=2\\nc\n"},
		{"header name to the last bracket", "[a]b] trailing\nk: v\n", "[a]b]\nk=v\n"},
		{"indented header continues a value", "[s]\na: 1\n  [t]\n", "[s]\na=1\\n[t]\n"},
		{"CRLF and CR", "[s]\r\na: 1\r\nb: 2\rc: 3", "[s]\na=1\nb=2\nc=3\n"},
		{"BOM", "\ufeff[s]\na: 1\n", "[s]\na=1\n"},
		{"DEFAULT inherited", "[DEFAULT]\nx: 0\ny: 0\n[s]\ny: 1\n[t]\n", "[s]\nx=0\ny=1\n[t]\nx=0\ny=0\n"},
		{"section merged in one read", "[s]\na: 1\n[t]\n", "[s]\na=1\n[t]\n"},
		{"empty section", "[s]\n", "[s]\n"},
		{"unicode spaces", "[s]\na:\u00a0v\u00a0\n", "[s]\na=v\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewINI()
			if err := c.Read("f", []byte(tt.in)); err != nil {
				t.Fatal(err)
			}
			if got := dump(c); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestINIMergesFiles(t *testing.T) {
	c := NewINI()
	if err := c.Read("one", []byte("[s]\na: 1\nb: 1\n")); err != nil {
		t.Fatal(err)
	}
	// A second file may reopen a section and replace a key: the key keeps
	// its place, as in a Python dict.
	if err := c.Read("two", []byte("[t]\n[s]\na: 2\nc: 2\n")); err != nil {
		t.Fatal(err)
	}
	want := "[s]\na=2\nb=1\nc=2\n[t]\n"
	if got := dump(c); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if o := c.Sections()[0].options[0]; o.Pos.String() != "two:3" {
		t.Errorf("replaced key position = %s, want two:3", o.Pos)
	}
}

func TestINIErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"a: 1\n", "f:1: \"a: 1\" comes before any [section] header"},
		{"[s]\n\nnot an option\n", "f:3: \"not an option\" is neither"},
		{"[s]\n: v\n", "f:2: \": v\" is neither"},
		{"[s]\n[]\n", "f:2: \"[]\" is neither"},
		{"[s]\na: 1\nA = 2\n", "f:3: key \"a\" appears twice in [s]"},
		{"[s]\n[t]\n[s]\n", "f:3: section [s] appears twice in this file"},
		{"[DEFAULT]\nx: 1\n[DEFAULT]\nx: 2\n", "f:4: key \"x\" appears twice in [DEFAULT]"},
		{"[s]\na: \xff\n", "f:2: not valid UTF-8"},
	}
	for _, tt := range tests {
		err := NewINI().Read("f", []byte(tt.in))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Read(%q) = %v, want %q...", tt.in, err, tt.want)
		}
	}
}
