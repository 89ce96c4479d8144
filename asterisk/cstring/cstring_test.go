package cstring

import "testing"

func TestTrueFalse(t *testing.T) {
	for _, tt := range []struct {
		in          string
		true, false bool
	}{
		{"yes", true, false}, {"YES", true, false}, {"On", true, false}, {"1", true, false}, {"t", true, false}, {"y", true, false}, {"TRUE", true, false},
		{"no", false, true}, {"Off", false, true}, {"0", false, true}, {"f", false, true}, {"n", false, true}, {"FALSE", false, true},
		{"", false, false}, {" yes", false, false}, {"2", false, false}, {"enabled", false, false},
	} {
		if True(tt.in) != tt.true || False(tt.in) != tt.false {
			t.Errorf("%q: True %v False %v", tt.in, True(tt.in), False(tt.in))
		}
	}
}

func TestStrip(t *testing.T) {
	for _, tt := range []struct{ in, strip, skip, trim, quoted string }{
		{"  a b \t", "a b", "a b \t", "  a b", "a b"},
		{"\x01x\x1f", "x", "x\x1f", "\x01x", "x"},
		{` "quoted" `, `"quoted"`, `"quoted" `, ` "quoted"`, "quoted"},
		{`"`, `"`, `"`, `"`, ""},
		{`"a`, `"a`, `"a`, `"a`, `"a`},
		{"", "", "", "", ""},
		{"\xa0x\xa0", "\xa0x\xa0", "\xa0x\xa0", "\xa0x\xa0", "\xa0x\xa0"}, // not below 33
	} {
		if Strip(tt.in) != tt.strip || SkipBlanks(tt.in) != tt.skip || TrimBlanks(tt.in) != tt.trim || StripQuoted(tt.in) != tt.quoted {
			t.Errorf("%q: %q %q %q %q", tt.in, Strip(tt.in), SkipBlanks(tt.in), TrimBlanks(tt.in), StripQuoted(tt.in))
		}
	}
}

func TestAtoi(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"2", 2}, {" 12x", 12}, {"-3", -3}, {"+7", 7}, {"x", 0}, {"", 0}, {"-", 0},
		{"99999999999999999999", 1<<31 - 1}, {"-99999999999999999999", -1 << 31}, {"4294967298", 2},
	} {
		if got := Atoi(tt.in); got != tt.want {
			t.Errorf("Atoi(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
