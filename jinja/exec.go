package jinja

import (
	"fmt"
)

// macro is a {% macro %} (or the caller of a {% call %} block) bound to
// the frame that defined it.
type macro struct {
	name     string
	node     *macroStmt
	defFrame *frame
}

// loopCtx is Jinja2's LoopContext, the "loop" variable.
type loopCtx struct {
	it          iterator
	index0      int
	n           int
	hasLen      bool
	after       any
	before      any
	current     any
	lastChanged any
	depth0      int
	recurse     func(iterable any) any
	r           *renderer
}

func (l *loopCtx) advance() (any, bool) {
	var rv any
	if l.after != missing {
		rv = l.after
		l.after = missing
	} else {
		v, ok := l.it.next()
		if !ok {
			return nil, false
		}
		rv = v
	}
	l.index0++
	l.before = l.current
	l.current = rv
	return rv, true
}

func (l *loopCtx) peek() any {
	if l.after != missing {
		return l.after
	}
	v, ok := l.it.next()
	if !ok {
		return missing
	}
	l.after = v
	return v
}

func (l *loopCtx) length() int {
	if !l.hasLen {
		var rest []any
		for {
			v, ok := l.it.next()
			if !ok {
				break
			}
			if l.r != nil {
				l.r.tick()
			}
			rest = append(rest, v)
		}
		l.it = &sliceIter{s: rest}
		l.n = len(rest) + l.index0 + 1
		if l.after != missing {
			l.n++
		}
		l.hasLen = true
	}
	return l.n
}

// filterIter applies a for loop's inline "if" test.
type filterIter struct {
	r    *renderer
	n    *forStmt
	tf   *frame
	src  iterator
	tgts []string
}

func (it *filterIter) next() (any, bool) {
	for {
		v, ok := it.src.next()
		if !ok {
			return nil, false
		}
		it.r.tick()
		file, line := it.r.file, it.r.line
		it.r.file, it.r.line = it.tf.x.tpl.file, it.n.test.lineno()
		it.r.assign(it.n.target, v, it.tf, false)
		ok = truth(it.r.eval(it.n.test, it.tf))
		it.r.file, it.r.line = file, line
		if ok {
			// Jinja2 yields the loop target rebuilt from its names.
			if t, ok := it.n.target.(*tupleExpr); ok {
				return it.r.eval(&tupleExpr{pos: t.pos, items: loadNames(t.items)}, it.tf), true
			}
			return v, true
		}
	}
}

// loadNames turns store targets into loads of the same frame.
func loadNames(items []expr) []expr {
	out := make([]expr, len(items))
	for i, it := range items {
		switch t := it.(type) {
		case *nameExpr:
			out[i] = &nameExpr{pos: t.pos, name: t.name, level: t.level}
		case *tupleExpr:
			out[i] = &tupleExpr{pos: t.pos, items: loadNames(t.items)}
		}
	}
	return out
}

func (r *renderer) execBody(ss []stmt, f *frame, out *output) {
	for _, s := range ss {
		r.execStmt(s, f, out)
	}
}

func (r *renderer) execStmt(s stmt, f *frame, out *output) {
	r.tick()
	r.file = f.x.tpl.file
	r.line = s.lineno()
	switch n := s.(type) {
	case *outputStmt:
		if f.outputCheck && f.x.parent != nil {
			return
		}
		for _, e := range n.nodes {
			if d, ok := e.(*templateData); ok {
				out.write(d.data)
				continue
			}
			r.line = e.lineno()
			out.write(toStr(r.eval(e, f)))
		}
	case *ifStmt:
		if truth(r.eval(n.test, f)) {
			r.execBody(n.body, f, out)
			return
		}
		for _, e := range n.elifs {
			r.line = e.line
			if truth(r.eval(e.test, f)) {
				r.execBody(e.body, f, out)
				return
			}
		}
		r.execBody(n.else_, f, out)
	case *forStmt:
		it := r.eval(n.iter, f)
		r.line = n.line
		r.forLoop(n, f, it, out, 0)
	case *macroStmt:
		m := &macro{name: n.name, node: n, defFrame: f}
		f.set(n.name, m)
		if f.toplevel {
			f.ctx.vars[n.name] = m
			f.ctx.export(n.name)
		}
	case *callBlockStmt:
		caller := &macro{name: "caller", node: n.macro, defFrame: f}
		callee := r.eval(n.call.node, f)
		args, kw := r.evalArgs(&n.call.callArgs, f)
		if kw == nil {
			kw = &kwargs{}
		}
		kw.set("caller", caller)
		r.line = n.line
		out.write(toStr(r.call(callee, args, kw)))
	case *filterBlockStmt:
		ff := r.enterFrame(n.frame, f, f.ctx, f.x)
		buf := r.newOutput()
		r.execBody(n.body, ff, buf)
		r.line = n.line
		out.write(toStr(r.applyFilter(n.filter, string(buf.buf), ff)))
	case *withStmt:
		wf := r.enterFrame(n.frame, f, f.ctx, f.x)
		r.line = n.valueLine
		for i, t := range n.targets {
			r.assign(t, r.eval(n.values[i], f), wf, false)
		}
		r.execBody(n.body, wf, out)
	case *blockStmt:
		if n.toplevel && f.x.parent != nil {
			return
		}
		ctx := f.ctx
		if n.scoped {
			ctx = ctx.derived(f.locals(n.locals))
		}
		stack := ctx.blocks[n.name]
		if n.required && len(stack) <= 1 {
			raise(&rtError{kind: "TemplateRuntimeError", msg: fmt.Sprintf("required block '%s' not found", n.name)})
		}
		r.renderBlock(n.name, stack, 0, ctx, out)
	case *extendsStmt:
		if f.x.parent != nil {
			// Jinja2 reports this at the line of the extends that won.
			r.line = f.x.extendsLine
			raise(&rtError{kind: "TemplateRuntimeError", msg: "extended multiple times"})
		}
		p := r.loadTemplate(r.eval(n.template, f))
		f.x.parent = p
		f.x.extendsLine = n.line
		for name, def := range p.blocks {
			f.ctx.blocks[name] = append(f.ctx.blocks[name], def)
		}
	case *includeStmt:
		r.include(n, f, out)
	case *importStmt:
		mod := r.importModule(n.template, n.withContext, n.locals, f)
		f.set(n.target, mod)
		if n.toplevel {
			f.ctx.vars[n.target] = mod
			f.ctx.unexport(n.target)
		}
	case *fromImportStmt:
		mod := r.importModule(n.template, n.withContext, n.locals, f)
		for _, nm := range n.names {
			v, ok := mod.exports.Get(nm[0])
			if !ok {
				v = &undefined{name: nm[0], hint: fmt.Sprintf("the template %s (imported on line %d in %s) does not export the requested name %s",
					pyReprString(mod.name), n.line, pyReprString(f.x.tpl.name), pyReprString(nm[0]))}
			}
			f.set(nm[1], v)
			if n.toplevel {
				f.ctx.vars[nm[1]] = v
				f.ctx.unexport(nm[1])
			}
		}
	case *assignStmt:
		v := r.eval(n.node, f)
		r.line = n.line
		r.assign(n.target, v, f, n.toplevel)
	case *assignBlockStmt:
		bf := r.enterFrame(n.frame, f, f.ctx, f.x)
		buf := r.newOutput()
		r.execBody(n.body, bf, buf)
		var v any = string(buf.buf)
		if n.filter != nil {
			r.line = n.line
			v = r.applyFilter(n.filter, v, bf)
		}
		r.assign(n.target, v, f, n.toplevel)
	default:
		panic(fmt.Sprintf("unknown statement %T", s))
	}
}

func (c *tctx) unexport(name string) {
	for i, e := range c.exported {
		if e == name {
			c.exported = append(c.exported[:i], c.exported[i+1:]...)
			return
		}
	}
}

// assign stores v into a target: a name, a tuple of targets or a
// namespace attribute.
func (r *renderer) assign(target expr, v any, f *frame, toplevel bool) {
	switch t := target.(type) {
	case *nameExpr:
		f.set(t.name, v)
		if toplevel {
			f.ctx.vars[t.name] = v
			f.ctx.export(t.name)
		}
	case *tupleExpr:
		items := r.unpack(v, len(t.items))
		for i, it := range t.items {
			r.assign(it, items[i], f, toplevel)
		}
	case *nsRefExpr:
		ns, ok := f.lookup(t.level, t.name).(*namespace)
		if !ok {
			raise(&rtError{kind: "TemplateRuntimeError", msg: "cannot assign attribute on non-namespace object"})
		}
		ns.attrs.set(t.attr, t.attr, v)
	}
}

// unpack is Python's sequence unpacking into n targets.
func (r *renderer) unpack(v any, n int) []any {
	switch v.(type) {
	case nil, bool, int64, float64, *macro:
		raiseType("cannot unpack non-iterable %s object", typeName(v))
	}
	it, _, _ := iterate(v)
	out := make([]any, 0, n)
	for {
		x, ok := it.next()
		if !ok {
			break
		}
		if len(out) == n {
			raise(valueErr("too many values to unpack (expected %d)", n))
		}
		out = append(out, x)
	}
	if len(out) < n {
		raise(valueErr("not enough values to unpack (expected %d, got %d)", n, len(out)))
	}
	return out
}

// forLoop runs a for loop over iterable.
func (r *renderer) forLoop(n *forStmt, f *frame, iterable any, out *output, depth0 int) {
	it, length, hasLen := iterate(iterable)
	var src iterator = it
	if n.test != nil {
		tf := r.enterFrame(n.testFrame, f, f.ctx, f.x)
		src = &filterIter{r: r, n: n, tf: tf, src: it}
		hasLen = false
	}
	var lc *loopCtx
	if n.extended {
		lc = &loopCtx{it: src, index0: -1, n: int(length), hasLen: hasLen, after: missing, before: missing, current: missing, lastChanged: missing, depth0: depth0, r: r}
		if n.recursive {
			lc.recurse = func(iterable any) any {
				buf := r.newOutput()
				r.enterCall()
				file, line := r.file, r.line
				r.forLoop(n, f, iterable, buf, depth0+1)
				r.file, r.line = file, line
				r.leaveCall()
				return r.str(string(buf.buf))
			}
		}
	}
	iterated := false
	for {
		var item any
		var ok bool
		if lc != nil {
			item, ok = lc.advance()
		} else {
			item, ok = src.next()
		}
		if !ok {
			break
		}
		r.tick()
		iterated = true
		bf := r.enterFrame(n.bodyFrame, f, f.ctx, f.x)
		if lc != nil {
			bf.set("loop", lc)
		}
		r.line = n.line
		r.assign(n.target, item, bf, false)
		r.execBody(n.body, bf, out)
	}
	if !iterated && len(n.else_) > 0 {
		ef := r.enterFrame(n.elseFrame, f, f.ctx, f.x)
		r.execBody(n.else_, ef, out)
	}
}

// renderBlock renders stack[idx], a definition of block name.
func (r *renderer) renderBlock(name string, stack []*blockDef, idx int, ctx *tctx, out *output) {
	r.enterCall()
	file, line := r.file, r.line
	def := stack[idx]
	x := &tplExec{tpl: def.tpl}
	bf := r.enterFrame(def.node.frame, nil, ctx, x)
	bf.set("self", &templateRef{ctx: ctx, x: x})
	bf.set("super", r.superOf(name, def, ctx))
	r.execBody(def.node.body, bf, out)
	r.file, r.line = file, line
	r.leaveCall()
}

// superOf is Context.super: the next definition of the block after def.
func (r *renderer) superOf(name string, def *blockDef, ctx *tctx) any {
	stack := ctx.blocks[name]
	for i, d := range stack {
		if d == def {
			if i+1 < len(stack) {
				return &blockRef{name: name, ctx: ctx, stack: stack, depth: i + 1}
			}
			break
		}
	}
	return &undefined{name: "super", hint: fmt.Sprintf("there is no parent block called '%s'.", name)}
}

// blockRef is Jinja2's BlockReference: super() and self.name().
type blockRef struct {
	name  string
	ctx   *tctx
	stack []*blockDef
	depth int
}

func (b *blockRef) render(r *renderer) string {
	buf := r.newOutput()
	r.renderBlock(b.name, b.stack, b.depth, b.ctx, buf)
	return r.str(string(buf.buf))
}

// templateRef is the "self" variable.
type templateRef struct {
	ctx *tctx
	x   *tplExec
}

// module is an imported template.
type module struct {
	name    string
	body    string
	exports *Dict
}

func (r *renderer) include(n *includeStmt, f *frame, out *output) {
	name := r.eval(n.template, f)
	var t *Template
	if n.ignoreMissing {
		switch l := name.(type) {
		case []any:
			for _, x := range l {
				if t = r.tryTemplate(x); t != nil {
					break
				}
			}
		case tuple:
			for _, x := range l {
				if t = r.tryTemplate(x); t != nil {
					break
				}
			}
		default:
			t = r.tryTemplate(name)
		}
		if t == nil {
			return
		}
	} else {
		t = r.selectTemplate(name)
	}
	var c *tctx
	if n.withContext {
		c = newContext(t, f.ctx.getAll(), f.locals(n.locals))
	} else {
		c = newContext(t, r.env.globals, nil)
	}
	file, line := r.file, r.line
	r.renderRoot(t, c, out)
	r.file, r.line = file, line
}

func (r *renderer) importModule(nameExpr expr, withContext bool, locals []localRef, f *frame) *module {
	t := r.loadTemplate(r.eval(nameExpr, f))
	var c *tctx
	if withContext {
		c = newContext(t, f.ctx.getAll(), f.locals(locals))
	} else {
		c = newContext(t, r.env.globals, nil)
	}
	buf := r.newOutput()
	file, line := r.file, r.line
	r.renderRoot(t, c, buf)
	r.file, r.line = file, line
	m := &module{name: t.name, body: r.str(string(buf.buf)), exports: NewDict()}
	for _, k := range c.exported {
		m.exports.set(k, k, c.vars[k])
	}
	return m
}
