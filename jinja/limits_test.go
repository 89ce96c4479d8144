package jinja

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLimits checks that hostile templates stop with an error instead of
// hanging, exhausting memory or overflowing the stack.
func TestLimits(t *testing.T) {
	small := Options{MaxOutput: 1 << 20, MaxSteps: 200_000, MaxDepth: 50, MaxAlloc: 8 << 20}
	cases := []struct {
		name, src, kind string
	}{
		{"recursive macro", "{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}", "RecursionError"},
		{"mutual recursion", "{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}{{ a() }}{% endmacro %}{{ a() }}", "RecursionError"},
		{"huge range loop", "{% for i in range(10**9) %}{% endfor %}", "LimitError"},
		{"nested loops", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "LimitError"},
		{"range to list", "{{ range(10**9)|list|length }}", "LimitError"},
		{"filtered loop length", "{% for i in range(10**9) if i > 5 %}{{ loop.length }}{% endfor %}", "LimitError"},
		{"string repeat", "{{ 'x' * 10**9 }}", "LimitError"},
		{"list repeat", "{{ ([1] * 10**8)|length }}", "LimitError"},
		{"output", "{% for i in range(100000) %}0123456789abcdef{% endfor %}", "LimitError"},
		{"doubling", "{% macro d(s) %}{{ d(s ~ s) }}{% endmacro %}{{ d('x') }}", "LimitError"},
		{"center", "{{ 'a'|center(10**9) }}", "LimitError"},
		{"printf width", "{{ '%0999999999d' % 1 }}", "LimitError"},
		{"format width", "{{ '{:99999999}'.format(1) }}", "LimitError"},
		{"big power", "{{ 2 ** (10**9) }}", "OverflowError"},
		{"self include", "{% include 'self.tpl' %}", "RecursionError"},
		{"self extends", "{% extends 'self.tpl' %}", "RecursionError"},
		{"deep nesting", "{{ " + strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000) + " }}", "TemplateSyntaxError"},
		{"deep unary", "{{ " + strings.Repeat("-", 5000) + "1 }}", "TemplateSyntaxError"},
		{"deep not", "{{ " + strings.Repeat("not ", 5000) + "1 }}", "TemplateSyntaxError"},
		{"deep filters", "{{ 1" + strings.Repeat("|string", 5000) + " }}", "TemplateSyntaxError"},
		{"deep sums", "{{ 1" + strings.Repeat("+1", 100000) + " }}", "TemplateSyntaxError"},
		{"deep attributes", "{{ a" + strings.Repeat(".b", 100000) + " }}", "TemplateSyntaxError"},
		{"deep statements", strings.Repeat("{% if 1 %}", 5000) + strings.Repeat("{% endif %}", 5000), "TemplateSyntaxError"},
		{"absolute include", "{% include '/etc/passwd' %}", "TemplateNotFound"},
		{"parent include", "{% include '../../../../etc/passwd' %}", "TemplateNotFound"},
		{"deep list repr", "{% set ns = namespace(l=none) %}{% for i in range(2000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l }}", "RecursionError"},
		{"deep list compare", "{% set ns = namespace(a=1, b=2) %}{% for i in range(2000) %}{% set ns.a = [ns.a] %}{% set ns.b = [ns.b] %}{% endfor %}{{ ns.a < ns.b }}", "RecursionError"},
		{"deep tuple hash", "{% set ns = namespace(t=1) %}{% for i in range(2000) %}{% set ns.t = (ns.t,) %}{% endfor %}{{ {ns.t: 1} }}", "RecursionError"},
		{"python internals", "{{ ''.__class__.__mro__ }}", "SecurityError"},
		{"mutation", "{% set l = [] %}{{ l.append(1) }}", "NotSupported"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			src := c.src
			if strings.Contains(src, "self.tpl") {
				if err := os.WriteFile(filepath.Join(dir, "self.tpl"), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			env := New(DirLoader(dir), small)
			// A safety net only: the limits, not the deadline, must stop
			// these templates.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var err error
			tpl, err := env.FromString(src, "hostile.tpl")
			if err == nil {
				_, err = tpl.Render(ctx, nil)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error of kind %s", err, c.kind)
			}
			if e.Kind != c.kind {
				t.Errorf("kind = %s (%v), want %s", e.Kind, err, c.kind)
			}
		})
	}
}

// TestCancel checks that a canceled context stops rendering.
func TestCancel(t *testing.T) {
	env := New(MapLoader(nil), Options{MaxSteps: 1 << 40})
	tpl, err := env.FromString("{% for i in range(10**12) %}{% endfor %}", "loop.tpl")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	_, err = tpl.Render(ctx, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != "Canceled" || !strings.HasPrefix(err.Error(), "loop.tpl:1: rendering stopped") {
		t.Fatalf("err = %v, want a cancellation at loop.tpl:1", err)
	}
	if _, err := tpl.Render(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("render with a canceled context: err = %v", err)
	}
}

// TestLimitsAllowNormalTemplates checks that the default limits leave
// room for a large real template.
func TestLimitsAllowNormalTemplates(t *testing.T) {
	env := New(MapLoader(nil), Options{})
	tpl, err := env.FromString("{% for i in range(20000) %}{{ '%05d' % i }} {{ loop.index }}\n{% endfor %}", "big.tpl")
	if err != nil {
		t.Fatal(err)
	}
	out, err := tpl.Render(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(out), "19999 20000\n") {
		t.Errorf("output ends with %q", out[len(out)-20:])
	}
}
