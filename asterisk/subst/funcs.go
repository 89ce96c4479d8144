package subst

import (
	"errors"
	"sort"
)

// Func is a dialplan function the engine can call as ${NAME(args)}.
type Func struct {
	// Name is the function's name, matched case-sensitively.
	Name string

	// Read computes the function's value. args is the raw text between the
	// first '(' and the last ')' of the call, already fully substituted; the
	// function splits it itself (usually with SplitArgs). A non-nil error
	// renders nothing and is logged; the result is then ignored.
	Read func(c *Call, args string) (string, error)

	// Escalating marks a function Asterisk blocks while rendering on a
	// thread that serves a network connection (STAT, FILE, DB, SHELL, …),
	// unless live_dangerously is set. See Options.InhibitEscalations.
	Escalating bool

	// ReadMax, when positive, is the size of the fixed buffer Asterisk gives
	// a function that only has a legacy read callback: its output is cut to
	// ReadMax-1 bytes. Zero means unlimited (a read2 callback).
	ReadMax int

	// Pure marks a function whose value depends only on its arguments, on
	// what it reads through the Call (variables, nested substitution) and
	// on what it declares with Call.NoteRead: no other files, clock,
	// environment or state of the PBX. A render that calls only Pure
	// functions reports Result.Pure, which lets a caller reuse its text
	// when the template, the variables and every Result.Reads entry are
	// unchanged.
	Pure bool
}

// ErrArgs is returned by functions whose arguments are missing or malformed;
// like every function error it renders nothing.
var ErrArgs = errors.New("missing or invalid arguments")

// Registry is an immutable table of functions by name.
type Registry struct {
	funcs map[string]*Func
}

// NewRegistry returns a registry holding fns. A later function replaces an
// earlier one of the same name.
func NewRegistry(fns ...*Func) *Registry {
	r := &Registry{funcs: make(map[string]*Func, len(fns))}
	for _, f := range fns {
		r.funcs[f.Name] = f
	}
	return r
}

// With returns a new registry holding r's functions and fns, fns winning on
// a name clash. r is unchanged.
func (r *Registry) With(fns ...*Func) *Registry {
	n := &Registry{funcs: make(map[string]*Func, len(r.funcs)+len(fns))}
	for k, f := range r.funcs {
		n.funcs[k] = f
	}
	for _, f := range fns {
		n.funcs[f.Name] = f
	}
	return n
}

// Lookup returns the function called name, or nil.
func (r *Registry) Lookup(name string) *Func {
	if r == nil {
		return nil
	}
	return r.funcs[name]
}

// Names returns the registered names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.funcs))
	for n := range r.funcs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
