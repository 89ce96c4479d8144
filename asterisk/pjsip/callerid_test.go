package pjsip

import "testing"

func TestSplitCallerID(t *testing.T) {
	// main/callerid.c ast_callerid_split / ast_callerid_parse.
	tests := []struct{ in, name, number string }{
		{`"Carol Pjsip" <7001>`, "Carol Pjsip", "7001"},
		{`Joe <6000>`, "Joe", "6000"},
		{`  "Joe"   <6000>  `, "Joe", "6000"},
		{`<6000>`, "", "6000"},
		{`6000`, "", "6000"},
		{`(555) 123 4567`, "", "5551234567"},
		{`"6000"`, "6000", ""},
		{`Joe`, "Joe", ""},
		{`"My Name" <800-555-1212>`, "My Name", "8005551212"},
		{`Joe <6000`, "Joe", "6000"},
		{`"Jo\"e" <1>`, `Jo"e`, "1"},
		{`a<b>c<2>`, "a<b>c", "2"},
		{``, "", ""},
		{`"`, "", ""},
		{`[1-2].`, "[1-2].", ""}, // not only phone-number characters: a name
	}
	for _, tt := range tests {
		name, number := SplitCallerID(tt.in)
		if name != tt.name || number != tt.number {
			t.Errorf("SplitCallerID(%q) = %q, %q; want %q, %q", tt.in, name, number, tt.name, tt.number)
		}
	}
}
