package amitest

import (
	"io"
	"strings"
)

// Input limits of main/manager.c: a line must fit in the 1024-byte input
// buffer and a message keeps at most AST_MAX_MANHEADERS header lines.
const (
	maxLineBytes  = 1024
	maxHeaderRows = 128
)

// lineReader splits a manager connection's input into lines the way
// get_input does: CRLF or a bare LF ends a line, a line longer than the
// buffer is discarded (all but its last byte) and flags the message, and a
// NUL byte ends the line's text early.
type lineReader struct {
	r       io.Reader
	buf     [maxLineBytes]byte
	n       int
	tooLong bool   // a line overflowed since the flag was last cleared
	raw     []byte // every byte consumed since the last takeRaw
}

// next returns the next line without its terminator.
func (lr *lineReader) next() (string, error) {
	for {
		for x := 0; x < lr.n; x++ {
			var term int
			switch {
			case lr.buf[x] == '\r' && x+1 < lr.n && lr.buf[x+1] == '\n':
				term = 2
			case lr.buf[x] == '\n':
				term = 1
			default:
				continue
			}
			line := string(lr.buf[:x])
			lr.raw = append(lr.raw, lr.buf[:x+term]...)
			lr.n = copy(lr.buf[:], lr.buf[x+term:lr.n])
			if i := strings.IndexByte(line, 0); i >= 0 {
				line = line[:i]
			}
			return line, nil
		}
		if lr.n >= len(lr.buf) {
			lr.raw = append(lr.raw, lr.buf[:lr.n-1]...)
			lr.buf[0] = lr.buf[lr.n-1]
			lr.n = 1
			lr.tooLong = true
		}
		k, err := lr.r.Read(lr.buf[lr.n:])
		lr.n += k
		if k == 0 && err != nil {
			return "", err
		}
	}
}

// takeRaw returns the bytes consumed since the previous call.
func (lr *lineReader) takeRaw() []byte {
	raw := lr.raw
	lr.raw = nil
	return raw
}

// request is one message received from a manager client: its header lines
// as sent, at most maxHeaderRows of them.
type request struct {
	lines []string
}

// header returns the value of the first line named key, compared
// case-insensitively, with leading blanks skipped, as astman_get_header
// does; "" when absent.
func (r request) header(key string) string {
	for _, line := range r.lines {
		if v, ok := headerValue(line, key); ok {
			return v
		}
	}
	return ""
}

// firstNonEmpty returns the first non-empty value of key, as
// __astman_get_header with GET_HEADER_SKIP_EMPTY does.
func (r request) firstNonEmpty(key string) string {
	for _, line := range r.lines {
		if v, ok := headerValue(line, key); ok && v != "" {
			return v
		}
	}
	return ""
}

// all returns the values of every line named key, in order.
func (r request) all(key string) []string {
	var vals []string
	for _, line := range r.lines {
		if v, ok := headerValue(line, key); ok {
			vals = append(vals, v)
		}
	}
	return vals
}

// fields splits the lines into keys and values for Action records. A line
// without a colon becomes a field with an empty value.
func (r request) fields() []Field {
	out := make([]Field, 0, len(r.lines))
	for _, line := range r.lines {
		k, v, _ := strings.Cut(line, ":")
		out = append(out, Field{Key: k, Value: skipBlanks(v)})
	}
	return out
}

// headerValue reports whether line is a header named key ("key:" prefix,
// any case) and returns its value with leading blanks skipped.
func headerValue(line, key string) (string, bool) {
	if len(line) <= len(key) || line[len(key)] != ':' || !strings.EqualFold(line[:len(key)], key) {
		return "", false
	}
	return skipBlanks(line[len(key)+1:]), true
}

// skipBlanks drops leading bytes below '!' like ast_skip_blanks.
func skipBlanks(s string) string {
	i := 0
	for i < len(s) && s[i] < 33 {
		i++
	}
	return s[i:]
}
