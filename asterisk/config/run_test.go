package config

import (
	"strings"
	"testing"
)

// TestLines covers line reading: the fgets buffer, the byte order mark,
// CR handling, NUL bytes and trimming (config_text_file_load,
// docs/asterisk.md#reading-a-file).
func TestLines(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name    string
		text    string
		want    string
		warning string
	}{
		// A line with its newline must fit in 8191 bytes.
		{"longest line that fits", "[s]\nk=" + long(8188) + "\n", "[s] k=" + long(8188), ""},
		{"one byte too long", "[s]\nk=" + long(8189) + "\nb=2\n", "[s] b=2",
			"main.conf:2: line longer than 8190 bytes"},
		// config_text_file_load: the continuation of a skipped line is skipped too,
		// and does not count as a line.
		{"continuation skipped", "[s]\nk=" + long(20000) + "=v\nb=2\n", "[s] b=2", ""},
		{"two full chunks then newline", "[s]\n" + long(16382) + "\nb=2\n", "[s] b=2", ""},
		{"long last line without newline", "[s]\na=1\nk=" + long(9000), "[s] a=1", "main.conf:3: line longer"},
		// config_text_file_load measures lines with strlen: a NUL hides the length of a
		// long line, and what fgets did not read comes back as the next line.
		{"NUL cuts the line", "[s]\nk=1\x00junk\nb=2\n", "[s] k=1|b=2", ""},
		{"NUL in a long line", "[s]\nk=1\x00" + strings.Repeat("a", 9000) + "=tail\nb=2\n",
			"[s] k=1|" + strings.Repeat("a", 813) + "=tail|b=2", ""},
		// A UTF-8 BOM on line 1 is removed, not elsewhere.
		{"BOM on line 1", "\xEF\xBB\xBF[s]\na=1\n", "[s] a=1", ""},
		{"BOM on line 2 is data", "[s]\n\xEF\xBB\xBFb=2\n", "[s] \xEF\xBB\xBFb=2", ""},
		// Every byte below 33 is stripped from both ends.
		{"CRLF", "[s]\r\na = 1 \r\n\r\n", "[s] a=1", ""},
		{"control bytes", "[s]\n\x01\ta = b\x02\x1f\n", "[s] a=b", ""},
		{"DEL is not blank", "[s]\na=b\x7f\n", "[s] a=b\x7f", ""},
		// fgets splits on '\n' only: a bare CR is not a line break.
		{"bare CR", "[s]\ra=1\r", "[s]", ""},
		{"blank lines", "\n  \n\t\n[s]\n\n a = 1 \n", "[s] a=1", ""},
		{"last line without newline", "[s]\na=1", "[s] a=1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadText(t, tt.text, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := dump(c); got != tt.want {
				t.Errorf("got\n%.200q\nwant\n%.200q", got, tt.want)
			}
			if tt.warning != "" && !hasWarning(c, tt.warning) {
				t.Errorf("missing warning %q in %q", tt.warning, warningTexts(c))
			}
		})
	}
}

// TestLineNumbers checks File and Line of sections and variables, counting
// lines per file (a skipped continuation is not a line).
func TestLineNumbers(t *testing.T) {
	c, err := loadText(t, "; top\n[a]\nx="+strings.Repeat("y", 9000)+"\n\nk = v\n#include inc.conf\n",
		map[string]string{"inc.conf": "\n\nj=1\n"})
	if err != nil {
		t.Fatal(err)
	}
	s := c.Sections[0]
	if s.File != "main.conf" || s.Line != 2 {
		t.Errorf("section at %s:%d, want main.conf:2", s.File, s.Line)
	}
	want := []struct {
		name, file string
		line       int
	}{{"k", "main.conf", 5}, {"j", "inc.conf", 3}}
	if len(s.Vars) != len(want) {
		t.Fatalf("vars = %q", dump(c))
	}
	for i, w := range want {
		if v := s.Vars[i]; v.Name != w.name || v.File != w.file || v.Line != w.line {
			t.Errorf("var %d = %s at %s:%d, want %s at %s:%d", i, v.Name, v.File, v.Line, w.name, w.file, w.line)
		}
	}
}

// TestBOMOnlyFirstGlobFile: config_text_file_load removes the BOM only when
// its line counter is 1, and that counter runs on across the files of one
// glob, so the second file keeps its BOM. An included file is a new call and
// loses it.
func TestBOMOnlyFirstGlobFile(t *testing.T) {
	c, err := loadText(t, "[s]\n#include d/*.conf\n#include e.conf\n", map[string]string{
		"d/a.conf": "\xEF\xBB\xBFa=1\n",
		"d/b.conf": "\xEF\xBB\xBFb=2\n",
		"e.conf":   "\xEF\xBB\xBFe=3\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dump(c), "[s] a=1|\xEF\xBB\xBFb=2|e=3"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestNextChunk checks the fgets model directly.
func TestNextChunk(t *testing.T) {
	text := "ab\ncd" + strings.Repeat("z", 9000)
	chunk, next := nextChunk(text, 0)
	if chunk != "ab\n" || next != 3 {
		t.Errorf("first chunk %q, %d", chunk, next)
	}
	chunk, next = nextChunk(text, next)
	if len(chunk) != lineBufferSize-1 || next != 3+lineBufferSize-1 {
		t.Errorf("second chunk has %d bytes, next %d", len(chunk), next)
	}
	chunk, next = nextChunk(text, next)
	if next != len(text) || len(chunk) != len(text)-3-(lineBufferSize-1) {
		t.Errorf("third chunk has %d bytes, next %d", len(chunk), next)
	}
}
