package jinja

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestDiffRandom renders templates generated from a grammar of the
// supported constructs (fixed seed, so the corpus is the same on every
// run) with Go and with Python's Jinja2 and compares the bytes, or the
// error class and line. JINJA_RANDOM_N and JINJA_RANDOM_SEED explore more.
func TestDiffRandom(t *testing.T) {
	py := requireOracle(t)
	n, seed := 400, uint64(1)
	if s := os.Getenv("JINJA_RANDOM_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	if s := os.Getenv("JINJA_RANDOM_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	g := &tplGen{r: rand.New(rand.NewPCG(seed, 0x6a696e6a61))}
	ctx := []byte(`{"a": 3, "b": -2, "s": "Héllo Wörld", "l": [3, 1, "x", null, 2.5], "d": {"10": "ten", "2": "two", "k": null, "x": [1, 2]},
		"n": null, "f": 2.5, "t": true, "e": "", "big": 12345678901234567890, "neg": -7,
		"lines": {"1": {"number": "1001", "name": "L1 <&>", "port": 5061}, "2": {"number": "1002", "name": "L2", "port": 5062}, "3": null,
		          "10": {"number": "1010", "name": "L10", "port": 5070}, "11": null, "12": {"number": "1012", "name": "L12", "port": 5072}}}`)
	var jobs []oracleJob
	for i := 0; i < n; i++ {
		var src string
		if i%3 == 0 || os.Getenv("JINJA_RANDOM_LEXER") != "" {
			src = g.lexerSoup()
		} else {
			src = g.body(0) + g.pick("", "\n", "\n\n", " ", "\r\n")
		}
		jobs = append(jobs, oracleJob{ID: fmt.Sprintf("random-%d-%d", seed, i), Source: &src, Context: ctx})
	}
	want := runOracle(t, py, []string{"testdata/diff"}, jobs)
	env := New(DirLoader("testdata/diff"), Options{})
	for _, j := range jobs {
		got, err := renderJob(env, j)
		if e, ok := err.(*Error); ok && e.Kind == "NotSupported" {
			continue // documented limits (complex numbers...)
		}
		compareResult(t, fmt.Sprintf("%s %q", j.ID, *j.Source), want[j.ID], got, err)
	}
}

// tplGen generates random templates.
type tplGen struct{ r *rand.Rand }

func (g *tplGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

var (
	genNames   = []string{"a", "b", "s", "l", "d", "n", "f", "u", "lines", "t", "e", "big", "neg"}
	genAtoms   = []string{"0", "1", "2", "3", "-1", "10", "255", "0.1", "1e20", "1.0", "none", "true", "false", "[]", "[1, 2]", "(1, 'a')", "{'k': 1}", "range(4)", "missing"}
	genStrings = []string{"'x'", "'%s'", "'%x'", "'%05.1f'", "'{}'", "'{0:>4}'", "'{:,}'", "'a,b'", "' p '", "''", "'É'", "'10'", "'2'", "'0x1f'", "'3.7'"}
	genFilters = []string{"d", "d('dflt')", "default('x', true)", "e", "int", "int(7)", "float", "string", "length", "first", "last", "sort",
		"sort(reverse=true)", "join(',')", "join", "lower", "upper", "trim", "replace('l', 'L')", "list", "abs", "round", "round(1)", "dictsort",
		"unique|list", "reverse|list", "sum", "max", "min", "capitalize", "title", "center(9)", "wordcount", "batch(2)|list", "format(1)", "items|list", "count"}
	genTests   = []string{"defined", "undefined", "none", "number", "string", "mapping", "sequence", "iterable", "odd", "even", "divisibleby(3)", "integer", "float", "lower", "upper", "in([1, 'x'])", "eq(3)"}
	genMethods = []string{"upper()", "lower()", "split()", "split(',')", "zfill(5)", "startswith('H')", "replace('l', '_')", "strip()", "format(1, 2)",
		"find('l')", "count('l')", "title()", "items()", "keys()", "values()", "get('k')", "get('zz', 0)", "index(1)"}
	genOps = []string{"+", "-", "*", "/", "//", "%", "**", "~", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "and", "or"}
)

func (g *tplGen) atom(depth int) string {
	switch r := g.r.Float64(); {
	case r < 0.3:
		return g.pick(genNames...)
	case r < 0.45:
		return g.pick(genAtoms...)
	case r < 0.55:
		return g.pick(genStrings...)
	}
	return g.expr(depth + 1)
}

func (g *tplGen) expr(depth int) string {
	if depth > 3 {
		return g.pick(genNames...)
	}
	switch r := g.r.Float64(); {
	case r < 0.25:
		return g.atom(depth)
	case r < 0.45:
		op := g.pick(genOps...)
		if op == "**" {
			// Python computes huge powers for minutes: small exponents only.
			return g.atom(depth) + " ** " + g.pick("0", "1", "2", "3", "-1", "0.5", "a", "b")
		}
		return g.atom(depth) + " " + op + " " + g.atom(depth)
	case r < 0.6:
		return g.atom(depth) + "|" + g.pick(genFilters...)
	case r < 0.68:
		return g.atom(depth) + " is " + g.pick("", "not ") + g.pick(genTests...)
	case r < 0.78:
		return g.pick(append(genNames, "'a,b'", "'x'")...) + "." + g.pick(genMethods...)
	case r < 0.85:
		return g.pick(genNames...) + "[" + g.pick("0", "-1", "'k'", "'10'", "1:3", "::-1", "a") + "]"
	case r < 0.9:
		return "(" + g.atom(depth) + " if " + g.atom(depth) + " else " + g.atom(depth) + ")"
	case r < 0.95:
		return "not " + g.atom(depth)
	}
	return "(" + g.expr(depth+1) + ")"
}

func (g *tplGen) ws() string { return g.pick("", "-", "") }

func (g *tplGen) stmt(depth int) string {
	r := g.r.Float64()
	if depth > 2 || r < 0.35 {
		return "{{" + g.ws() + " " + g.expr(0) + " " + g.ws() + "}}"
	}
	switch {
	case r < 0.5:
		return fmt.Sprintf("{%% if %s %%}%s{%% elif %s %%}%s{%% else %%}%s{%% endif %%}", g.expr(0), g.body(depth), g.expr(0), g.body(depth), g.body(depth))
	case r < 0.7:
		target, iter := "x", g.pick("l", "s", "d", "range(3)", "lines", "d.values()", "l|sort")
		if g.r.IntN(2) == 0 {
			target, iter = "k, v", g.pick("d.items()", "lines.items()", "lines|dictsort", "d|dictsort")
		}
		cond := ""
		if g.r.Float64() < 0.3 {
			cond = " if " + g.expr(0)
		}
		inner := g.body(depth) + g.pick("{{ loop.index }}", "{{ loop.previtem }}", "{{ loop.nextitem }}", "{{ loop.last }}", "{{ loop.length }}", "{{ loop.revindex }}", "")
		return fmt.Sprintf("{%% for %s in %s%s %%}%s{%% else %%}E{%% endfor %%}", target, iter, cond, inner)
	case r < 0.8:
		return fmt.Sprintf("{%% set %s = %s %%}", g.pick(genNames...), g.expr(0))
	case r < 0.85:
		return "{% set cap %}" + g.body(depth) + "{% endset %}{{ cap }}"
	case r < 0.9:
		return "{% with a = " + g.expr(0) + " %}" + g.body(depth) + "{% endwith %}"
	case r < 0.95:
		return fmt.Sprintf("{%% macro m(p, q=%s) %%}%s{%% endmacro %%}{{ m(%s) }}", g.expr(0), g.body(depth), g.expr(0))
	}
	return "{#" + g.ws() + " c " + g.ws() + "#}"
}

func (g *tplGen) body(depth int) string {
	var b strings.Builder
	for i := g.r.IntN(4); i > 0; i-- {
		b.WriteString(g.pick("", " ", "\n", " t ", "\n  ", "x"))
		b.WriteString(g.stmt(depth + 1))
	}
	return b.String()
}

// lexerSoup mixes data, whitespace, line endings, strip markers, comments,
// raw blocks and delimiters inside strings.
func (g *tplGen) lexerSoup() string {
	pieces := []string{
		" ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", " \n ", "\u00a0", "\u3000", "\x0c", "\x1c", "x", "{", "}", "%", "#", "-", "+",
		"{{ a }}", "{{- a }}", "{{ a -}}", "{{-a-}}", "{{+ a }}", "{{ -1 }}", "{{-1}}", "{{ a-1 }}", "{{ '}}' }}", "{{ \"{%\" }}", "{{ {'a': {'b': 1}} }}",
		"{% if t %}", "{%- if t %}", "{% if t -%}", "{%+ if t %}", "{% if t +%}", "{% endif %}", "{%- endif -%}", "{% endif +%}",
		"{# c #}", "{#- c #}", "{# c -#}", "{#- c -#}", "{#+ c +#}", "{# {{ a }} #}",
		"{% raw %}{{ a }}{% endraw %}", "{%- raw -%} r {%- endraw -%}", "{% raw +%} {% endraw %}", "{%- raw %}\n{{ x }}\n{% endraw -%}",
		"{% set a = 1 %}", "{%- set a = 2 -%}", "{{ a }}\n", "{{\na\n}}", "{%\nif t\n%}", "{% for i in range(2) -%}\n{{ i }}\n{%- endfor %}",
	}
	var b strings.Builder
	opened := 0
	for i := 5 + g.r.IntN(15); i > 0; i-- {
		p := g.pick(pieces...)
		switch {
		case strings.Contains(p, "if t"):
			opened++
		case strings.Contains(p, "endif"):
			if opened == 0 {
				continue
			}
			opened--
		}
		b.WriteString(p)
	}
	for ; opened > 0; opened-- {
		b.WriteString(g.pick("{% endif %}", "{%- endif %}", "{% endif -%}"))
	}
	return b.String()
}
