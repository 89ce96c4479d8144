package subst

// Var is one variable of an ordered variable list: Asterisk's ast_var_t.
type Var struct {
	Name  string
	Value string
}

// Vars is an ordered variable list: Asterisk's varshead. A name may appear
// more than once; every lookup returns the first match.
type Vars []Var

// Scope is what a substitution reads variables from. Lookup reports the
// value of the first variable that answers to name and whether there was one.
type Scope interface {
	Lookup(name string) (string, bool)
}

// Lookup finds the first variable that answers to name as the substitution
// engine sees it: names compare case-sensitively, and a stored name's first
// one or two leading underscores are ignored (ast_var_name), so a stored
// "__FOO" answers to "FOO" but a stored "FOO" does not answer to "_FOO".
func (v Vars) Lookup(name string) (string, bool) {
	for i := range v {
		if stripInherit(v[i].Name) == name {
			return v[i].Value, true
		}
	}
	return "", false
}

// Find finds the first variable whose stored name is exactly name
// (ast_var_find): no underscore stripping. res_phoneprov uses it to ask
// whether a list already defines a name.
func (v Vars) Find(name string) (string, bool) {
	for i := range v {
		if v[i].Name == name {
			return v[i].Value, true
		}
	}
	return "", false
}

// Has reports whether Find would find name.
func (v Vars) Has(name string) bool {
	_, ok := v.Find(name)
	return ok
}

// Clone returns a copy of v that can be appended to without affecting v.
func (v Vars) Clone() Vars {
	return append(Vars(nil), v...)
}

// stripInherit removes up to two leading underscores, the inheritance
// markers of channel variables.
func stripInherit(name string) string {
	for i := 0; i < 2 && len(name) > 0 && name[0] == '_'; i++ {
		name = name[1:]
	}
	return name
}

// Chain is a Scope that asks each of its scopes in turn; the first that has
// the name answers.
type Chain []Scope

// Lookup implements Scope.
func (c Chain) Lookup(name string) (string, bool) {
	for _, s := range c {
		if s == nil {
			continue
		}
		if v, ok := s.Lookup(name); ok {
			return v, true
		}
	}
	return "", false
}
