package jinja

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The differential tests render templates with Python's Jinja2 (the
// oracle) and with this package, and compare the bytes. The oracle is
// testdata/oracle.py run by $JINJA_PYTHON, default python3.

// oracleJob is one rendering for the oracle.
type oracleJob struct {
	ID      string          `json:"id"`
	Name    string          `json:"name,omitempty"`   // template name in the search path
	Source  *string         `json:"source,omitempty"` // or template text
	Context json.RawMessage `json:"context"`
}

// oracleResult is the oracle's output or its exception.
type oracleResult struct {
	Out  *string `json:"out"`
	Err  string  `json:"err"`
	Line int     `json:"line"`
	File string  `json:"file"`
}

// errClass returns the Python exception class of an oracle error.
func (r oracleResult) errClass() string {
	c, _, _ := strings.Cut(r.Err, ":")
	return c
}

// requireOracle returns the Python interpreter to use, skipping the test
// when python3 with jinja2 is missing (failing under CI=true).
func requireOracle(t *testing.T) string {
	t.Helper()
	py := os.Getenv("JINJA_PYTHON")
	if py == "" {
		py = "python3"
	}
	out, err := exec.Command(py, "-c", "import jinja2; print(jinja2.__version__)").CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("the Jinja2 oracle needs %s with jinja2 (apt-get install python3-jinja2): %v: %s", py, err, bytes.TrimSpace(out))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Logf("oracle: %s, jinja2 %s", py, bytes.TrimSpace(out))
	return py
}

// runOracle renders jobs with Python's Jinja2 over the search path dirs.
func runOracle(t *testing.T, py string, dirs []string, jobs []oracleJob) map[string]oracleResult {
	t.Helper()
	req, err := json.Marshal(map[string]any{"dirs": dirs, "jobs": jobs})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "testdata/oracle.py")
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.String())
	}
	var res map[string]oracleResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("oracle output: %v", err)
	}
	return res
}

// compareResult checks Go's rendering against the oracle's: the same
// bytes, or an error of the same Python exception class.
func compareResult(t *testing.T, id string, want oracleResult, got []byte, err error) {
	t.Helper()
	switch {
	case want.Out != nil && err != nil:
		t.Errorf("%s: Go failed, Python rendered\n  go:     %v\n  python: %q", id, err, *want.Out)
	case want.Out != nil && string(got) != *want.Out:
		t.Errorf("%s: output differs\n  go:     %q\n  python: %q", id, got, *want.Out)
	case want.Out == nil && err == nil:
		t.Errorf("%s: Go rendered, Python failed\n  go:     %q\n  python: %s", id, got, want.Err)
	case want.Out == nil:
		kind := "?"
		if e, ok := err.(*Error); ok {
			kind = e.Kind
		}
		if kind != want.errClass() {
			t.Errorf("%s: error class differs\n  go:     %s (%v)\n  python: %s", id, kind, err, want.Err)
		}
		if e, ok := err.(*Error); ok && want.Line > 0 && e.Line != want.Line {
			t.Errorf("%s: error line differs\n  go:     %v\n  python: line %d of %s: %s", id, err, want.Line, want.File, want.Err)
		}
	}
}

func t0() context.Context { return context.Background() }
