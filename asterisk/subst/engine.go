// Package subst re-implements Asterisk's variable substitution
// (main/pbx_variables.c): ${VAR}, ${VAR:offset:length}, ${FUNC(args)} and
// $[expression], against an ordered variable list, with no channel — exactly
// what res_phoneprov does when it renders a route URI, a setvar or a template.
//
// The engine is immutable and safe for concurrent use; everything that varies
// per render (options, SET variables, limits) lives in the render.
package subst

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// Defaults for Config limits.
const (
	DefaultMaxDepth  = 64
	DefaultMaxOutput = 32 << 20
	DefaultMaxCalls  = 2_000_000
)

// Errors a render reports in Result.Err; the text rendered so far is kept.
var (
	ErrDepth  = errors.New("substitution nested too deeply")
	ErrOutput = errors.New("substitution output too large")
	ErrCalls  = errors.New("too many variable and function evaluations")
)

// Config describes an Engine.
type Config struct {
	// Funcs are the dialplan functions templates may call.
	Funcs *Registry

	// Expr evaluates the text of a $[ ] expression after its inner
	// substitution. Nil renders every expression empty.
	Expr func(string) string

	// Builtins are Asterisk's built-in variables that shadow every list
	// (SYSTEMNAME, ASTETCDIR, ASTDATADIR, …, ENTITYID). EPOCH is always
	// provided by the engine from Now.
	Builtins map[string]string

	// Globals are the dialplan globals, consulted after the variable list.
	Globals Scope

	// Now is the clock for EPOCH and time functions; nil means time.Now.
	Now func() time.Time

	// Logger receives function errors, each logged once per engine.
	Logger *slog.Logger

	// Limits; zero means the package default.
	MaxDepth  int // nesting of ${ } inside ${ } and of function-driven renders
	MaxOutput int // bytes one substitution may produce
	MaxCalls  int // variable and function evaluations in one render
}

// Engine substitutes text. Create it with New.
type Engine struct {
	funcs     *Registry
	expr      func(string) string
	builtins  map[string]string
	globals   Scope
	now       func() time.Time
	log       *slog.Logger
	maxDepth  int
	maxOutput int
	maxCalls  int

	logged sync.Map // message key → struct{}: what has been logged once
}

// New returns an Engine for cfg.
func New(cfg Config) *Engine {
	e := &Engine{
		funcs:     cfg.Funcs,
		expr:      cfg.Expr,
		builtins:  cfg.Builtins,
		globals:   cfg.Globals,
		now:       cfg.Now,
		log:       cfg.Logger,
		maxDepth:  cfg.MaxDepth,
		maxOutput: cfg.MaxOutput,
		maxCalls:  cfg.MaxCalls,
	}
	if e.funcs == nil {
		e.funcs = NewRegistry()
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.maxDepth <= 0 {
		e.maxDepth = DefaultMaxDepth
	}
	if e.maxOutput <= 0 {
		e.maxOutput = DefaultMaxOutput
	}
	if e.maxCalls <= 0 {
		e.maxCalls = DefaultMaxCalls
	}
	return e
}

// Funcs returns the engine's function registry.
func (e *Engine) Funcs() *Registry { return e.funcs }

// Options control one render.
type Options struct {
	// InhibitEscalations blocks Escalating functions, as Asterisk does on
	// the threads that serve HTTP requests (where res_phoneprov renders
	// templates) unless asterisk.conf sets live_dangerously. Route URIs and
	// setvars are rendered at load time, where Asterisk allows them.
	InhibitEscalations bool

	// OnLookup, when set, is called with the name of every variable the
	// render looks up (directly or through a function such as CUT), found or
	// not. It lets a caller learn what a rendered file depends on.
	OnLookup func(name string)

	// Splices lets functions called directly from the template (see
	// Call.Direct) leave a Splice in Result.Splices instead of their text,
	// for the caller to insert. Substitute ignores it: only callers of
	// AppendSubstitute, which keep the bytes, can fill the gaps in.
	Splices bool

	// Literals, when positive, has the render report in Result.Literals
	// every run of at least this many bytes that it copied verbatim from
	// the template into the top-level output, so that a caller keeping the
	// bytes can share them with the template instead of holding a copy.
	Literals int
}

// A Literal is a run of the output copied verbatim from the template:
// Len bytes at offset At of the output (counted from the start of this
// substitution) are the template's bytes at offset From.
type Literal struct {
	At, From, Len int
}

// A Splice is a gap a function left in the top-level output instead of its
// text (Call.Splice): the caller inserts Len bytes it knows by Value at
// offset At of the output (counted from the start of this substitution,
// before the gap).
type Splice struct {
	At    int
	Len   int
	Value any
}

// Result is the outcome of a render.
type Result struct {
	Text string

	// Volatile reports that the text depends on the time of rendering
	// (EPOCH, STRFTIME without an epoch, …) and must not be cached.
	Volatile bool

	// Pure reports that every function the render called is Pure: the
	// text is then determined by the template, the scope's variables and
	// the engine's configuration, and the same three give the same text.
	Pure bool

	// Reads lists, in call order, what Pure functions declared with
	// Call.Depend that the text also depends on.
	Reads []any

	// Err is a limit the render ran into (ErrDepth, ErrOutput, ErrCalls),
	// or nil. Function errors are logged, never returned.
	Err error

	// Splices are the gaps functions left in the output, in order (only
	// with Options.Splices).
	Splices []Splice

	// Literals are the runs copied from the template, in order (only with
	// Options.Literals).
	Literals []Literal

	// SetVars reports that SET, INC or DEC set a variable during the
	// render: text rendered after them in the same render saw it.
	SetVars bool
}

// Substitute renders tmpl against scope.
func (e *Engine) Substitute(tmpl string, scope Scope, opts Options) Result {
	opts.Splices, opts.Literals = false, 0
	out, res := e.AppendSubstitute(make([]byte, 0, len(tmpl)+len(tmpl)/4), tmpl, scope, opts)
	res.Text = string(out)
	return res
}

// AppendSubstitute is Substitute appending the text to dst and returning
// the extended buffer, for callers that send or keep bytes: with a reused
// dst it allocates nothing for the text. The returned Result's Text is
// empty.
func (e *Engine) AppendSubstitute(dst []byte, tmpl string, scope Scope, opts Options) ([]byte, Result) {
	st := &render{eng: e, opts: opts}
	out := st.substitute(dst, tmpl, scope, 0)
	return out, Result{Volatile: st.volatile, Pure: !st.impure && !st.volatile, Reads: st.reads, Err: st.err, Splices: st.splices, Literals: st.literals, SetVars: len(st.locals) > 0}
}

// String is Substitute without options, returning only the text.
func (e *Engine) String(tmpl string, scope Scope) string {
	return e.Substitute(tmpl, scope, Options{}).Text
}

// logOnce logs msg at warning level the first time key is seen.
func (e *Engine) logOnce(key, msg string, attrs ...any) {
	if _, seen := e.logged.LoadOrStore(key, struct{}{}); seen {
		return
	}
	e.log.Warn(msg, attrs...)
}

// render is the state of one Substitute call, shared by the nested
// substitutions and function calls it makes.
type render struct {
	eng      *Engine
	opts     Options
	volatile bool
	impure   bool  // a function that is not Pure was called (or could not be)
	reads    []any // what Pure functions declared they read (Call.NoteRead)
	calls    int
	locals   Vars // variables set by SET, INC and DEC during this render
	err      error

	splices []Splice
	spliced int // bytes the splices stand for, counted against MaxOutput

	top      string // the template of the top-level substitution
	literals []Literal
}

func (r *render) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// lookup resolves a variable name as ast_str_retrieve_variable does with no
// channel: built-in names, then the list (with this render's own SET
// variables first), then the globals.
func (r *render) lookup(name string, scope Scope) (string, bool) {
	if r.opts.OnLookup != nil {
		r.opts.OnLookup(name)
	}
	if name == "EPOCH" {
		r.volatile = true
		return strconv.FormatInt(int64(int32(r.eng.now().Unix())), 10), true
	}
	if v, ok := r.eng.builtins[name]; ok {
		return v, true
	}
	if v, ok := r.locals.Lookup(name); ok {
		return v, true
	}
	if scope != nil {
		if v, ok := scope.Lookup(name); ok {
			return v, true
		}
	}
	if r.eng.globals != nil {
		return r.eng.globals.Lookup(name)
	}
	return "", false
}

// call runs the function named in text "NAME(args)" (func_args and
// ast_func_read2): the name is everything before the first '(', the
// arguments run to the last ')'.
//
// A direct call's value goes unchanged into the top-level output (see
// Call.Direct); at is the length of that output so far.
func (r *render) call(text string, scope Scope, depth int, direct bool, at int) (string, bool) {
	name, args := text, ""
	if i := indexByte(text, '('); i >= 0 {
		name, args = text[:i], text[i+1:]
		if j := lastIndexByte(args, ')'); j >= 0 {
			args = args[:j]
		} else {
			r.eng.logOnce("paren:"+name, "dialplan function call has no closing parenthesis", "function", name)
		}
	}
	f := r.eng.funcs.Lookup(name)
	if f == nil || !f.Pure {
		r.impure = true
	}
	if f == nil || f.Read == nil {
		r.eng.logOnce("unknown:"+name, "dialplan function not available; it renders empty", "function", name)
		return "", false
	}
	if f.Escalating && r.opts.InhibitEscalations {
		r.eng.logOnce("blocked:"+name, "dangerous dialplan function read blocked (as in Asterisk; set live_dangerously to allow it)", "function", name)
		return "", false
	}
	c := &Call{Name: name, r: r, scope: scope, depth: depth, direct: direct && r.opts.Splices && f.ReadMax == 0, at: at}
	v, err := f.Read(c, args)
	if err != nil {
		r.eng.logOnce("error:"+name+":"+err.Error(), "dialplan function failed; it renders empty", "function", name, "error", err)
		return "", false
	}
	if c.splice != nil {
		r.splices = append(r.splices, *c.splice)
		r.spliced += c.splice.Len
		return "", true
	}
	if f.ReadMax > 0 && len(v) > f.ReadMax-1 {
		v = v[:f.ReadMax-1]
	}
	// Results are C strings: a NUL ends them.
	if i := indexByte(v, 0); i >= 0 {
		v = v[:i]
	}
	return v, true
}

// Call is what a Func receives: access to the render that called it.
type Call struct {
	// Name is the function name as called.
	Name  string
	r     *render
	scope Scope
	depth int

	direct bool    // the value goes unchanged into the top-level output
	at     int     // the length of that output before the call
	splice *Splice // what the function left instead of its value
}

// Var looks a variable up exactly as ${name} would in the calling render.
func (c *Call) Var(name string) (string, bool) {
	return c.r.lookup(name, c.scope)
}

// SetVar sets a variable for the rest of the calling render (SET, INC,
// DEC). It shadows the list and never outlives the render: Asterisk's own
// effect on the phone's variable list is unreliable, and phoneprovd makes it
// render-local.
func (c *Call) SetVar(name, value string) {
	name = stripInherit(name)
	for i := range c.r.locals {
		if c.r.locals[i].Name == name {
			c.r.locals[i].Value = value
			return
		}
	}
	c.r.locals = append(Vars{{Name: name, Value: value}}, c.r.locals...)
}

// Scope returns the variable list the calling render substitutes against.
func (c *Call) Scope() Scope { return c.scope }

// Substitute renders tmpl against scope as part of the calling render: the
// same options and limits apply, one nesting level deeper.
func (c *Call) Substitute(tmpl string, scope Scope) string {
	return string(c.r.substitute(make([]byte, 0, len(tmpl)+len(tmpl)/4), tmpl, scope, c.depth+1))
}

// MarkVolatile records that the calling render's result depends on the time
// it was made.
func (c *Call) MarkVolatile() { c.r.volatile = true }

// NoteRead records that the calling render's text depends on key, something
// a Pure function read that is neither an argument nor a variable of the
// scope (a template file, another phone's lines). Result.Reads carries the
// keys to the caller, which decides whether they are unchanged.
func (c *Call) NoteRead(key any) { c.r.reads = append(c.r.reads, key) }

// Now returns the engine's clock reading.
func (c *Call) Now() time.Time { return c.r.eng.now() }

// Logf logs a warning about this function once per engine and message.
func (c *Call) Logf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	c.r.eng.logOnce("msg:"+c.Name+":"+msg, msg, "function", c.Name)
}

// Direct reports whether the function's value would go unchanged into the
// output of the top-level render, so that it may leave a Splice instead:
// the caller asked for splices, the call is written in the template itself
// (not in another function's arguments, a variable name, an expression or
// a template a function renders), without :offset:length, and the
// function has no fixed-size read buffer.
func (c *Call) Direct() bool { return c.direct }

// Splice makes the function's value a gap of n bytes that the caller of
// the render fills in with what value stands for; the function then
// returns "" and a nil error. It reports false, leaving nothing, when the
// call is not Direct or the gap would take the output past the engine's
// MaxOutput; the function then returns its text as usual. The bytes must
// not contain a NUL: a function's value ends at one.
func (c *Call) Splice(value any, n int) bool {
	if !c.direct || c.splice != nil || n < 0 || c.at+c.r.spliced+n > c.r.eng.maxOutput {
		return false
	}
	c.splice = &Splice{At: c.at, Len: n, Value: value}
	return true
}

// SetVars reports whether SET, INC or DEC set a variable earlier in the
// calling render: text the function renders would then see it.
func (c *Call) SetVars() bool { return len(c.r.locals) > 0 }

// InhibitEscalations reports whether the calling render blocks escalating
// functions.
func (c *Call) InhibitEscalations() bool { return c.r.opts.InhibitEscalations }
