package jinja

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// TestErrorLocation checks that syntax and runtime errors name the file
// and line of the template at fault, including templates reached through
// extends, include and import.
func TestErrorLocation(t *testing.T) {
	files := map[string]string{
		"T46S.tpl":     "{% extends 'base.tpl' %}\n{% block body %}\n{% if x %}\nno end\n{% endblock %}\n",
		"base.tpl":     "header\n{% block body %}{% endblock %}\n{{ 1 + missing.attr }}\n",
		"child.tpl":    "{% extends 'base.tpl' %}\n{% block body %}child{% endblock %}\n",
		"macros.tpl":   "{% macro boom() %}\nok\n{{ 'a' + 1 }}\n{% endmacro %}\n",
		"uses.tpl":     "line 1\n{% import 'macros.tpl' as m %}\n{{ m.boom() }}\n",
		"inc.tpl":      "a\nb\n{% include 'broken.tpl' %}\n",
		"broken.tpl":   "x\n{{ 'unterminated }}\n",
		"loop.tpl":     "{% for l in lines %}\n{{ l.name }}\n{{ l.port // 0 }}\n{% endfor %}\n",
		"missing.tpl":  "\n\n{% include 'nowhere.tpl' %}\n",
		"badutf8.tpl":  "ok\n\xff\n",
		"unknown.tpl":  "{% if a %}\n{% endfr %}\n{% endif %}\n",
		"nofilter.tpl": "\n{{ x|nosuchfilter }}\n",
		"dunder.tpl":   "\n{{ ''.__class__ }}\n",
	}
	env := New(MapLoader(files), Options{})
	cases := []struct {
		name, want, kind string
	}{
		{"T46S.tpl", "T46S.tpl:5: unexpected tag 'endblock' (nesting mistake?), expected 'elif' or 'else' or 'endif' to close 'if'", "TemplateSyntaxError"},
		{"child.tpl", "base.tpl:3: 'missing' is undefined", "UndefinedError"},
		{"uses.tpl", `macros.tpl:3: can only concatenate str (not "int") to str`, "TypeError"},
		{"inc.tpl", "broken.tpl:2: unexpected char", "TemplateSyntaxError"},
		{"loop.tpl", "loop.tpl:3: integer division or modulo by zero", "ZeroDivisionError"},
		{"missing.tpl", "missing.tpl:3: template 'nowhere.tpl' not found", "TemplateNotFound"},
		{"badutf8.tpl", "badutf8.tpl:2: invalid UTF-8", "UnicodeDecodeError"},
		{"unknown.tpl", "unknown.tpl:2: unknown tag 'endfr', expected 'elif' or 'else' or 'endif' to close 'if'", "TemplateSyntaxError"},
		{"nofilter.tpl", "nofilter.tpl:2: no filter named 'nosuchfilter'", "TemplateAssertionError"},
		{"dunder.tpl", "dunder.tpl:2: access to attribute '__class__' of str is not allowed", "SecurityError"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tpl, err := env.Template(c.name)
			if err == nil {
				_, err = tpl.Render(context.Background(), map[string]any{
					"x": true, "lines": []any{map[string]any{"name": "l1", "port": 5060}},
				})
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("err = %q, want prefix %q", err, c.want)
			}
			if e.Kind != c.kind {
				t.Errorf("kind = %s, want %s", e.Kind, c.kind)
			}
		})
	}
}

func TestTemplateNotFound(t *testing.T) {
	env := New(MapLoader(nil), Options{})
	_, err := env.Template("nope.tpl")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
}
