package expr

import (
	"fmt"
	"strings"
	"testing"
)

// lexAll renders the tokens of s as "kind:text" (numeric strings as
// "num:text"), separated by spaces.
func lexAll(s string) string {
	l := lexer{src: s}
	var out []string
	for i := 0; i < 100; i++ {
		t := l.next()
		switch {
		case t.kind == tokEOF:
			return strings.Join(out, " ")
		case t.kind == tokWord && t.numeric:
			out = append(out, "num:"+t.text)
		case t.kind == tokWord:
			out = append(out, "str:"+t.text)
		default:
			out = append(out, t.kind.String())
		}
	}
	return "too many tokens"
}

func TestLexer(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		// ast_expr2.fl: every operator, longest match first.
		{"| || & && = == =~ ~~ > < >= <= != + , - * / % ? ! : :: ( )",
			"'|' '|' '&' '&' '=' '=' '=~' '~~' '>' '<' '>=' '<=' '!=' '+' ',' '-' '*' '/' '%' '?' '!' ':' '::' '(' ')'"},
		{"!==", "'!=' '='"},
		{":::", "'::' ':'"},
		// [ \t\r] and \n separate tokens and are dropped.
		{" \t\r\n1\n", "num:1"},
		// The number rule wins a tie with the operand rule: 007 and 1.5
		// are numeric strings, 1. and 1.5.3 and 12abc are plain text.
		{"007 1.5 1. .5 1.5.3 12abc", "num:007 num:1.5 str:1. str:.5 str:1.5.3 str:12abc"},
		// Operand characters: [a-zA-Z0-9.';\\_^#@], bytes from 0x80,
		// and '$' followed by anything but '{'.
		{`x'y;z\#@_^é a$b a$ b $$`, `str:x'y;z\#@_^é str:a$b str:a$ b str:$$`},
		// Quoted strings keep their quotes and may hold anything but '"'.
		{`"a b" "" "x(y)"`, `str:"a b" str:"" str:"x(y)"`},
		// Bytes that start no rule are echoed by flex and skipped.
		{"1 [ ] { } ` ~ \x01 \x7f 2", "num:1 num:2"},
		{`"abc`, "str:abc"},
		{"a$", "str:a"},
		// ${…}: braces are counted, then text up to an operator
		// character joins the operand.
		{"${X}", "str:${X}"},
		{"${X}abc+1", "str:${X}abc '+' num:1"},
		{"x${A{B}}y z", "str:x${A{B}}y str:z"},
		{"${X}${Y}", "str:${X}${Y}"},
		{"${X},2", "str:${X},2"},
		// unput() after '}' leaves the operand running to the end.
		{"${X} + 1", "str:${X} + 1 '+' num:1"},
		{"${X}+1", "str:${X}+1 '+' num:1"},
		// An unterminated ${ ends the input.
		{"1 + ${X", "num:1 '+'"},
		{"${A{B}", ""},
	}
	for _, c := range cases {
		if got := lexAll(c.in); got != c.want {
			t.Errorf("lex(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestTokenString(t *testing.T) {
	for k := tokEOF; k <= tokRP; k++ {
		if s := k.String(); s == "token" || s == "" {
			t.Errorf("token kind %d has no name", k)
		}
	}
	if got := fmt.Sprint(tokOr, tokColonColon); got != "'|' '::'" {
		t.Errorf("got %s", got)
	}
}
