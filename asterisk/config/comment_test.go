package config

import (
	"errors"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"strings"
	"testing"
)

// TestCommentStrip runs commentState.strip over sequences of lines
// (docs/asterisk.md#comments). "-" stands for a line with nothing to
// process (process_buf == NULL in config_text_file_load).
func TestCommentStrip(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
		depth int
	}{
		// Any other ';' outside a block ends the line.
		{"plain comment", []string{"a=1 ; note"}, []string{"a=1"}, 0},
		{"comment at start", []string{"; whole line"}, []string{""}, 0},
		// \; is a literal semicolon, the backslash is removed.
		{"escaped semicolon", []string{`a=1\;2 ; note`}, []string{"a=1;2"}, 0},
		{"two escapes", []string{`a=\;\;b`}, []string{"a=;;b"}, 0},
		// No escaping of backslashes: \\; gives \; as text.
		{"double backslash", []string{`a=\\;x`}, []string{`a=\;x`}, 0},
		// The escape is checked first, so \;-- opens nothing.
		{"escape beats block start", []string{`a=\;-- x`}, []string{"a=;-- x"}, 0},
		// Text before and after a block on one line is joined without a space.
		{"inline block joins", []string{"a;--b--;c"}, []string{"ac"}, 0},
		{"inline block keeps spaces", []string{"a=1 ;-- x --; b"}, []string{"a=1  b"}, 0},
		// ;-- followed by another '-' is an ordinary comment.
		{"three dashes is a line comment", []string{"a=1 ;--- x --; y"}, []string{"a=1"}, 0},
		// A depth counter persists across lines.
		{"block across lines", []string{"a=1 ;-- start", "inside=2", "end --; b=2", "c=3"},
			[]string{"a=1", "-", "b=2", "c=3"}, 0},
		// Blocks nest.
		{"nested on one line", []string{"x ;-- a ;-- b --; c --; y"}, []string{"x  y"}, 0},
		{"nested across lines", []string{";-- ;--", "--;", "still=comment", "--; z=1"},
			[]string{"", "-", "-", "z=1"}, 0},
		// config_text_file_load: \; is checked even inside a block, so it opens no inner block.
		{"escape inside block", []string{`;-- \;-- one level`, "--; a=1"}, []string{"", "a=1"}, 0},
		// config_text_file_load: the ';' of ";--;" cannot also close the block it opened.
		{"semicolon dash dash semicolon opens", []string{";--;", "x=1", "--;y=2"}, []string{"", "-", "y=2"}, 0},
		{"unterminated", []string{"a=1 ;-- open"}, []string{"a=1"}, 1},
		// Quirk: a stray --; drives the counter negative; it stays in
		// the text of its own line, and later lines are comments until a ;--.
		{"stray end", []string{"a=1 --; tail", "b=2", ";-- back to zero", "c=3"},
			[]string{"a=1 --; tail", "-", "-", "c=3"}, 0},
		{"stray at start", []string{"--;", "b=2"}, []string{"--;", "-"}, -1},
		// config_text_file_load: in the negative state a plain ';' does not end the line.
		{"negative keeps semicolons", []string{"a=1--; b ; c"}, []string{"a=1--; b ; c"}, -1},
		// config_text_file_load: a ;-- that brings the counter back to 0 ends the kept text.
		{"negative then open on same line", []string{"a--; b ;-- c", "d=1"}, []string{"a--; b", "d=1"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c commentState
			for i, line := range tt.lines {
				kept, ok, _, err := c.strip(line, position{"t.conf", i + 1})
				if err != nil {
					t.Fatalf("line %d: %v", i+1, err)
				}
				got := "-"
				if ok {
					got = cstring.Strip(kept)
				}
				if got != tt.want[i] {
					t.Errorf("line %d %q: got %q, want %q", i+1, line, got, tt.want[i])
				}
			}
			if c.depth != tt.depth {
				t.Errorf("depth = %d, want %d", c.depth, tt.depth)
			}
		})
	}
}

// TestCommentStray checks that strip reports the stray "--;" that drove the
// counter negative (docs/asterisk.md#comments).
func TestCommentStray(t *testing.T) {
	var c commentState
	_, _, stray, _ := c.strip("a=1 ;-- x --; b", position{})
	if stray {
		t.Error("a balanced block reported as stray")
	}
	_, _, stray, _ = c.strip("a=1 --;", position{})
	if !stray {
		t.Error("stray --; not reported")
	}
}

// TestCommentNestLimit: MAX_NESTED_COMMENTS is 128; config_text_file_load
// logs and rescans the same ';' forever on the 129th level, so that is an
// error here, while 128 levels are fine.
func TestCommentNestLimit(t *testing.T) {
	var c commentState
	if _, _, _, err := c.strip(strings.Repeat(";-- ", 128), position{"t.conf", 1}); err != nil {
		t.Fatalf("128 levels: %v", err)
	}
	if c.depth != 128 {
		t.Fatalf("depth = %d, want 128", c.depth)
	}
	_, _, _, err := c.strip(";-- one more", position{"t.conf", 2})
	var e *Error
	if !errors.As(err, &e) || e.Line != 2 || !strings.Contains(e.Msg, "128") {
		t.Fatalf("129th level: got %v, want an *Error at line 2", err)
	}
}

// TestCommentsInFiles checks the comment rules through Load, including the
// unterminated-block warning and the stray "--;" swallowing the rest of the
// file (config_text_file_load).
func TestCommentsInFiles(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		want     string
		warnings []string
	}{
		{"semicolon in value", "[s]\nsecret = ab\\;cd ; the password\n", "[s] secret=ab;cd", nil},
		{"block spanning sections", "[a]\nx=1\n;--\n[b]\ny=2\n--;\nz=3\n", "[a] x=1|z=3", nil},
		{"unterminated block", "[a]\nx=1 ;-- never closed\ny=2\n", "[a] x=1",
			[]string{"main.conf:2: block comment ';--' is never closed with '--;'"}},
		{"stray end swallows the rest", "[a]\nx=1\n--;\ny=2\n[b]\nz=3\n", "[a] x=1",
			[]string{"main.conf:3: '--;' outside a block comment"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadText(t, tt.text, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := dump(c); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			for _, w := range tt.warnings {
				if !hasWarning(c, w) {
					t.Errorf("missing warning %q in %q", w, warningTexts(c))
				}
			}
		})
	}
}
