package subst

import (
	"strings"
	"testing"
)

// TestSplices checks when a function may leave a gap instead of its text,
// and that the gaps land where its text would have.
func TestSplices(t *testing.T) {
	// GAP leaves a splice of its argument when it may, else returns it.
	gap := &Func{Name: "GAP", Read: func(c *Call, args string) (string, error) {
		if !c.SetVars() && c.Splice(args, len(args)) {
			return "", nil
		}
		return args, nil
	}}
	small := New(Config{Funcs: NewRegistry(gap, testEngine(t).funcs.Lookup("ECHO"), testEngine(t).funcs.Lookup("SETX"), testEngine(t).funcs.Lookup("AGAIN")), MaxOutput: 12})
	for _, tt := range []struct {
		name, tmpl string
		out        string   // the text around the gaps
		gaps       []Splice // At and Value
	}{
		{"direct", "a${GAP(xyz)}b", "ab", []Splice{{At: 1, Len: 3, Value: "xyz"}}},
		{"two", "${GAP(1)}-${GAP(22)}", "-", []Splice{{At: 0, Len: 1, Value: "1"}, {At: 1, Len: 2, Value: "22"}}},
		{"substituted arguments", "${GAP(${A})}!", "!", []Splice{{At: 0, Len: 5, Value: "alpha"}}},
		{"in another function's arguments", "${ECHO(${GAP(q)})}", "q", nil},
		{"with an offset", "${GAP(abcdef):2}", "cdef", nil},
		{"in a variable name", "${${GAP(A)}}", "alpha", nil},
		{"in an expression", "$[${GAP(z)}]", "<z>", nil},
		{"in a nested render", "${AGAIN(${GAP(n)})}", "n", nil},
		{"after SET", "${SETX(1)}${GAP(s)}", "1s", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := testEngine(t, gap)
			out, res := e.AppendSubstitute([]byte("pre:"), tt.tmpl, testVars, Options{Splices: true})
			if got := strings.TrimPrefix(string(out), "pre:"); got != tt.out {
				t.Errorf("text %q, want %q", got, tt.out)
			}
			if len(res.Splices) != len(tt.gaps) {
				t.Fatalf("splices %+v, want %+v", res.Splices, tt.gaps)
			}
			for i, g := range tt.gaps {
				if res.Splices[i] != g {
					t.Errorf("splice %d %+v, want %+v", i, res.Splices[i], g)
				}
			}
			// Without Options.Splices (and always through Substitute) the
			// text is the function's own.
			flat := e.Substitute(tt.tmpl, testVars, Options{Splices: true})
			if len(flat.Splices) != 0 {
				t.Errorf("Substitute left splices %+v", flat.Splices)
			}
			if _, res := e.AppendSubstitute(nil, tt.tmpl, testVars, Options{}); len(res.Splices) != 0 {
				t.Errorf("splices without Options.Splices: %+v", res.Splices)
			}
		})
	}

	// Gaps count against MaxOutput: a gap that does not fit is refused (the
	// text is then subject to the limit as usual), and text after gaps
	// sees the room they took.
	out, res := small.AppendSubstitute(nil, "${GAP(12345678)}${GAP(abcdef)}0123456789", nil, Options{Splices: true})
	if len(res.Splices) != 1 || res.Splices[0].Len != 8 {
		t.Fatalf("splices %+v", res.Splices)
	}
	if string(out) != "abcd" || res.Err != ErrOutput {
		t.Errorf("after an 8-byte gap under a 12-byte limit: %q %v", out, res.Err)
	}
}

func TestSetVarsResult(t *testing.T) {
	e := testEngine(t)
	if res := e.Substitute("${SETX(1)}", nil, Options{}); !res.SetVars {
		t.Error("SET did not show in Result.SetVars")
	}
	if res := e.Substitute("${ECHO(1)}", nil, Options{}); res.SetVars {
		t.Error("Result.SetVars without a SET")
	}
}
