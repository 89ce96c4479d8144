package jinja

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
)

// renderer is the state of one Render call.
type renderer struct {
	env   *Env
	ctx   context.Context
	steps int
	depth int
	alloc int64
	file  string // template of the node being evaluated
	line  int    // line of the node being evaluated
	// constFold evaluates as Jinja2's compile-time constant folding:
	// names, calls and context filters are not constant.
	constFold bool
}

// notConstant stops constant folding.
type notConstant struct{}

// tctx is Jinja2's runtime Context: the variables a template sees.
type tctx struct {
	parent   map[string]any
	vars     map[string]any
	exported []string
	blocks   map[string][]*blockDef
}

func (c *tctx) resolve(name string) any {
	if v, ok := c.vars[name]; ok {
		return v
	}
	if v, ok := c.parent[name]; ok {
		return v
	}
	return missing
}

// getAll merges the context's parent and its top-level assignments.
func (c *tctx) getAll() map[string]any {
	if len(c.vars) == 0 {
		return c.parent
	}
	m := make(map[string]any, len(c.parent)+len(c.vars))
	for k, v := range c.parent {
		m[k] = v
	}
	for k, v := range c.vars {
		m[k] = v
	}
	return m
}

func (c *tctx) export(name string) {
	if len(name) > 0 && name[0] == '_' {
		return
	}
	for _, e := range c.exported {
		if e == name {
			return
		}
	}
	c.exported = append(c.exported, name)
}

// newContext is Jinja2's new_context with shared=True: the context's
// parent is vars plus the non-missing locals.
func newContext(t *Template, vars map[string]any, locals map[string]any) *tctx {
	parent := vars
	if len(locals) > 0 {
		parent = make(map[string]any, len(vars)+len(locals))
		for k, v := range vars {
			parent[k] = v
		}
		for k, v := range locals {
			if v != missing {
				parent[k] = v
			}
		}
	}
	c := &tctx{parent: parent, vars: map[string]any{}, blocks: map[string][]*blockDef{}}
	for name, b := range t.blocks {
		c.blocks[name] = []*blockDef{b}
	}
	return c
}

// derived is Context.derived: a new context over this one's variables.
func (c *tctx) derived(locals map[string]any) *tctx {
	parent := c.getAll()
	if len(locals) > 0 {
		p := make(map[string]any, len(parent)+len(locals))
		for k, v := range parent {
			p[k] = v
		}
		for k, v := range locals {
			if v != missing {
				p[k] = v
			}
		}
		parent = p
	}
	d := &tctx{parent: parent, vars: map[string]any{}, blocks: map[string][]*blockDef{}}
	for k, v := range c.blocks {
		d.blocks[k] = append([]*blockDef(nil), v...)
	}
	return d
}

// blockDef is one template's definition of a block.
type blockDef struct {
	tpl  *Template
	node *blockStmt
}

// tplExec is one run of a template's root: it records the template its
// {% extends %} chose.
type tplExec struct {
	tpl         *Template
	parent      *Template
	extendsLine int
}

// frame holds the variables of one Jinja2 frame (template root, loop
// body, macro call, block...).
type frame struct {
	level       int
	names       []string
	vals        []any
	parent      *frame
	ctx         *tctx
	x           *tplExec
	toplevel    bool
	outputCheck bool
}

func (f *frame) get(name string) any {
	for i, n := range f.names {
		if n == name {
			return f.vals[i]
		}
	}
	return missing
}

func (f *frame) set(name string, v any) {
	for i, n := range f.names {
		if n == name {
			f.vals[i] = v
			return
		}
	}
	f.names = append(f.names, name)
	f.vals = append(f.vals, v)
}

// lookup finds name in the frame of the given level.
func (f *frame) lookup(level int, name string) any {
	if level < 0 {
		return f.ctx.resolve(name)
	}
	for g := f; g != nil; g = g.parent {
		if g.level == level {
			return g.get(name)
		}
		if g.level < level {
			break
		}
	}
	return missing
}

// enterFrame creates a frame below parent and initializes its names.
func (r *renderer) enterFrame(info *frameInfo, parent *frame, ctx *tctx, x *tplExec) *frame {
	f := &frame{level: info.level, parent: parent, ctx: ctx, x: x, outputCheck: info.outputCheck}
	if n := len(info.loads); n > 0 {
		f.names = make([]string, 0, n+2)
		f.vals = make([]any, 0, n+2)
	}
	for _, l := range info.loads {
		switch l.kind {
		case loadResolve:
			f.set(l.name, ctx.resolve(l.name))
		case loadAlias:
			f.set(l.name, parent.lookup(l.aliasLevel, l.name))
		case loadUndefined:
			f.set(l.name, missing)
		}
	}
	return f
}

// locals collects the values of refs for an include or derived context.
func (f *frame) locals(refs []localRef) map[string]any {
	if len(refs) == 0 {
		return nil
	}
	m := make(map[string]any, len(refs))
	for _, l := range refs {
		if v := f.lookup(l.level, l.name); v != missing {
			m[l.name] = v
		}
	}
	return m
}

// ---- limits

// tick counts one evaluation step and checks the limits.
func (r *renderer) tick() {
	r.steps++
	if r.steps > r.env.opts.MaxSteps {
		raise(&rtError{kind: "LimitError", msg: fmt.Sprintf("template exceeded %d evaluation steps", r.env.opts.MaxSteps)})
	}
	if r.steps&1023 == 0 {
		if err := r.ctx.Err(); err != nil {
			panic(err)
		}
	}
}

func (r *renderer) enterCall() {
	r.depth++
	if r.depth > r.env.opts.MaxDepth {
		raise(&rtError{kind: "RecursionError", msg: fmt.Sprintf("maximum recursion depth of %d exceeded (macro, include or block calls)", r.env.opts.MaxDepth)})
	}
}

func (r *renderer) leaveCall() { r.depth-- }

// allocBytes charges n bytes of new string data.
func (r *renderer) allocBytes(n int64) {
	if n < 0 || n > int64(r.env.opts.MaxOutput) {
		raise(&rtError{kind: "LimitError", msg: fmt.Sprintf("value larger than the output limit of %d bytes", r.env.opts.MaxOutput)})
	}
	r.alloc += n
	if r.alloc > r.env.opts.MaxAlloc {
		raise(&rtError{kind: "LimitError", msg: fmt.Sprintf("template allocated more than %d bytes", r.env.opts.MaxAlloc)})
	}
}

func (r *renderer) allocItems(n int) { r.allocItemsN(int64(n)) }

func (r *renderer) allocItemsN(n int64) {
	if n < 0 || n > int64(r.env.opts.MaxOutput)/16 {
		raise(&rtError{kind: "LimitError", msg: "sequence too large"})
	}
	r.allocBytes(n * 16)
}

// str charges and returns a newly built string.
func (r *renderer) str(s string) string {
	r.allocBytes(int64(len(s)))
	return s
}

// output collects rendered text up to a limit.
type output struct {
	buf []byte
	max int
}

func (r *renderer) newOutput() *output { return &output{max: r.env.opts.MaxOutput} }

func (o *output) write(s string) {
	if len(o.buf)+len(s) > o.max {
		raise(&rtError{kind: "LimitError", msg: fmt.Sprintf("output exceeds the limit of %d bytes", o.max)})
	}
	o.buf = append(o.buf, s...)
}

// ---- rendering entry points

// run renders t with the given context and turns panics raised by the
// evaluator into located errors.
func (r *renderer) run(t *Template, c *tctx, sizeHint int) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = r.located(p)
		}
	}()
	o := r.newOutput()
	o.buf = make([]byte, 0, min(sizeHint+sizeHint/8+64, r.env.opts.MaxOutput))
	r.renderRoot(t, c, o)
	return o.buf, nil
}

// located converts a recovered panic into an error naming the template
// file and line being evaluated.
func (r *renderer) located(p any) error {
	switch e := p.(type) {
	case *Error:
		return e
	case *rtError:
		return &Error{File: r.file, Line: r.line, Kind: e.kind, Msg: e.msg}
	case runtime.Error:
		buf := make([]byte, 4096)
		buf = buf[:runtime.Stack(buf, false)]
		return &Error{File: r.file, Line: r.line, Kind: "InternalError", Msg: fmt.Sprintf("internal error: %v\n%s", e, buf)}
	case error:
		if errors.Is(e, context.Canceled) || errors.Is(e, context.DeadlineExceeded) {
			return &Error{File: r.file, Line: r.line, Kind: "Canceled", Msg: "rendering stopped: " + e.Error()}
		}
		return &Error{File: r.file, Line: r.line, Kind: "Error", Msg: e.Error()}
	}
	return &Error{File: r.file, Line: r.line, Kind: "InternalError", Msg: fmt.Sprintf("internal error: %v", p)}
}

func (r *renderer) at(t *Template, line int) {
	r.file = t.file
	r.line = line
}

// renderRoot runs a template's top level, then its parent's if it
// extends one.
func (r *renderer) renderRoot(t *Template, c *tctx, out *output) {
	r.enterCall()
	defer r.leaveCall()
	x := &tplExec{tpl: t}
	f := r.enterFrame(t.root, nil, c, x)
	f.toplevel = true
	if t.rootSelf {
		f.set("self", &templateRef{ctx: c, x: x})
	}
	r.at(t, 1)
	r.execBody(t.body, f, out)
	if x.parent != nil {
		r.renderRoot(x.parent, c, out)
	}
}

// loadTemplate returns a template for extends, include or import; a
// missing template is an error at the current line.
func (r *renderer) loadTemplate(name any) *Template {
	var t *Template
	var err error
	switch n := name.(type) {
	case *Template:
		return n
	case string:
		t, err = r.env.Template(n)
	case markup:
		t, err = r.env.Template(string(n))
	case *undefined:
		n.fail()
	default:
		raiseType("template name must be a string, not %s", typeName(name))
	}
	if err != nil {
		var te *Error
		if errors.As(err, &te) {
			panic(te)
		}
		if errors.Is(err, fs.ErrNotExist) {
			raise(&rtError{kind: "TemplateNotFound", msg: fmt.Sprintf("template %s not found", pyRepr(name))})
		}
		raise(&rtError{kind: "TemplateError", msg: err.Error()})
	}
	return t
}

// selectTemplate loads the first existing template of a list.
func (r *renderer) selectTemplate(names any) *Template {
	switch n := names.(type) {
	case []any, tuple:
		var list []any
		if l, ok := n.([]any); ok {
			list = l
		} else {
			list = n.(tuple)
		}
		for _, name := range list {
			if t := r.tryTemplate(name); t != nil {
				return t
			}
		}
		raise(&rtError{kind: "TemplatesNotFound", msg: fmt.Sprintf("none of the templates given were found: %s", pyRepr(names))})
	}
	return r.loadTemplate(names)
}

// tryTemplate loads a template, returning nil if it does not exist.
func (r *renderer) tryTemplate(name any) *Template {
	if s, ok := name.(string); ok {
		t, err := r.env.Template(s)
		if err == nil {
			return t
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
	}
	return r.loadTemplate(name)
}
