package expr

import "testing"

// BenchmarkEval measures expressions as provisioning templates use them.
func BenchmarkEval(b *testing.B) {
	cases := []struct {
		name, in string
	}{
		// 000000000000.cfg: $[${STAT(e,${CUSTOM_CONFIG})}] after STAT
		// rendered 1, or nothing because it is blocked.
		{"stat result", "1"},
		{"stat blocked", ""},
		{"hours from seconds", "19800 / 3600"},
		{"long double division", "2 / 3"},
		{"text comparison", `"polycom" = "polycom"`},
		{"ternary", "${X} = 1 ? yes :: no"},
		{"regex capture", `0004f2a1b2c3 : "0004(.*)"`},
		{"math function", "ROUND(19800 / 3600)"},
		{"syntax error", "1 + 2 3"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Eval(c.in)
			}
		})
	}
}
