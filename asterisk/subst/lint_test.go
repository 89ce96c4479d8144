package subst

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// refString formats the parts of a Ref a test pins.
func refString(r Ref) string {
	s := fmt.Sprintf("%d:%d %s", r.Line, r.Col, r.Kind)
	switch {
	case r.Dynamic:
		s += " (dynamic)"
	case r.Kind != RefExpression:
		s += " " + r.Name
	}
	if r.Kind == RefFunction {
		s += "(" + r.Args + ")"
	}
	if r.Depth > 0 {
		s += fmt.Sprintf(" depth=%d", r.Depth)
	}
	for _, flag := range []struct {
		on   bool
		name string
	}{{r.Percent, "percent"}, {r.Unterminated, "unterminated"}, {r.Unclosed, "unclosed"}} {
		if flag.on {
			s += " " + flag.name
		}
	}
	return s
}

func TestScan(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain text", "no references, $5 and $ alone", nil},
		{"variable", "a ${USERNAME} b", []string{"1:3 variable USERNAME"}},
		{"substring", "${MAC:4:2}", []string{"1:1 variable MAC"}},
		{"line and column", "x\n  ${A}\n${B}", []string{"2:3 variable A", "3:1 variable B"}},
		{"function", "${TOLOWER(${MAC})}", []string{"1:1 function TOLOWER(${MAC})", "1:11 variable MAC depth=1"}},
		{"function with substring", "${CUT(A,-,1):1:2}", []string{"1:1 function CUT(A,-,1)"}},
		{"expression", "$[${A} + 1]", []string{"1:1 expression", "1:3 variable A depth=1"}},
		{"nested IF", "${IF($[${TZOFFSET} < 0]?-:+)}", []string{
			"1:1 function IF($[${TZOFFSET} < 0]?-:+)",
			"1:6 expression depth=1",
			"1:8 variable TZOFFSET depth=2",
		}},
		{"dynamic name", "${A${B}}", []string{"1:1 variable (dynamic)", "1:4 variable B depth=1"}},
		{"dynamic function", "${${F}(x)}", []string{"1:1 function (dynamic)(x)", "1:3 variable F depth=1"}},
		{"colon in nested ref is not the offset", "${IF(${A}?x:y)}", []string{"1:1 function IF(${A}?x:y)", "1:6 variable A depth=1"}},
		{"unterminated", "line 1\n<pass>${SECRET</pass>\n", []string{"2:7 variable SECRET</pass>\n unterminated"}},
		{"unterminated expression", "$[1 + ", []string{"1:1 expression unterminated"}},
		{"unclosed call", "${TOLOWER(x}", []string{"1:1 function TOLOWER(x) unclosed"}},
		{"empty", "${}", []string{"1:1 variable "}},
		{"percent outside PP_EACH_USER", "%{A} ${B}", []string{"1:6 variable B"}},
		{"PP_EACH_USER placeholders", "${PP_EACH_USER(<n>%{DISPLAY_NAME}</n>%{TOUPPER(%{MAC})},${MAC})}", []string{
			"1:1 function PP_EACH_USER(<n>%{DISPLAY_NAME}</n>%{TOUPPER(%{MAC})},${MAC})",
			"1:19 variable DISPLAY_NAME depth=1 percent",
			"1:38 function TOUPPER(%{MAC}) depth=1 percent",
			"1:48 variable MAC depth=2 percent",
			"1:57 variable MAC depth=1",
		}},
		{"brace counting", "${A{B}C} ${D}", []string{"1:1 variable A{B}C", "1:10 variable D"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range Scan(tt.in) {
				got = append(got, refString(r))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Scan(%q):\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestScanOffsets checks that Start and End delimit each reference.
func TestScanOffsets(t *testing.T) {
	in := "a ${IF($[${X} > 0]?${Y}:z)} b $[1] ${OPEN"
	want := []string{"${IF($[${X} > 0]?${Y}:z)}", "$[${X} > 0]", "${X}", "${Y}", "$[1]", "${OPEN"}
	var got []string
	for _, r := range Scan(in) {
		got = append(got, in[r.Start:r.End])
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// scanAgreesWithEngine checks Scan against the engine: every variable Scan
// names statically is one the engine looks up when it substitutes the same
// text with every variable empty and no function known.
func scanAgreesWithEngine(t *testing.T, in string) {
	t.Helper()
	e := New(Config{Expr: func(string) string { return "" }})
	looked := map[string]bool{}
	res := e.Substitute(in, Vars{}, Options{OnLookup: func(name string) { looked[name] = true }})
	if res.Err != nil {
		return // a limit stopped the engine early
	}
	for _, r := range Scan(in) {
		if r.Start < 0 || r.End > len(in) || r.Start >= r.End || r.Line < 1 || r.Col < 1 {
			t.Fatalf("Scan(%q): bad span %+v", in, r)
		}
		if r.Kind != RefVariable || r.Dynamic || r.Percent {
			continue
		}
		if !looked[r.Name] {
			t.Fatalf("Scan(%q) reports variable %q, which the engine does not look up (it looked up %v)", in, r.Name, looked)
		}
	}
}

func TestScanAgreesWithEngine(t *testing.T) {
	for _, in := range []string{
		"${A}${B:1}${C(x)}${D${E}}$[${F} + ${G}]",
		"${IF($[${H} = 1]?${I}:${J})}",
		"${K",
		"${PP_EACH_USER(%{L}${M},${N})}",
		"${${O}}",
		"x${P}:${Q}",
	} {
		scanAgreesWithEngine(t, in)
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"${A}", "${IF($[${A} > 0]?${B}:${C})}", "${A${B}}", "${SECRET", "$[1 + ", "${F(x}",
		"${PP_EACH_USER(%{A}%{B(%{C})},${MAC})}", "${A:1:2}", "%{A}", "${A{B}C}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 4096 || strings.Count(in, "$") > 200 {
			return
		}
		scanAgreesWithEngine(t, in)
	})
}
