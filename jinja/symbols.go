package jinja

import (
	"context"
	"fmt"
	"slices"
	"sort"
)

// This file reproduces Jinja2's compile-time name resolution (idtracking.py
// and the frame handling of compiler.py): which frame owns each name and
// how a frame initializes its names when it is entered. Jinja2's scoping
// quirks follow from it: a {% set %} inside a loop body does not leak, a
// name assigned at the top level shadows the context from the start of the
// template, a name assigned in only some branches of an {% if %} still
// falls back to the context, and so on.

type symbols struct {
	level  int
	parent *symbols
	refs   map[string]bool
	loads  map[string]loadInstr
	order  []string // insertion order of loads
	stores map[string]bool
}

func newSymbols(parent *symbols) *symbols {
	s := &symbols{parent: parent, refs: map[string]bool{}, loads: map[string]loadInstr{}, stores: map[string]bool{}}
	if parent != nil {
		s.level = parent.level + 1
	}
	return s
}

func (s *symbols) copy() *symbols {
	c := &symbols{level: s.level, parent: s.parent, refs: map[string]bool{}, loads: map[string]loadInstr{}, stores: map[string]bool{}}
	for k := range s.refs {
		c.refs[k] = true
	}
	for k, v := range s.loads {
		c.loads[k] = v
	}
	c.order = slices.Clone(s.order)
	for k := range s.stores {
		c.stores[k] = true
	}
	return c
}

func (s *symbols) setLoad(name string, l loadInstr) {
	if _, ok := s.loads[name]; !ok {
		s.order = append(s.order, name)
	}
	l.name = name
	s.loads[name] = l
}

func (s *symbols) defineRef(name string, l loadInstr) {
	s.refs[name] = true
	s.setLoad(name, l)
}

// findRef returns the level of the frame that owns name.
func (s *symbols) findRef(name string) (int, bool) {
	for n := s; n != nil; n = n.parent {
		if n.refs[name] {
			return n.level, true
		}
	}
	return 0, false
}

func (s *symbols) store(name string) {
	s.stores[name] = true
	if s.refs[name] {
		return
	}
	if s.parent != nil {
		if lvl, ok := s.parent.findRef(name); ok {
			s.defineRef(name, loadInstr{kind: loadAlias, aliasLevel: lvl})
			return
		}
	}
	s.defineRef(name, loadInstr{kind: loadUndefined})
}

func (s *symbols) declareParameter(name string) {
	s.stores[name] = true
	s.defineRef(name, loadInstr{kind: loadParam})
}

func (s *symbols) load(name string) {
	if _, ok := s.findRef(name); !ok {
		s.defineRef(name, loadInstr{kind: loadResolve})
	}
}

func (s *symbols) branchUpdate(branches []*symbols) {
	counts := map[string]int{}
	var names []string
	for _, b := range branches {
		for t := range b.stores {
			if s.stores[t] {
				continue
			}
			if counts[t] == 0 {
				names = append(names, t)
			}
			counts[t]++
		}
	}
	for _, b := range branches {
		for k := range b.refs {
			s.refs[k] = true
		}
		for _, k := range b.order {
			s.setLoad(k, b.loads[k])
		}
		for k := range b.stores {
			s.stores[k] = true
		}
	}
	for _, name := range names {
		if counts[name] == len(branches) {
			continue
		}
		if s.parent != nil {
			if lvl, ok := s.parent.findRef(name); ok {
				s.setLoad(name, loadInstr{kind: loadAlias, aliasLevel: lvl})
				continue
			}
		}
		s.setLoad(name, loadInstr{kind: loadResolve})
	}
}

// dumpStores lists the stored names visible from s, innermost first, as
// Jinja2 passes them to included templates.
func (s *symbols) dumpStores() []localRef {
	seen := map[string]bool{}
	var out []localRef
	for n := s; n != nil; n = n.parent {
		names := make([]string, 0, len(n.stores))
		for k := range n.stores {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if seen[k] {
				continue
			}
			seen[k] = true
			lvl, _ := s.findRef(k)
			out = append(out, localRef{k, lvl})
		}
	}
	return out
}

func (s *symbols) info(outputCheck bool) *frameInfo {
	fi := &frameInfo{level: s.level, outputCheck: outputCheck}
	for _, name := range s.order {
		if l := s.loads[name]; l.kind != loadParam {
			fi.loads = append(fi.loads, l)
		}
	}
	return fi
}

// ---- the frame symbol visitor (FrameSymbolVisitor)

type symVisitor struct{ sym *symbols }

func (v *symVisitor) visitAll(ns []stmt) {
	for _, n := range ns {
		v.visit(n, false)
	}
}

func (v *symVisitor) visit(n node, asParam bool) {
	switch n := n.(type) {
	case nil:
	case *nameExpr:
		switch {
		case asParam || n.ctx == ctxParam:
			v.sym.declareParameter(n.name)
		case n.ctx == ctxStore:
			v.sym.store(n.name)
		default:
			v.sym.load(n.name)
		}
	case *nsRefExpr:
		v.sym.load(n.name)
	case *ifStmt:
		v.visit(n.test, asParam)
		orig := v.sym
		inner := func(ns []node) *symbols {
			v.sym = orig.copy()
			for _, x := range ns {
				v.visit(x, asParam)
			}
			rv := v.sym
			v.sym = orig
			return rv
		}
		body := inner(stmtNodes(n.body))
		var elifs []node
		for _, e := range n.elifs {
			elifs = append(elifs, e)
		}
		el := inner(elifs)
		els := inner(stmtNodes(n.else_))
		v.sym.branchUpdate([]*symbols{body, el, els})
	case *macroStmt:
		v.sym.store(n.name)
	case *importStmt:
		v.visit(n.template, false)
		v.sym.store(n.target)
	case *fromImportStmt:
		v.visit(n.template, false)
		for _, nm := range n.names {
			v.sym.store(nm[1])
		}
	case *assignStmt:
		v.visit(n.node, false)
		v.visit(n.target, false)
	case *forStmt:
		v.visit(n.iter, false)
	case *callBlockStmt:
		v.visit(n.call, false)
	case *filterBlockStmt:
		v.visit(n.filter, false)
	case *withStmt:
		for _, x := range n.values {
			v.visit(x, false)
		}
	case *assignBlockStmt:
		v.visit(n.target, false)
	case *blockStmt:
	default:
		for _, c := range children(n) {
			v.visit(c, asParam)
		}
	}
}

func stmtNodes(ss []stmt) []node {
	out := make([]node, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// children lists the child nodes of n in Jinja2's field order.
func children(n node) []node {
	var out []node
	add := func(xs ...node) {
		for _, x := range xs {
			if x != nil && !isNilNode(x) {
				out = append(out, x)
			}
		}
	}
	addExprs := func(xs []expr) {
		for _, x := range xs {
			add(x)
		}
	}
	addStmts := func(xs []stmt) {
		for _, x := range xs {
			add(x)
		}
	}
	addArgs := func(a *callArgs) {
		addExprs(a.args)
		for _, k := range a.kwargs {
			add(k.value)
		}
		add(a.dynArgs, a.dynKwargs)
	}
	switch n := n.(type) {
	case *tupleExpr:
		addExprs(n.items)
	case *listExpr:
		addExprs(n.items)
	case *dictExpr:
		for i := range n.keys {
			add(n.keys[i], n.values[i])
		}
	case *getattrExpr:
		add(n.node)
	case *getitemExpr:
		add(n.node, n.arg)
	case *sliceExpr:
		add(n.start, n.stop, n.step)
	case *callExpr:
		add(n.node)
		addArgs(&n.callArgs)
	case *filterExpr:
		add(n.node)
		addArgs(&n.callArgs)
	case *testExpr:
		add(n.node)
		addArgs(&n.callArgs)
	case *condExpr:
		add(n.test, n.expr1, n.expr2)
	case *binExpr:
		add(n.left, n.right)
	case *unaryExpr:
		add(n.node)
	case *andExpr:
		add(n.left, n.right)
	case *orExpr:
		add(n.left, n.right)
	case *concatExpr:
		addExprs(n.nodes)
	case *compareExpr:
		add(n.expr)
		for _, o := range n.ops {
			add(o.expr)
		}
	case *outputStmt:
		addExprs(n.nodes)
	case *ifStmt:
		add(n.test)
		addStmts(n.body)
		for _, e := range n.elifs {
			add(e)
		}
		addStmts(n.else_)
	case *forStmt:
		add(n.target, n.iter)
		addStmts(n.body)
		addStmts(n.else_)
		add(n.test)
	case *macroStmt:
		for _, a := range n.args {
			add(a)
		}
		addExprs(n.defaults)
		addStmts(n.body)
	case *callBlockStmt:
		add(n.call)
		for _, a := range n.macro.args {
			add(a)
		}
		addExprs(n.macro.defaults)
		addStmts(n.macro.body)
	case *filterBlockStmt:
		addStmts(n.body)
		add(n.filter)
	case *withStmt:
		addExprs(n.targets)
		addExprs(n.values)
		addStmts(n.body)
	case *blockStmt:
		addStmts(n.body)
	case *extendsStmt:
		add(n.template)
	case *includeStmt:
		add(n.template)
	case *importStmt:
		add(n.template)
	case *fromImportStmt:
		add(n.template)
	case *assignStmt:
		add(n.target, n.node)
	case *assignBlockStmt:
		add(n.target)
		if n.filter != nil {
			add(n.filter)
		}
		addStmts(n.body)
	}
	return out
}

// isNilNode reports a typed nil pointer stored in an interface.
func isNilNode(n node) bool {
	switch x := n.(type) {
	case *filterExpr:
		return x == nil
	case *callExpr:
		return x == nil
	case expr:
		return x == nil
	}
	return false
}

// findUndeclared reports which of names the nodes load before storing,
// not looking into blocks (Jinja2's find_undeclared).
func findUndeclared(ns []node, names ...string) map[string]bool {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	found := map[string]bool{}
	var walk func(n node) bool
	walk = func(n node) bool {
		switch n := n.(type) {
		case *nameExpr:
			if n.ctx == ctxLoad && want[n.name] {
				found[n.name] = true
				if len(found) == len(names) {
					return false
				}
			} else {
				delete(want, n.name)
			}
			return true
		case *blockStmt:
			return true
		}
		for _, c := range children(n) {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	for _, n := range ns {
		if !walk(n) {
			break
		}
	}
	return found
}

// findBlocks lists every block statement in document order.
func findBlocks(ns []node, out *[]*blockStmt) {
	for _, n := range ns {
		if b, ok := n.(*blockStmt); ok {
			*out = append(*out, b)
		}
		findBlocks(children(n), out)
	}
}

func hasExtends(ns []node) bool {
	for _, n := range ns {
		if _, ok := n.(*extendsStmt); ok {
			return true
		}
		if hasExtends(children(n)) {
			return true
		}
	}
	return false
}

// ---- the compile pass: annotates names and builds frame infos

// cframe is the compile-time frame (compiler.py's Frame).
type cframe struct {
	sym         *symbols
	toplevel    bool
	rootlevel   bool
	soft        bool
	outputCheck bool
}

func (f cframe) inner(sym *symbols) cframe {
	return cframe{sym: sym, outputCheck: f.outputCheck}
}

func (f cframe) softFrame() cframe {
	f.rootlevel = false
	f.soft = true
	return f
}

type compiler struct {
	blocks map[string]*blockStmt
	// tag is the template line of the last generated code Jinja2 tags
	// with a line (see withStmt.valueLine); knownExtends is set after a
	// top-level extends, from where Jinja2 omits top-level output.
	tag          int
	knownExtends bool
}

// analyzeTemplate runs the scoping analysis over a parsed template and
// returns the root frame info and the template's blocks.
func analyzeTemplate(body []stmt) (root *frameInfo, blocks map[string]*blockStmt, rootSelf bool, err error) {
	err = catchSyntax(func() {
		c := &compiler{blocks: map[string]*blockStmt{}}
		nodes := stmtNodes(body)
		var all []*blockStmt
		findBlocks(nodes, &all)
		for _, b := range all {
			if _, dup := c.blocks[b.name]; dup {
				panic(&syntaxError{line: b.line, msg: fmt.Sprintf("block '%s' defined twice", b.name), assert: true})
			}
			c.blocks[b.name] = b
		}
		ext := hasExtends(nodes)
		sym := newSymbols(nil)
		if findUndeclared(nodes, "self")["self"] {
			sym.declareParameter("self")
			rootSelf = true
		}
		(&symVisitor{sym}).visitAll(body)
		f := cframe{sym: sym, toplevel: true, rootlevel: true, outputCheck: ext}
		root = sym.info(ext)
		c.tag = 1
		c.stmts(body, f)
		for _, b := range all {
			bs := newSymbols(nil)
			und := findUndeclared(stmtNodes(b.body), "self", "super")
			if und["self"] {
				bs.declareParameter("self")
			}
			if und["super"] {
				bs.declareParameter("super")
			}
			(&symVisitor{bs}).visitAll(b.body)
			b.frame = bs.info(false)
			c.tag, c.knownExtends = b.line, false
			c.stmts(b.body, cframe{sym: bs})
		}
		blocks = c.blocks
	})
	return root, blocks, rootSelf, err
}

func (c *compiler) stmts(ss []stmt, f cframe) {
	for _, s := range ss {
		c.stmt(s, f)
	}
}

func (c *compiler) stmt(s stmt, f cframe) {
	switch n := s.(type) {
	case *outputStmt:
		for _, e := range n.nodes {
			c.expr(e, f)
			if _, data := e.(*templateData); !data && !(f.outputCheck && c.knownExtends) && !isConstant(e) {
				c.tag = e.lineno()
			}
		}
	case *ifStmt:
		sf := f.softFrame()
		c.tag = n.line
		c.expr(n.test, sf)
		c.stmts(n.body, sf)
		for _, e := range n.elifs {
			c.tag = e.line
			c.expr(e.test, sf)
			c.stmts(e.body, sf)
		}
		c.stmts(n.else_, sf)
	case *forStmt:
		c.forStmt(n, f)
	case *macroStmt:
		c.macro(n, f)
	case *callBlockStmt:
		c.expr(n.call, f)
		c.macro(n.macro, f)
		c.tag = n.line
	case *filterBlockStmt:
		sym := newSymbols(f.sym)
		v := &symVisitor{sym}
		v.visitAll(n.body)
		v.visit(n.filter, false)
		ff := f.inner(sym)
		n.frame = sym.info(ff.outputCheck)
		c.stmts(n.body, ff)
		c.expr(n.filter, ff)
		c.tag = n.line
	case *withStmt:
		sym := newSymbols(f.sym)
		v := &symVisitor{sym}
		for _, t := range n.targets {
			v.visit(t, false)
		}
		v.visitAll(n.body)
		wf := f.inner(sym)
		n.frame = sym.info(wf.outputCheck)
		n.valueLine = c.tag
		for i, t := range n.targets {
			c.expr(t, wf)
			c.expr(n.values[i], f)
		}
		c.stmts(n.body, wf)
	case *blockStmt:
		n.toplevel = f.toplevel
		if n.scoped {
			n.locals = f.sym.dumpStores()
		}
		if !(f.toplevel && c.knownExtends) {
			c.tag = n.line
		}
	case *extendsStmt:
		if !f.toplevel {
			panic(&syntaxError{line: n.line, msg: "cannot use extends from a non top-level scope", assert: true})
		}
		c.expr(n.template, f)
		c.tag = n.line
		if f.rootlevel {
			c.knownExtends = true
		}
	case *includeStmt:
		c.tag = n.line
		c.expr(n.template, f)
		if n.withContext {
			n.locals = f.sym.dumpStores()
		}
	case *importStmt:
		c.tag = n.line
		c.expr(n.template, f)
		if n.withContext {
			n.locals = f.sym.dumpStores()
		}
		n.toplevel = f.toplevel
	case *fromImportStmt:
		c.tag = n.line
		c.expr(n.template, f)
		if n.withContext {
			n.locals = f.sym.dumpStores()
		}
		n.toplevel = f.toplevel
	case *assignStmt:
		c.tag = n.line
		c.expr(n.node, f)
		c.expr(n.target, f)
		n.toplevel = f.toplevel
	case *assignBlockStmt:
		sym := newSymbols(f.sym)
		(&symVisitor{sym}).visitAll(n.body)
		bf := cframe{sym: sym}
		n.frame = sym.info(false)
		c.stmts(n.body, bf)
		c.tag = n.line
		c.expr(n.target, f)
		if n.filter != nil {
			c.expr(n.filter, bf)
		}
		n.toplevel = f.toplevel
	}
}

func (c *compiler) forStmt(n *forStmt, f cframe) {
	bodyNodes := stmtNodes(n.body)
	n.extended = n.recursive || findUndeclared(bodyNodes, "loop")["loop"]
	if !n.extended {
		var bs []*blockStmt
		findBlocks([]node{n}, &bs)
		for _, b := range bs {
			if b.scoped {
				n.extended = true
			}
		}
	}
	var check func(e expr)
	check = func(e expr) {
		switch t := e.(type) {
		case *nameExpr:
			if t.name == "loop" {
				panic(&syntaxError{line: t.line, msg: "can't assign to special loop variable in for-loop target", assert: true})
			}
		case *tupleExpr:
			for _, it := range t.items {
				check(it)
			}
		}
	}
	check(n.target)

	loopSym := newSymbols(f.sym)
	if n.extended {
		loopSym.declareParameter("loop")
	}
	v := &symVisitor{loopSym}
	v.visit(n.target, true)
	v.visitAll(n.body)
	lf := f.inner(loopSym)
	n.bodyFrame = loopSym.info(lf.outputCheck)

	c.expr(n.iter, f)
	if n.test != nil {
		c.tag = n.test.lineno()
		testSym := newSymbols(f.sym)
		tv := &symVisitor{testSym}
		tv.visit(n.target, true)
		tv.visit(n.test, false)
		tf := f.inner(testSym)
		n.testFrame = testSym.info(tf.outputCheck)
		c.expr(n.test, tf)
	}
	c.tag = n.line
	c.expr(n.target, lf)
	c.stmts(n.body, lf)
	if len(n.else_) > 0 {
		elseSym := newSymbols(f.sym)
		(&symVisitor{elseSym}).visitAll(n.else_)
		ef := f.inner(elseSym)
		n.elseFrame = elseSym.info(ef.outputCheck)
		c.stmts(n.else_, ef)
	}
}

func (c *compiler) macro(m *macroStmt, f cframe) {
	sym := newSymbols(f.sym)
	v := &symVisitor{sym}
	for _, a := range m.args {
		v.visit(a, false)
	}
	for _, d := range m.defaults {
		v.visit(d, false)
	}
	v.visitAll(m.body)
	und := findUndeclared(stmtNodes(m.body), "caller", "kwargs", "varargs")
	explicit := map[string]bool{}
	for i, a := range m.args {
		explicit[a.name] = true
		if a.name == "caller" && und["caller"] && i < len(m.args)-len(m.defaults) {
			panic(&syntaxError{line: m.line, msg: `when defining macros or call blocks the special "caller" argument must be omitted or be given a default`, assert: true})
		}
	}
	if und["caller"] {
		m.caller = true
		if !explicit["caller"] {
			sym.declareParameter("caller")
		}
	}
	if und["kwargs"] && !explicit["kwargs"] {
		m.kwargs = true
		sym.declareParameter("kwargs")
	}
	if und["varargs"] && !explicit["varargs"] {
		m.varargs = true
		sym.declareParameter("varargs")
	}
	mf := cframe{sym: sym}
	m.frame = sym.info(false)
	c.tag = m.line
	for _, a := range m.args {
		c.expr(a, mf)
	}
	for _, d := range m.defaults {
		c.expr(d, mf)
	}
	c.stmts(m.body, mf)
}

func (c *compiler) expr(e node, f cframe) {
	switch n := e.(type) {
	case nil:
		return
	case *nameExpr:
		if n.ctx == ctxLoad {
			if lvl, ok := f.sym.findRef(n.name); ok {
				n.level = lvl
			} else {
				n.level = -1
			}
		} else {
			n.level = f.sym.level
		}
		return
	case *nsRefExpr:
		if lvl, ok := f.sym.findRef(n.name); ok {
			n.level = lvl
		} else {
			n.level = -1
		}
		return
	case *filterExpr:
		if !knownFilter(n.name) && !f.soft {
			panic(&syntaxError{line: n.line, msg: fmt.Sprintf("no filter named '%s'", n.name), assert: true})
		}
	case *testExpr:
		if !knownTest(n.name) && !f.soft {
			panic(&syntaxError{line: n.line, msg: fmt.Sprintf("no test named '%s'", n.name), assert: true})
		}
	case *condExpr:
		sf := f.softFrame()
		for _, ch := range children(n) {
			c.expr(ch, sf)
		}
		return
	}
	if isNilNode(e) {
		return
	}
	for _, ch := range children(e) {
		c.expr(ch, f)
	}
}

// isConstant tells whether Jinja2 folds an output expression at compile
// time (Node.as_const): it evaluates without names, calls or context
// filters along the branches actually taken, and does not fail.
func isConstant(e expr) (ok bool) {
	env := New(nil, Options{MaxOutput: 1 << 16, MaxSteps: 10_000, MaxDepth: 10, MaxAlloc: 1 << 20})
	r := &renderer{env: env, ctx: context.Background(), constFold: true}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	t := &Template{env: env, file: "const"}
	f := &frame{ctx: &tctx{parent: map[string]any{}, vars: map[string]any{}}, x: &tplExec{tpl: t}}
	r.eval(e, f)
	return true
}
