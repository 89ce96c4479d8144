package pkgsdb

import (
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	vars := map[string]string{"FOO": "foo", "BAR": "bar", "N": "20", "D": `a\$b`}
	tests := []struct{ in, want, err string }{
		// apply_subs's doctests.
		{in: "$FOO", want: "foo"},
		{in: "${FOO}bar", want: "foobar"},
		{in: "${FOO}${BAR}", want: "foobar"},
		{in: "$FOO/$BAR", want: "foo/bar"},
		{in: `$N\$`, want: "20$"},
		// The name is as long as possible.
		{in: "$FOObar", err: "undefined variable $FOObar"},
		{in: "$FOO.rom", want: "foo.rom"},
		{in: `\$FOO`, want: "$FOO"},
		{in: `\\$FOO`, want: `\$FOO`},
		{in: `$D`, want: `a\$b`},
		{in: "no variables", want: "no variables"},
		{in: "a$", err: "must be followed by a variable name"},
		{in: "a$.b", err: "must be followed by a variable name"},
		{in: "${}", err: "must be followed by a variable name"},
		{in: "${FOO", err: "must be followed by a variable name"},
		{in: "${F.O}", err: "must be followed by a variable name"},
		{in: "$ARG1", err: "undefined variable $ARG1 (defined: $BAR, $D, $FOO, $N)"},
	}
	for _, tt := range tests {
		got, err := Expand(tt.in, vars)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Expand(%q) = %q, %v; want error %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
