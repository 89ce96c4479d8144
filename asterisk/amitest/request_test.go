package amitest

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestLineReader checks get_input's line splitting.
func TestLineReader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		lines   []string
		tooLong bool
	}{
		// get_input: CRLF and a bare LF both end a line.
		{"crlf and lf", "A: 1\r\nB: 2\nC: 3\r\n", []string{"A: 1", "B: 2", "C: 3"}, false},
		// A CR not followed by LF stays in the line.
		{"lone cr", "A: 1\r2\r\n", []string{"A: 1\r2"}, false},
		{"cr lf split across reads", "A\r\nB\r\n", []string{"A", "B"}, false},
		// The header strings are C strings: a NUL ends the text.
		{"nul", "A: 1\x00junk\r\nB\r\n", []string{"A: 1", "B"}, false},
		// A line over 1024 bytes: everything but the last byte of the
		// full buffer is discarded and the rest is read as a line.
		{"too long", strings.Repeat("x", 1030) + "\r\nB\r\n", []string{"xxxxxxx", "B"}, true},
		{"unterminated", "A: 1\r\nB", []string{"A: 1"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lr := &lineReader{r: iotest.HalfReader(strings.NewReader(tc.in))}
			var got []string
			for {
				l, err := lr.next()
				if err != nil {
					if !errors.Is(err, io.EOF) {
						t.Fatal(err)
					}
					break
				}
				got = append(got, l)
			}
			if strings.Join(got, "|") != strings.Join(tc.lines, "|") {
				t.Errorf("lines %q, want %q", got, tc.lines)
			}
			if lr.tooLong != tc.tooLong {
				t.Errorf("tooLong = %v", lr.tooLong)
			}
		})
	}
}

// TestRequestHeaders checks astman_get_header and its variants.
func TestRequestHeaders(t *testing.T) {
	req := request{lines: []string{"Action:", "action:  Ping", "ActionIDX: no", "ActionID:\t\x01id ", "Variable: a=1", "variable:b=2", "NoColon"}}
	tests := []struct{ got, want string }{
		{req.header("Action"), ""},            // first match, even empty
		{req.firstNonEmpty("ACTION"), "Ping"}, // GET_HEADER_SKIP_EMPTY
		{req.header("ActionID"), "id "},       // blanks (< 33) skipped, trailing kept
		{req.header("Missing"), ""},           // absent
		{strings.Join(req.all("Variable"), ","), "a=1,b=2"},
		{req.header("NoColon"), ""},
	}
	for i, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("case %d: got %q, want %q", i, tc.got, tc.want)
		}
	}
	if f := req.fields(); f[6] != (Field{"NoColon", ""}) || f[1] != (Field{"action", "Ping"}) {
		t.Errorf("fields %q", f)
	}
}

// FuzzLineReader checks that arbitrary input never panics, never yields a
// line with a terminator or a NUL or longer than the buffer, and that the
// raw bytes are exactly a prefix of the input.
func FuzzLineReader(f *testing.F) {
	f.Add([]byte("Action: Login\r\nUsername: a\r\n\r\n"), uint8(3))
	f.Add([]byte("A\nB\r\r\n\x00\r\n"), uint8(1))
	f.Add(bytes.Repeat([]byte("z"), 3000), uint8(200))
	f.Fuzz(func(t *testing.T, in []byte, chunk uint8) {
		r := &chunkReader{data: in, size: int(chunk)%64 + 1}
		lr := &lineReader{r: r}
		var raw []byte
		for range len(in) + 2 {
			l, err := lr.next()
			raw = append(raw, lr.takeRaw()...)
			if err != nil {
				break
			}
			if len(l) >= maxLineBytes || strings.ContainsAny(l, "\n\x00") {
				t.Fatalf("bad line %q", l)
			}
		}
		if !bytes.HasPrefix(in, raw) {
			t.Fatalf("raw %q is not a prefix of the input", raw)
		}
	})
}

// chunkReader returns its data in reads of at most size bytes.
type chunkReader struct {
	data []byte
	size int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), c.size, len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}
