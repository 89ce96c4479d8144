package config

import (
	"reflect"
	"testing"
)

// TestLookups covers Browse, Config.Section and the Section lookups
// (ast_category_browse, ast_category_get, ast_variable_retrieve in 20.20.1
// and 23, ast_variable_find_last_in_list).
func TestLookups(t *testing.T) {
	c, err := loadText(t, `[general]
x=1
[tmpl](!)
secret=fromtemplate
Key=a
[6001](tmpl)
secret=own
key=b
KEY=c
[6001]
type=aor
[Other]
`, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range c.Browse() {
		names = append(names, s.Name)
	}
	// ast_category_browse skips templates and yields duplicates in file order.
	if want := []string{"general", "6001", "6001", "Other"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Browse = %q, want %q", names, want)
	}
	if len(c.Sections) != 5 {
		t.Errorf("Sections has %d, want 5 (templates included)", len(c.Sections))
	}
	// ast_category_get: first non-template, case-insensitive.
	if s := c.Section("OTHER"); s == nil || s.Name != "Other" {
		t.Errorf("Section(OTHER) = %v", s)
	}
	if s := c.Section("tmpl"); s != nil {
		t.Errorf("Section(tmpl) found a template: %v", s)
	}
	if s := c.Section("nope"); s != nil {
		t.Errorf("Section(nope) = %v", s)
	}
	if s := c.Section(""); s == nil || s.Name != "general" {
		t.Errorf(`Section("") = %v, want the first section (does_category_match quirk)`, s)
	}
	s := c.Section("6001")
	if s == nil || len(s.Vars) != 5 {
		t.Fatalf("Section(6001) = %+v", s)
	}
	// Measured on 20.20.1: in Asterisk ≤ 22 the inherited value wins.
	if v, ok := s.First("SECRET"); !ok || v != "fromtemplate" {
		t.Errorf("First(SECRET) = %q, %v", v, ok)
	}
	// Asterisk ≥ 23: the last value wins.
	if v, ok := s.Last("secret"); !ok || v != "own" {
		t.Errorf("Last(secret) = %q, %v", v, ok)
	}
	if v, ok := s.First("missing"); ok || v != "" {
		t.Errorf("First(missing) = %q, %v", v, ok)
	}
	if _, ok := s.Last(""); ok {
		t.Error(`Last("") found something`)
	}
	var values []string
	for _, v := range s.All("key") {
		values = append(values, v.Name+"="+v.Value)
	}
	if want := []string{"Key=a", "key=b", "KEY=c"}; !reflect.DeepEqual(values, want) {
		t.Errorf("All(key) = %q, want %q", values, want)
	}
	if got := s.All("nothing"); got != nil {
		t.Errorf("All(nothing) = %v", got)
	}
}

// TestASCIIFold: Asterisk runs in C.UTF-8, where strcasecmp folds ASCII
// only; Go's Unicode folding would also equate "K" and the Kelvin sign.
func TestASCIIFold(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Key", "kEY", true},
		{"k", "\u212a", false},
		{"é", "É", false},
		{"a1", "A1", true},
		{"ab", "abc", false},
		{"[", "{", false},
	}
	for _, tt := range tests {
		if got := asciiEqualFold(tt.a, tt.b); got != tt.want {
			t.Errorf("asciiEqualFold(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
	if got := asciiLower("AbC-É"); got != "abc-É" {
		t.Errorf("asciiLower = %q", got)
	}
	s := "already lower"
	if got := asciiLower(s); got != s {
		t.Errorf("asciiLower = %q", got)
	}
}

// TestDiagnosticFormat checks the message formats.
func TestDiagnosticFormat(t *testing.T) {
	if got := (Diagnostic{File: "users.conf", Line: 12, Msg: "msg"}).String(); got != "users.conf:12: msg" {
		t.Errorf("Diagnostic = %q", got)
	}
	if got := (Diagnostic{File: "d", Msg: "not a regular file"}).String(); got != "d: not a regular file" {
		t.Errorf("Diagnostic without line = %q", got)
	}
	e := &Error{File: "users.conf", Line: 12, Msg: "missing ']' in section header"}
	if got := e.Error(); got != "users.conf:12: missing ']' in section header" {
		t.Errorf("Error = %q", got)
	}
}
