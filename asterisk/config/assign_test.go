package config

import (
	"strings"
	"testing"
)

// TestAssign covers "name = value" lines (process_text_line's last branch,
// docs/asterisk.md#assignments).
func TestAssign(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    string // dump of the sections, or the fatal error text
		warning string
	}{
		// Split at the first '='; name and value trimmed; quotes kept.
		{"plain", "[s]\n  name  =  value  \n", "[s] name=value", ""},
		{"value keeps equals", "[s]\na=b=c\n", "[s] a=b=c", ""},
		{"quotes kept", "[s]\ncallerid=\"Carol Pjsip\" <7001>\n", "[s] callerid=\"Carol Pjsip\" <7001>", ""},
		{"empty value", "[s]\na=\n", "[s] a=", ""},
		// '>' right after '=' sets the object flag; "= >" does not.
		{"object", "[s]\nexten => 1,1,Noop\n", "[s] exten=>1,1,Noop", ""},
		{"object tight", "[s]\na=>b\n", "[s] a=>b", ""},
		{"equals space greater", "[s]\na = > b\n", "[s] a=> b", ""},
		// Duplicate keys are all kept, in order.
		{"duplicates kept", "[s]\nallow=ulaw\nallow=alaw\nALLOW=gsm\n", "[s] allow=ulaw|allow=alaw|ALLOW=gsm", ""},
		// A leading backslash escapes the first name character.
		{"escaped bracket", "[s]\n\\[x]=1\n", "[s] [x]=1", ""},
		{"escaped hash", "[s]\n\\#include=1\n", "[s] #include=1", ""},
		{"escaped equals", "[s]\n\\=a=b\n", "[s] =a=b", ""},
		{"escaped backslash", "[s]\n\\\\a=1\n", "[s] \\a=1", ""},
		{"escaped plus is not append", "[s]\n\\+=x\n", "[s] +=x", ""},
		// process_text_line: a backslash before a byte below 33 (as a signed char) is fatal.
		{"escaped space", "[s]\n\\ x=1\n", "main.conf:2: invalid escape: a '\\' at the start of a line must be followed by a visible character", ""},
		{"lone backslash", "[s]\n\\\n", "main.conf:2: invalid escape", ""},
		{"escaped high byte", "[s]\n\\\xc3\xa9=1\n", "main.conf:2: invalid escape", ""},
		// No '=' warns; an empty name warns.
		{"no equals", "[s]\njusttext\na=1\n", "[s] a=1", "main.conf:2: no '=' in this line; ignored"},
		{"empty name", "[s]\n = value\n", "[s]", "main.conf:2: no variable name before '='; ignored"},
		// A variable before any section is fatal ("No category context"),
		// checked before looking for '='.
		{"no section", "a=1\n[s]\n", "main.conf:1: no section before this line (variables must follow a [section])", ""},
		{"no section no equals", "; c\nword\n", "main.conf:2: no section before this line", ""},
		// +=: old value followed by the raw text after '=', trimmed.
		{"append", "[s]\nallow=ulaw\nallow += ,alaw\n", "[s] allow=ulaw ,alaw", ""},
		{"append keeps position and flag", "[s]\na=>1\nb=2\na+=3\n", "[s] a=>13|b=2", ""},
		{"append empty", "[s]\na=x\na+=\n", "[s] a=x", ""},
		{"append greater", "[s]\na=x\na+=>b\n", "[s] a=x>b", ""},
		// +=: without an earlier variable it is a plain assignment.
		{"append without earlier", "[s]\nx += 1 \n", "[s] x=1", ""},
		// +=: the earlier variable is found case-sensitively.
		{"append case-sensitive", "[s]\nA=1\na+=2\n", "[s] A=1|a=2", ""},
		// +=: the last earlier variable of that name supplies the value.
		{"append to last", "[s]\na=x\na=y\na+=z\n", "[s] a=x|a=yz", ""},
		// ast_variable_update (20.20.1) rewrites the FIRST variable with that name and
		// value, ignoring case, which can be an earlier duplicate.
		{"append rewrites first equal", "[s]\nA=1\na=1\na+=2\n", "[s] a=12|a=1", ""},
		{"append with empty old value", "[s]\na=\nb=1\na=\na+= q\n", "[s] a=q|b=1|a=", ""},
		{"append inherited", "[t](!)\nallow=ulaw\n[s](t)\nallow+=,alaw\n", "[t]! allow=ulaw\n[s] allow=ulaw,alaw", ""},
		// +=: '+' must come right before '='.
		{"plus apart", "[s]\na + = b\n", "[s] a +=b", ""},
		{"append empty name", "[s]\n+=x\n", "[s]", "main.conf:2: no variable name before '='"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadText(t, tt.text, nil)
			got := ""
			if err != nil {
				got = err.Error()
			} else {
				got = dump(c)
			}
			if got != tt.want && !(err != nil && strings.HasPrefix(got, tt.want)) {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if tt.warning != "" && (c == nil || !hasWarning(c, tt.warning)) {
				t.Errorf("missing warning %q", tt.warning)
			}
		})
	}
}

// TestAppendKeepsOrigin: the variable rewritten by += keeps its file and
// line (ast_variable_move).
func TestAppendKeepsOrigin(t *testing.T) {
	c, err := loadText(t, "[s]\na=1\n#include inc.conf\n", map[string]string{"inc.conf": "a+=2\n"})
	if err != nil {
		t.Fatal(err)
	}
	v := c.Sections[0].Vars[0]
	if v.Value != "12" || v.File != "main.conf" || v.Line != 2 {
		t.Errorf("got %+v", v)
	}
}
