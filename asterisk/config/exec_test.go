package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestExecRefused: without Options.ExecIncludes, #exec is a fatal error
// naming file and line, wherever it appears (the brief's policy; Asterisk
// itself only warns when execincludes is off).
func TestExecRefused(t *testing.T) {
	for _, tt := range []struct {
		name, file string
		line       int
		files      map[string]string
	}{
		{"main file", "main.conf", 2, map[string]string{"main.conf": "[a]\n#exec /bin/echo x=1\n"}},
		{"included file", "inc.conf", 1, map[string]string{"main.conf": "[a]\n#include inc.conf\n", "inc.conf": "#EXEC \"/bin/echo x=1\"\n"}},
		{"without argument", "main.conf", 1, map[string]string{"main.conf": "#exec\n"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("main.conf", Options{Dir: writeTree(t, tt.files)})
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, errExecRefused) || e.File != tt.file || e.Line != tt.line {
				t.Fatalf("got %v, want an #exec refusal at %s:%d", err, tt.file, tt.line)
			}
			if !strings.Contains(e.Msg, "refused") {
				t.Errorf("message %q", e.Msg)
			}
		})
	}
}

// TestExec: with Options.ExecIncludes, the command runs as
// /bin/sh -c "<command> 2>&1 > <file>" and that file is parsed as an
// included file (process_text_line, handle_include_exec). Only the last
// simple command's output is redirected; the rest, standard error, the exit
// status and empty output are warnings.
func TestExec(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	tests := []struct {
		name     string
		text     string
		want     string // dump, or the fatal error text
		warnings []string
	}{
		{"output parsed", "[a]\n#exec \"printf 'k=v\\n[b]\\nz=1\\n'\"\nafter=1\n", "[a] k=v|after=1\n[b] z=1", nil},
		// ';' must be escaped to reach the shell. Only the
		// last command's output is included.
		{"several commands", "[a]\n#exec echo x=1 \\; echo oops >&2 \\; echo k=2\\; exit 3 ; comment\n", "[a]",
			[]string{`main.conf:2: #exec "echo x=1 ; echo oops >&2 ; echo k=2; exit 3" logged: x=1 oops k=2`,
				`main.conf:2: #exec "echo x=1 ; echo oops >&2 ; echo k=2; exit 3" exited with status 3`,
				"produced no output"}},
		{"stderr of the last command", "[a]\n#exec <sh -c 'echo k=1\\; echo bad >&2'>\n", "[a] k=1",
			[]string{`main.conf:2: #exec "sh -c 'echo k=1; echo bad >&2'" logged: bad`}},
		{"no output", "[a]\n#exec true\n", "[a]", []string{`main.conf:2: #exec "true" produced no output`}},
		// A shell comment swallows the redirection: no file, so the include fails.
		{"shell comment", "[a]\n#exec echo k=1 # note\n", `main.conf:2: #exec "echo k=1 # note": the command line created no output file`, nil},
		{"fatal in output", "[a]\n#exec echo '[broken'\nx=1\n", "[a] x=1",
			[]string{"#exec echo '[broken':1: missing ']' in section header"}},
		{"too long", "[a]\n#exec echo " + strings.Repeat("x", 1000) + "\n", "main.conf:2: #exec", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load("main.conf", Options{Dir: writeTree(t, map[string]string{"main.conf": tt.text}), ExecIncludes: true})
			got := ""
			if err != nil {
				got = err.Error()
			} else {
				got = dump(c)
			}
			if got != tt.want && !(err != nil && strings.HasPrefix(got, tt.want)) {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			for _, w := range tt.warnings {
				if c == nil || !hasWarning(c, w) {
					t.Errorf("missing warning %q in %q", w, warningTexts(c))
				}
			}
			if c != nil && len(c.Files) != 1 {
				t.Errorf("#exec output listed as a file: %q", c.Files)
			}
		})
	}
}

// TestExecOutputLimit: output beyond the byte budget is reported.
func TestExecOutputLimit(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	res, err := runExec("head -c 100000 /dev/zero", 1<<16)
	if err != nil || !res.overflow {
		t.Fatalf("got overflow=%v err=%v", res.overflow, err)
	}
	_, err = loadTextExec(t, "[a]\n#exec head -c 100000 /dev/zero\n", 1000)
	if !errors.Is(err, errTooLarge) {
		t.Fatalf("got %v", err)
	}
}

// loadTextExec loads text with #exec allowed and a byte limit.
func loadTextExec(t *testing.T, text string, maxBytes int64) (*Config, error) {
	t.Helper()
	lim := defaultLimits()
	lim.bytes = maxBytes
	l, err := newLoader(Options{Dir: writeTree(t, map[string]string{"main.conf": text}), ExecIncludes: true}, osFileSystem{}, lim)
	if err != nil {
		t.Fatal(err)
	}
	return l.load("main.conf")
}

// TestCappedBuffer checks the writer that bounds #exec log text.
func TestCappedBuffer(t *testing.T) {
	b := &cappedBuffer{max: 4}
	if n, err := b.Write([]byte("abcdef")); n != 6 || err != nil || string(b.buf) != "abcd" {
		t.Errorf("n=%d err=%v buf=%q", n, err, b.buf)
	}
	if n, err := b.Write([]byte("g")); n != 1 || err != nil || string(b.buf) != "abcd" {
		t.Errorf("full: n=%d err=%v buf=%q", n, err, b.buf)
	}
}
