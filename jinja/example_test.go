package jinja_test

import (
	"context"
	"fmt"

	"github.com/phoneprovd/phoneprovd/jinja"
)

// Rendering a provd-style template: the raw config comes from JSON (key
// order kept), the plugin adds its XX_ values, and the output is what
// Python's Jinja2 would write.
func ExampleTemplate_RenderDict() {
	env := jinja.New(jinja.MapLoader(map[string]string{
		"base.tpl": "server = {{ XX_server_url }}\n{% block lines %}{% endblock %}\n",
		"T46S.tpl": `{% extends 'base.tpl' %}{% block lines -%}
{% for no, line in sip_lines|dictsort -%}
account.{{ no }}.label = {{ line.display_name }} ({{ "%04d" % line.number|int }})
{% endfor -%}
locale = {{ locale }}
{%- endblock %}`,
	}), jinja.Options{})
	raw, err := jinja.DecodeJSON([]byte(`{"sip_lines": {"2": {"display_name": "Bob", "number": "12"},
		"10": {"display_name": "Alice", "number": "1001"}}, "locale": null}`))
	if err != nil {
		panic(err)
	}
	vars := raw.(*jinja.Dict)
	vars.Set("XX_server_url", "http://192.0.2.10:8667")
	tpl, err := env.Template("T46S.tpl")
	if err != nil {
		panic(err)
	}
	out, err := tpl.RenderDict(context.Background(), vars)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(out))
	// Output:
	// server = http://192.0.2.10:8667
	// account.10.label = Alice (1001)
	// account.2.label = Bob (0012)
	// locale = None
}

// Errors name the template file and line, and Python's exception class.
func ExampleError() {
	env := jinja.New(jinja.MapLoader(map[string]string{"t.tpl": "ok\n{{ cfg.missing.key }}\n"}), jinja.Options{})
	tpl, _ := env.Template("t.tpl")
	_, err := tpl.Render(context.Background(), map[string]any{"cfg": map[string]any{}})
	fmt.Println(err)
	fmt.Println(err.(*jinja.Error).Kind)
	// Output:
	// t.tpl:2: 'dict object' has no attribute 'missing'
	// UndefinedError
}
