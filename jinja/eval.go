package jinja

import (
	"fmt"
	"math/big"
	"strings"
)

// eval evaluates an expression in frame f.
func (r *renderer) eval(e expr, f *frame) any {
	r.tick()
	switch n := e.(type) {
	case *constExpr:
		return n.value
	case *templateData:
		return n.data
	case *nameExpr:
		if r.constFold {
			panic(notConstant{})
		}
		v := f.lookup(n.level, n.name)
		if v == missing {
			return undefName(n.name)
		}
		return v
	case *tupleExpr:
		out := make(tuple, len(n.items))
		for i, it := range n.items {
			out[i] = r.eval(it, f)
		}
		r.allocItems(len(out))
		return out
	case *listExpr:
		out := make([]any, len(n.items))
		for i, it := range n.items {
			out[i] = r.eval(it, f)
		}
		r.allocItems(len(out))
		return out
	case *dictExpr:
		d := NewDict()
		for i := range n.keys {
			k := r.eval(n.keys[i], f)
			v := r.eval(n.values[i], f)
			if err := d.setKey(k, v); err != nil {
				panic(err)
			}
		}
		r.allocItems(2 * d.Len())
		return d
	case *getattrExpr:
		obj := r.eval(n.node, f)
		return r.getattr(obj, n.attr)
	case *getitemExpr:
		obj := r.eval(n.node, f)
		if s, ok := n.arg.(*sliceExpr); ok {
			var start, stop, step any
			if s.start != nil {
				start = r.eval(s.start, f)
			}
			if s.stop != nil {
				stop = r.eval(s.stop, f)
			}
			if s.step != nil {
				step = r.eval(s.step, f)
			}
			return r.slice(obj, start, stop, step)
		}
		key := r.eval(n.arg, f)
		return r.getitem(obj, key)
	case *callExpr:
		if r.constFold {
			panic(notConstant{})
		}
		callee := r.eval(n.node, f)
		args, kw := r.evalArgs(&n.callArgs, f)
		return r.call(callee, args, kw)
	case *filterExpr:
		if r.constFold {
			switch n.name {
			case "random", "map", "select", "reject", "selectattr", "rejectattr":
				panic(notConstant{})
			}
		}
		v := r.eval(n.node, f)
		return r.applyFilter(n, v, f)
	case *testExpr:
		v := r.eval(n.node, f)
		args, kw := r.evalArgs(&n.callArgs, f)
		return r.runTest(n.name, v, args, kw)
	case *condExpr:
		if truth(r.eval(n.test, f)) {
			return r.eval(n.expr1, f)
		}
		if n.expr2 != nil {
			return r.eval(n.expr2, f)
		}
		if r.constFold {
			panic(notConstant{})
		}
		return &undefined{hint: fmt.Sprintf("the inline if-expression on line %d in %s evaluated to false and no else section was defined.", n.line, pyReprString(f.x.tpl.name))}
	case *binExpr:
		a := r.eval(n.left, f)
		b := r.eval(n.right, f)
		return r.binary(n.op, a, b)
	case *unaryExpr:
		v := r.eval(n.node, f)
		if n.op == "not" {
			return !truth(v)
		}
		return unary(n.op, v)
	case *andExpr:
		l := r.eval(n.left, f)
		if !truth(l) {
			return l
		}
		return r.eval(n.right, f)
	case *orExpr:
		l := r.eval(n.left, f)
		if truth(l) {
			return l
		}
		return r.eval(n.right, f)
	case *concatExpr:
		var b strings.Builder
		for _, it := range n.nodes {
			b.WriteString(toStr(r.eval(it, f)))
		}
		return r.str(b.String())
	case *compareExpr:
		v := r.eval(n.expr, f)
		for _, op := range n.ops {
			w := r.eval(op.expr, f)
			if !compareOp(op.op, v, w) {
				return false
			}
			v = w
		}
		return true
	case *nsRefExpr:
		raise(&rtError{kind: "TemplateRuntimeError", msg: "namespace reference used as a value"})
	}
	panic(fmt.Sprintf("unknown expression %T", e))
}

func compareOp(op string, a, b any) bool {
	switch op {
	case "eq":
		return equal(a, b)
	case "ne":
		return !equal(a, b)
	case "in":
		return contains(b, a)
	case "notin":
		return !contains(b, a)
	}
	return compare(op, a, b)
}

// evalArgs evaluates call arguments, expanding *args and **kwargs.
func (r *renderer) evalArgs(a *callArgs, f *frame) ([]any, *kwargs) {
	var args []any
	if len(a.args) > 0 {
		args = make([]any, len(a.args))
		for i, e := range a.args {
			args[i] = r.eval(e, f)
		}
	}
	var kw *kwargs
	if len(a.kwargs) > 0 {
		kw = &kwargs{}
		for _, k := range a.kwargs {
			kw.set(k.key, r.eval(k.value, f))
		}
	}
	if a.dynArgs != nil {
		it, _, _ := iterate(r.eval(a.dynArgs, f))
		for {
			v, ok := it.next()
			if !ok {
				break
			}
			r.tick()
			args = append(args, v)
		}
	}
	if a.dynKwargs != nil {
		d, ok := r.eval(a.dynKwargs, f).(*Dict)
		if !ok {
			raiseType("argument after ** must be a mapping")
		}
		if kw == nil {
			kw = &kwargs{}
		}
		for i, k := range d.keys {
			s, ok := k.(string)
			if !ok {
				raiseType("keywords must be strings")
			}
			kw.set(s, d.vals[i])
		}
	}
	return args, kw
}

// call calls a callable value.
func (r *renderer) call(callee any, args []any, kw *kwargs) any {
	switch c := callee.(type) {
	case *macro:
		return r.callMacro(c, args, kw)
	case *builtinFunc:
		return c.fn(r, args, kw)
	case *boundMethod:
		return c.fn(r, c.recv, args, kw)
	case *blockRef:
		r.noArgs("BlockReference", args, kw)
		return c.render(r)
	case *loopCtx:
		if c.recurse == nil {
			raiseType("The loop must have the 'recursive' marker to be called recursively.")
		}
		a := r.bind("loop", []string{"iterable"}, 1, nil, args, kw)
		return c.recurse(a[0])
	case *joiner:
		r.noArgs("joiner", args, kw)
		if !c.used {
			c.used = true
			return ""
		}
		return c.sep
	case *undefined:
		c.fail()
	case *unsupportedAttr:
		c.fail()
	}
	raiseType("'%s' object is not callable", typeName(callee))
	return nil
}

func (r *renderer) noArgs(name string, args []any, kw *kwargs) {
	if len(args) > 0 || kw.len() > 0 {
		raiseType("%s() takes no arguments", name)
	}
}

// callMacro is Macro.__call__ followed by the macro body.
func (r *renderer) callMacro(m *macro, args []any, kw *kwargs) any {
	n := m.node
	argc := len(n.args)
	d := m.defFrame
	f := &frame{level: n.frame.level, parent: d, ctx: d.ctx, x: d.x}
	vals := make([]any, argc)
	foundCaller := false
	pos := min(len(args), argc)
	copy(vals, args[:pos])
	if pos != argc {
		for i := pos; i < argc; i++ {
			name := n.args[i].name
			v, ok := kw.pop(name)
			if !ok {
				v = missing
			}
			if name == "caller" {
				foundCaller = true
			}
			vals[i] = v
		}
	} else {
		for _, a := range n.args {
			if a.name == "caller" {
				foundCaller = true
			}
		}
	}
	for i, a := range n.args {
		f.set(a.name, vals[i])
	}
	if n.caller && !foundCaller {
		c, ok := kw.pop("caller")
		if !ok || c == nil {
			c = &undefined{name: "caller", hint: "No caller defined"}
		}
		f.set("caller", c)
	}
	if n.kwargs {
		f.set("kwargs", kw.dict())
	} else if kw.len() > 0 {
		if _, ok := kw.pop("caller"); ok {
			raiseType("macro %s was invoked with two values for the special caller argument. This is most likely a bug.", pyReprString(m.name))
		}
		raiseType("macro %s takes no keyword argument %s", pyReprString(m.name), pyReprString(kw.keys[0]))
	}
	if n.varargs {
		var extra tuple
		if len(args) > argc {
			extra = append(tuple{}, args[argc:]...)
		} else {
			extra = tuple{}
		}
		f.set("varargs", extra)
	} else if len(args) > argc {
		raiseType("macro %s takes not more than %d argument(s)", pyReprString(m.name), argc)
	}

	r.enterCall()
	file, line := r.file, r.line
	for _, l := range n.frame.loads {
		switch l.kind {
		case loadResolve:
			f.set(l.name, f.ctx.resolve(l.name))
		case loadAlias:
			f.set(l.name, d.lookup(l.aliasLevel, l.name))
		case loadUndefined:
			f.set(l.name, missing)
		}
	}
	r.file, r.line = d.x.tpl.file, n.line
	for i, a := range n.args {
		if f.get(a.name) != missing {
			continue
		}
		di := i - (argc - len(n.defaults))
		if di >= 0 {
			f.set(a.name, r.eval(n.defaults[di], f))
		} else {
			f.set(a.name, &undefined{name: a.name, hint: fmt.Sprintf("parameter %s was not provided", pyReprString(a.name))})
		}
	}
	buf := r.newOutput()
	r.execBody(n.body, f, buf)
	r.file, r.line = file, line
	r.leaveCall()
	return r.str(string(buf.buf))
}

// ---- attribute and item access

// getattr is Environment.getattr: a Python attribute first, then an item.
func (r *renderer) getattr(obj any, attr string) any {
	if u, ok := obj.(*undefined); ok {
		u.fail()
	}
	if v, ok := r.attribute(obj, attr); ok {
		return v
	}
	if v, ok := r.item(obj, attr); ok {
		return v
	}
	return &undefined{obj: obj, hasObj: true, name: attr}
}

// getitem is Environment.getitem: an item first, then an attribute.
func (r *renderer) getitem(obj, key any) any {
	if u, ok := obj.(*undefined); ok {
		u.fail()
	}
	if v, ok := r.item(obj, key); ok {
		return v
	}
	if s, ok := key.(string); ok {
		if v, ok := r.attribute(obj, s); ok {
			return v
		}
	}
	return &undefined{obj: obj, hasObj: true, name: key}
}

// item is obj[key]; ok is false where Python raises a lookup or type
// error.
func (r *renderer) item(obj, key any) (any, bool) {
	switch o := obj.(type) {
	case *Dict:
		v, ok, err := o.getKey(key)
		return v, ok && err == nil
	case []any:
		return seqIndex(o, key)
	case tuple:
		return seqIndex(o, key)
	case string:
		return strIndex(o, key)
	case markup:
		v, ok := strIndex(string(o), key)
		if ok {
			return markup(v.(string)), true
		}
		return nil, false
	case *rangeVal:
		i, ok := index(key, o.len())
		if !ok {
			return nil, false
		}
		return o.at(i), true
	case *templateRef:
		name, ok := key.(string)
		if !ok {
			return nil, false
		}
		stack, ok := o.ctx.blocks[name]
		if !ok {
			return nil, false
		}
		return &blockRef{name: name, ctx: o.ctx, stack: stack}, true
	}
	return nil, false
}

// index converts a Python index for a sequence of length n.
func index(key any, n int64) (int64, bool) {
	i, ok := intOf(key)
	if !ok {
		return 0, false
	}
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return 0, false
	}
	return i, true
}

func seqIndex(s []any, key any) (any, bool) {
	i, ok := index(key, int64(len(s)))
	if !ok {
		return nil, false
	}
	return s[i], true
}

func strIndex(s string, key any) (any, bool) {
	if _, ok := intOf(key); !ok {
		return nil, false
	}
	rs := []rune(s)
	i, ok := index(key, int64(len(rs)))
	if !ok {
		return nil, false
	}
	return string(rs[i]), true
}

// slice is obj[start:stop:step].
func (r *renderer) slice(obj, start, stop, step any) any {
	if u, ok := obj.(*undefined); ok {
		u.fail()
	}
	var n int64
	switch o := obj.(type) {
	case []any:
		n = int64(len(o))
	case tuple:
		n = int64(len(o))
	case string, markup:
		n = length(o)
	case *rangeVal:
		n = o.len()
	default:
		raiseType("'%s' object is not subscriptable", typeName(obj))
	}
	lo, hi, st := sliceIndices(start, stop, step, n)
	var idx []int64
	for i := lo; (st > 0 && i < hi) || (st < 0 && i > hi); i += st {
		idx = append(idx, i)
		r.tick()
	}
	switch o := obj.(type) {
	case []any:
		out := make([]any, len(idx))
		for k, i := range idx {
			out[k] = o[i]
		}
		return out
	case tuple:
		out := make(tuple, len(idx))
		for k, i := range idx {
			out[k] = o[i]
		}
		return out
	case string, markup:
		s, _ := strOf(o)
		rs := []rune(s)
		out := make([]rune, len(idx))
		for k, i := range idx {
			out[k] = rs[i]
		}
		if _, ok := o.(markup); ok {
			return markup(out)
		}
		return string(out)
	case *rangeVal:
		return &rangeVal{start: o.start + lo*o.step, stop: o.start + hi*o.step, step: o.step * st}
	}
	return nil
}

// sliceIndices is slice.indices(n).
func sliceIndices(start, stop, step any, n int64) (lo, hi, st int64) {
	conv := func(v any) (int64, bool) {
		if v == nil {
			return 0, false
		}
		if i, ok := intOf(v); ok {
			return i, true
		}
		if b, ok := v.(*big.Int); ok {
			if b.Sign() < 0 {
				return -1 << 62, true
			}
			return 1 << 62, true
		}
		if u, ok := v.(*undefined); ok {
			u.fail()
		}
		raiseType("slice indices must be integers or None or have an __index__ method")
		return 0, false
	}
	st = 1
	if s, ok := conv(step); ok {
		if s == 0 {
			raise(valueErr("slice step cannot be zero"))
		}
		st = s
	}
	clamp := func(v any, def int64) int64 {
		i, ok := conv(v)
		if !ok {
			return def
		}
		if i < 0 {
			i += n
			if i < 0 {
				if st < 0 {
					return -1
				}
				return 0
			}
		} else if i >= n {
			if st < 0 {
				return n - 1
			}
			return n
		}
		return i
	}
	if st > 0 {
		return clamp(start, 0), clamp(stop, n), st
	}
	return clamp(start, n-1), clamp(stop, -1), st
}
