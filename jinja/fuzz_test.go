package jinja

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary sources to the lexer and parser: they must not
// panic, and every error must be an *Error with a line.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"{% for a, b in x.items() if b -%}{{ loop.index }}{% else %}none{% endfor %}",
		"{% extends 'base.tpl' %}{% block b %}{{ super() }}{% endblock %}",
		"{{ '%x' % 255 }}{{ \"{0:0>4}\".format(7) }}{{ 2 ** 10 }}",
		"{% macro m(a, b=1) %}{{ caller() }}{% endmacro %}{% call m(1) %}x{% endcall %}",
		"{%- raw -%}{{ x }}{%- endraw -%}{# c #}",
		"{{ {'a': [1, (2,), {3: 4}]}['a'][1:] }}",
		"{% set ns = namespace(x=1) %}{% set ns.x = 2 %}{{ ns.x }}",
		"{{ x|d('a', true)|e|replace('<', '&lt;')|int }}",
		"{% if a %}{% elif b %}{% else %}{% endif %}",
		"{{ 'a\\x41\\u00e9\\N{x}' }}",
		"{{ 1 if x else 2 }}{{ not a and b or c }}{{ a is not defined }}",
		"{% include ['a', 'b'] ignore missing without context %}{% import 'm' as m with context %}",
		"\r\n{{ x }}\r{%+ if y +%}",
		"{{ ((((((1)))))) }}{{ a.b.c[d][e](f)(g) }}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		env := New(MapLoader(nil), Options{})
		_, err := env.FromString(src, "fuzz.tpl")
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %v is %T, not *Error", err, err)
		}
		if e.File != "fuzz.tpl" || e.Line < 1 || e.Line > strings.Count(src, "\n")+strings.Count(src, "\r")+1 {
			t.Fatalf("error %v: bad location", err)
		}
	})
}

// FuzzRender renders arbitrary templates with arbitrary JSON contexts
// under small limits: no panic, no internal error, and the limits hold.
func FuzzRender(f *testing.F) {
	for _, c := range [][2]string{
		{"{% for k, v in d|dictsort %}{{ k }}={{ v }}{% endfor %}", `{"d": {"10": 1, "2": 2}}`},
		{"{{ l|sort|join(',') }} {{ l|first }} {{ l|length }}", `{"l": [3, 1, 2]}`},
		{"{{ '%s-%02d' % (a, b) }} {{ '{:>5}'.format(a) }}", `{"a": "x", "b": 5}`},
		{"{% macro r(n) %}{{ n }}{% if n %}{{ r(n - 1) }}{% endif %}{% endmacro %}{{ r(n) }}", `{"n": 50}`},
		{"{{ x.y.z }}", `{"x": {"y": null}}`},
		{"{{ s * n }}", `{"s": "ab", "n": 100000000}`},
		{"{% for i in range(n) %}{{ i }}{% endfor %}", `{"n": 1000000000}`},
		{"{{ a / b }} {{ a // b }} {{ a % b }} {{ a ** b }}", `{"a": 7, "b": 0}`},
		{"{{ v|int }} {{ v|float }} {{ v|string }} {{ v|e }}", `{"v": "0x1f"}`},
		{"{% set x %}{{ y }}{% endset %}{{ x|upper|trim }}", `{"y": " é "}`},
		{"{{ range(5)|batch(2)|list }} {{ range(5)|slice(2)|list }}", `{}`},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, src, ctxJSON string) {
		env := New(MapLoader(map[string]string{"inc.tpl": "{{ x }}{% include 'inc.tpl' %}"}), Options{
			MaxOutput: 1 << 16, MaxSteps: 20_000, MaxDepth: 20, MaxAlloc: 1 << 20,
		})
		tpl, err := env.FromString(src, "fuzz.tpl")
		if err != nil {
			return
		}
		vars := NewDict()
		if v, err := DecodeJSON([]byte(ctxJSON)); err == nil {
			if d, ok := v.(*Dict); ok {
				vars = d
			}
		}
		out, err := tpl.RenderDict(context.Background(), vars)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, not *Error", err, err)
			}
			if e.Kind == "InternalError" {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		if len(out) > 1<<16 {
			t.Fatalf("output of %d bytes exceeds the limit", len(out))
		}
	})
}
