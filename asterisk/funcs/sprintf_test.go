package funcs

import (
	"math"
	"strings"
	"testing"
)

func TestSprintf(t *testing.T) {
	runCases(t, Config{}, []tcase{
		// func_sprintf.c acf_sprintf.
		{in: `${SPRINTF(%05.1f|%-4d|%x|%s,3.14159,42,255,"a,b")}`, want: "003.1|42  |ff|a,b"},
		// Erratum 15: quotes are removed from every argument, the format
		// included; backslashes escape.
		{in: `${SPRINTF("%s-%s","a,b",c\,d)}`, want: "a,b-c,d"},
		{in: "${SPRINTF(%d items,${N})}", want: "41 items"},
		// Integers are read with "%30d", doubles with "%30lf".
		{in: "${SPRINTF(%d,12abc)}", want: "12"},
		{in: "${SPRINTF(%d, -7)}", want: "-7"},
		{in: "${SPRINTF(%.2f,0x1p-2)}", want: "0.25"},
		// glibc's conversions and flags.
		{in: "${SPRINTF(%#o|%#X|%+d|% d|%.3d|%08.3d,8,255,5,5,5,5)}", want: "010|0XFF|+5| 5|005|     005"},
		{in: "${SPRINTF(%e|%g|%g|%G|%a,12345.678,0.0001,1e-5,1e20,1)}", want: "1.234568e+04|0.0001|1e-05|1E+20|0x1p+0"},
		{in: "${SPRINTF(%.2f|%.0f|%.0f,2.675,2.5,3.5)}", want: "2.67|2|4"},
		{in: "${SPRINTF(%5.1s|%-3s|,abc,x)}", want: "    a|x  |"},
		{in: "${SPRINTF(%c%c,72,105)}", want: "Hi"},
		// Length modifiers narrow (h, hh) or read the zero-extended
		// 64-bit register (l, ll, j, z, t): "%ld" of -1 is 4294967295.
		{in: "${SPRINTF(%hhd|%hu|%ld|%lx,255,70000,-1,-1)}", want: "-1|4464|4294967295|ffffffff"},
		// %% and a width on it print one '%'.
		{in: "${SPRINTF(100%%|%5%)}", want: "100%|%"},
		// A conversion printing NUL cuts its own output there.
		{in: "${SPRINTF(x%cy|%-3cz,0,0)}", want: "xy|z"},
		// A missing string argument is "(null)", or "" below precision 6.
		{in: "${SPRINTF(%s|%.3s|%.6s)}", want: "(null)||(null)"},
		// An unfinished specification at the end is dropped.
		{in: "${SPRINTF(abc%-5)}", want: "abc"},
		{in: "${SPRINTF(abc%)}", want: "abc"},
		{in: "${SPRINTF(%f|%F,inf,-nan)}", want: "inf|-NAN"},
		// Errors: a missing or non-numeric argument for a number, an
		// unsupported conversion, no format at all.
		{in: "${SPRINTF(%d)}", fails: true},
		{in: "${SPRINTF(%d,abc)}", fails: true},
		{in: "${SPRINTF(%f,x)}", fails: true},
		{in: "${SPRINTF(%y,1)}", fails: true},
		{in: "${SPRINTF(%n,1)}", fails: true},
		{in: "${SPRINTF(%5 d,1)}", fails: true},
		{in: "${SPRINTF(%hhhd,1)}", fails: true},
		{in: "${SPRINTF()}", fails: true},
	})
	e, _ := newEngine(Config{})
	// SPRINTF declares 100 values: the hundredth is the raw remainder.
	var format, args []string
	for i := 1; i <= 101; i++ {
		args = append(args, "v"+itoa(i))
	}
	for range 100 {
		format = append(format, "%s")
	}
	got := e.String("${SPRINTF("+strings.Join(format, "|")+","+strings.Join(args, ",")+")}", nil)
	if !strings.HasSuffix(got, "|v99|v100,v101") {
		t.Errorf("101 arguments: ...%q", got[len(got)-20:])
	}
	// The legacy buffer: 4095 bytes at most.
	if got := e.String("${SPRINTF(%5000d,1)}", nil); len(got) != 4095 || strings.Trim(got, " ") != "" {
		t.Errorf("wide field: %d bytes", len(got))
	}
}

func itoa(i int) string {
	return formatInt(printfSpec{width: -1, prec: -1, verb: 'd'}, int32(i))
}

func TestPrintfFormatting(t *testing.T) {
	// Each expectation was printed by glibc 2.36's snprintf.
	ints := []struct {
		spec string
		v    int32
		want string
	}{
		{"%d", math.MinInt32, "-2147483648"},
		{"%u", -1, "4294967295"},
		{"%o", 8, "10"},
		{"%#o", 0, "0"},
		{"%#.0o", 0, "0"},
		{"%.0d", 0, ""},
		{"%#x", 0, "0"},
		{"%-+5d|", 3, "+3   |"},
		{"%0-5d|", 3, "3    |"},
		{"%05c", 65, "    A"},
		{"%hd", 65537, "1"},
		{"%hhu", -1, "255"},
		{"%jd", -2, "4294967294"},
		{"%lc", 66, "B"},
		{"% u", 5, "5"},
		{"%'d", 1234567, "1234567"},
	}
	for _, tt := range ints {
		if got := formatInt(parsePrintfSpec(strings.TrimSuffix(tt.spec, "|")), tt.v); got+suffix(tt.spec) != tt.want {
			t.Errorf("%s of %d = %q, want %q", tt.spec, tt.v, got, tt.want)
		}
	}
	floats := []struct {
		spec string
		v    float64
		want string
	}{
		{"%f", math.Copysign(0, -1), "-0.000000"},
		{"%.3e", 0, "0.000e+00"},
		{"%#.0f", 1, "1."},
		{"%#.0e", 1, "1.e+00"},
		{"%g", 100000, "100000"},
		{"%g", 1000000, "1e+06"},
		{"%#g", 1, "1.00000"},
		{"%.0g", 0.5, "0.5"},
		{"%.3g", 0.0001234, "0.000123"},
		{"%010.2f", -1.5, "-000001.50"},
		{"%+.1e", 12345, "+1.2e+04"},
		{"%a", 0, "0x0p+0"},
		{"%a", 5e-324, "0x0.0000000000001p-1022"},
		{"%.1a", 1.96875, "0x2.0p+0"},
		{"%.0a", 1.5, "0x2p+0"},
		{"%.0a", 2.5, "0x1p+1"},
		{"%A", -255.5, "-0X1.FFP+7"},
		{"%#a", 1, "0x1.p+0"},
		{"%012a", 1, "0x0000001p+0"},
		{"%08f", math.Inf(1), "     inf"},
		{"% F", math.NaN(), " NAN"},
		{"%e", 1e300, "1.000000e+300"},
	}
	for _, tt := range floats {
		if got := formatFloat(parsePrintfSpec(tt.spec), tt.v); got != tt.want {
			t.Errorf("%s of %g = %q, want %q", tt.spec, tt.v, got, tt.want)
		}
	}
}

// suffix is the literal text after a specification in a test's spec
// string.
func suffix(spec string) string {
	if strings.HasSuffix(spec, "|") {
		return "|"
	}
	return ""
}
