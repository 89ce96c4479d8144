package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestHeaders covers section headers, templates, inheritance and (+)
// (process_text_line's category branch, docs/asterisk.md#section-headers).
func TestHeaders(t *testing.T) {
	long := strings.Repeat("n", 100)
	tests := []struct {
		name string
		text string
		want string // dump, or the fatal error text
	}{
		// The name is everything up to the first ']', not trimmed.
		{"name not trimmed", "[ foo ]\na=1\n", "[ foo ] a=1"},
		{"name up to first bracket", "[a]b]\nx=1\n", "[a] x=1"},
		// Names are truncated to 79 bytes.
		{"name truncated", "[" + long + "]\n", "[" + long[:79] + "]"},
		// A missing ']' is fatal.
		{"missing bracket", "[s]\na=1\n[foo\n", "main.conf:3: missing ']' in section header"},
		// Options only when '(' immediately follows ']'; other text ignored.
		{"space before options", "[foo] (!)\na=1\n", "[foo] a=1"},
		{"text after options", "[foo](!)junk\na=1\n", "[foo]! a=1"},
		// A missing ')' is fatal.
		{"missing paren", "[foo](!\n", "main.conf:1: missing ')' after the options of section [foo]"},
		// (!) makes a template.
		{"template", "[t](!)\na=1\n", "[t]! a=1"},
		// Base variables are copied in order before the section's own.
		{"inherit", "[t](!)\na=1\nb=2\n[s](t)\nc=3\n", "[t]! a=1|b=2\n[s] a=1^|b=2^|c=3"},
		{"several bases left to right", "[a](!)\nx=1\n[b](!)\ny=2\n[s](b,a)\nz=3\n",
			"[a]! x=1\n[b]! y=2\n[s] y=2^|x=1^|z=3"},
		// Base names match case-insensitively; templates or not.
		{"base case-insensitive", "[Base]\nx=1\n[s](BASE)\n", "[Base] x=1\n[s] x=1^"},
		// Inherited variables include the base's own inherited ones.
		{"chained", "[a](!)\nx=1\n[b](a)\ny=2\n[c](b)\n", "[a]! x=1\n[b] x=1^|y=2\n[c] x=1^|y=2^"},
		// The FIRST earlier section of that name is the base.
		{"first of duplicates", "[b]\nx=1\n[b]\nx=2\n[s](b)\n", "[b] x=1\n[b] x=2\n[s] x=1^"},
		// The base must be earlier; a missing base is fatal.
		{"base later", "[s](later)\n[later]\n", `main.conf:1: base section "later" for [s] not found`},
		// Options are split on commas without trimming.
		{"options not trimmed", "[b]\n[s]( b)\n", `main.conf:2: base section " b" for [s] not found`},
		// Later changes to the base are not propagated.
		{"copied at that point", "[b]\nx=1\n[s](b)\n[b](+)\ny=2\n", "[b] x=1|y=2\n[s] x=1^"},
		// does_category_match: an empty name matches any section, so "()" inherits the first one.
		{"empty option inherits first section", "[a](!)\nx=1\n[b]\ny=2\n[s]()\n", "[a]! x=1\n[b] y=2\n[s] x=1^"},
		{"empty option without sections", "[s](!,)\n", `main.conf:1: base section "" for [s] not found`},
		{"base named like itself", "[s]\nx=1\n[s](s)\ny=2\n", "[s] x=1\n[s] x=1^|y=2"},
		// Duplicate section names create separate sections, in file order.
		{"duplicates kept", "[7001]\ntype=endpoint\n[7001]\ntype=aor\n", "[7001] type=endpoint\n[7001] type=aor"},
		// (+) appends to the first existing section of that name.
		{"append", "[a]\nx=1\n[b]\ny=1\n[a](+)\nz=2\n", "[a] x=1|z=2\n[b] y=1"},
		{"append to first duplicate", "[a]\nx=1\n[a]\nx=2\n[A](+)\ny=3\n", "[a] x=1|y=3\n[a] x=2"},
		{"append missing", "[a]\n[b](+)\n", "main.conf:2: cannot add to section [b]: there is no earlier non-template section of that name"},
		// does_category_match: a plain (+) skips templates.
		{"append to template fails", "[t](!)\nx=1\n[t](+)\n", "main.conf:3: cannot add to section [t]: there is no earlier non-template section of that name"},
		// process_text_line: options after + apply to the reopened section.
		{"append then template", "[a]\nx=1\n[a](+,!)\ny=2\n", "[a]! x=1|y=2"},
		{"template then append", "[a]\nx=1\n[a](!,+)\ny=2\n", "[a]! x=1|y=2"},
		{"base then append moves inherited", "[t](!)\nk=1\n[a]\nx=1\n[a](t,+)\ny=2\n", "[t]! k=1\n[a] x=1|k=1^|y=2"},
		{"append then base", "[t](!)\nk=1\n[a]\nx=1\n[a](+,t)\ny=2\n", "[t]! k=1\n[a] x=1|k=1^|y=2"},
		// does_category_match: an empty name matches any section, so [](+) reopens the first non-template.
		{"empty name append", "[t](!)\n[a]\nx=1\n[](+)\ny=2\n", "[t]!\n[a] x=1|y=2"},
		// process_text_line looks (+) up by the untruncated name, which no stored name equals.
		{"long name append", "[" + long + "]\n[" + long + "](+)\n", "main.conf:2: cannot add to section [" + long + "]"},
		// +filter picks the first section matching name=value regexes.
		{"append with filter", "[a]\ntype=aor\n[a]\ntype=endpoint\n[a](+type=endpoint)\nx=1\n",
			"[a] type=aor\n[a] type=endpoint|x=1"},
		{"append with two filters", "[a]\nt=1\nu=1\n[a]\nt=1\nu=2\n[a](+t=1&u=^2$)\nx=1\n",
			"[a] t=1|u=1\n[a] t=1|u=2|x=1"},
		{"append to template with TEMPLATES=include", "[t](!)\nx=1\n[t](+TEMPLATES=include)\ny=2\n", "[t]! x=1|y=2"},
		{"append with TEMPLATES=restrict", "[a]\nk=1\n[a](!)\nk=2\n[a](+TEMPLATES=restrict)\nz=1\n", "[a] k=1\n[a]! k=2|z=1"},
		{"filter without equals", "[a]\nx=1\n[a](+x)\n", "main.conf:3: cannot add to section [a]: no earlier section of that name matches \"x\""},
		{"filter no match", "[a]\ntype=aor\n[a](+type=endpoint)\n", "main.conf:3: cannot add to section [a]: no earlier section"},
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
		})
	}
}

// TestHeaderCurrentSection: lines after a (+) header go to the reopened
// section, and after a new header to the new one.
func TestHeaderCurrentSection(t *testing.T) {
	c, err := loadText(t, "[a]\n[b]\n[a](+)\nx=1\n[c]\ny=2\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dump(c), "[a] x=1\n[b]\n[c] y=2"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestHeaderBases checks Section.Bases: names as written, in order, and
// kept on the section the inheritance applied to (ast_category_inherit).
func TestHeaderBases(t *testing.T) {
	c, err := loadText(t, "[T1](!)\n[t2](!)\n[s](t1,T2)\n[s](+,t1)\n[x](t1,+)\n", nil)
	if err == nil {
		t.Fatalf("[x](t1,+) has no [x] to add to, want an error; got %q", dump(c))
	}
	c, err = loadText(t, "[T1](!)\n[t2](!)\n[s](t1,T2)\n[s](+,t1)\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Sections[2].Bases, []string{"t1", "T2", "t1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Bases = %q, want %q", got, want)
	}
	if len(c.Sections) != 3 {
		t.Errorf("(+) created a section: %q", dump(c))
	}
}

// TestHeaderSelfInheritance: ast_category_inherit appends to the list it
// walks, so a reopened section inheriting from itself loops forever in
// Asterisk; here it is an error. With no variables the loop is empty.
func TestHeaderSelfInheritance(t *testing.T) {
	_, err := loadText(t, "[a]\nx=1\n[a](+,a)\n", nil)
	var e *Error
	if !errors.As(err, &e) || e.Line != 3 || !strings.Contains(e.Msg, "inherits from itself") {
		t.Fatalf("got %v, want an error at line 3", err)
	}
	// The same through an include: not a per-file error but the whole load.
	_, err = loadText(t, "[a]\nx=1\n#include inc.conf\n", map[string]string{"inc.conf": "[a](+,a)\n"})
	if !errors.As(err, &e) || e.File != "inc.conf" {
		t.Fatalf("via include: got %v, want an error in inc.conf", err)
	}
	c, err := loadText(t, "[a]\n[a](+,a)\nx=1\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(c); got != "[a] x=1" {
		t.Errorf("got %q", got)
	}
}

// TestFilterWarning: a filter with a bad regular expression matches nothing
// (does_category_match logs and returns 0); the problem is a warning.
func TestFilterWarning(t *testing.T) {
	// The options end at the first ')', so the value regex is "a(b": invalid.
	_, err := loadText(t, "[a]\nx=1\n[a](+x=a(b)\n", nil)
	if err == nil || !strings.Contains(err.Error(), `no earlier section of that name matches "x=a(b"`) {
		t.Fatalf("got %v", err)
	}
	c, err := Load("main.conf", Options{Dir: writeTree(t, map[string]string{
		"main.conf": "[a]\nx=1\n#tryinclude inc.conf\n",
		"inc.conf":  "[a](+x=[)\n",
	})})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(c, "inc.conf:1:", "bad regular expression") || !hasWarning(c, "inc.conf:1: cannot add to section [a]") {
		t.Errorf("warnings %q", warningTexts(c))
	}
}
