package jinja

// The syntax tree mirrors Jinja2's nodes so that the scoping analysis in
// symbols.go can follow Jinja2's compiler step by step.

// node is any syntax tree node.
type node interface{ lineno() int }

// expr is an expression node.
type expr interface {
	node
	isExpr()
}

// stmt is a statement node.
type stmt interface {
	node
	isStmt()
}

type pos struct{ line int }

func (p pos) lineno() int { return p.line }

// nameCtx says how a name is used.
type nameCtx uint8

const (
	ctxLoad nameCtx = iota
	ctxStore
	ctxParam
)

// ---- expressions

type constExpr struct {
	pos
	value any
}

type nameExpr struct {
	pos
	name  string
	ctx   nameCtx
	level int // for loads: the frame level that holds the name
}

type tupleExpr struct {
	pos
	items []expr
	ctx   nameCtx
}

type listExpr struct {
	pos
	items []expr
}

type dictExpr struct {
	pos
	keys, values []expr
}

type getattrExpr struct {
	pos
	node expr
	attr string
}

type getitemExpr struct {
	pos
	node expr
	arg  expr
}

type sliceExpr struct {
	pos
	start, stop, step expr // each may be nil
}

type keyword struct {
	key   string
	value expr
}

// callArgs is the argument list of a call, filter or test.
type callArgs struct {
	args      []expr
	kwargs    []keyword
	dynArgs   expr
	dynKwargs expr
}

type callExpr struct {
	pos
	node expr
	callArgs
}

type filterExpr struct {
	pos
	node expr // nil inside a filter block
	name string
	callArgs
}

type testExpr struct {
	pos
	node expr
	name string
	callArgs
}

type condExpr struct {
	pos
	test, expr1, expr2 expr // expr2 may be nil
}

// binExpr is one of + - * / // % **.
type binExpr struct {
	pos
	op          string
	left, right expr
}

// unaryExpr is "-", "+" or "not".
type unaryExpr struct {
	pos
	op   string
	node expr
}

type andExpr struct {
	pos
	left, right expr
}

type orExpr struct {
	pos
	left, right expr
}

type concatExpr struct {
	pos
	nodes []expr
}

type operand struct {
	op   string // eq ne lt lteq gt gteq in notin
	expr expr
}

type compareExpr struct {
	pos
	expr expr
	ops  []operand
}

// nsRefExpr is the target of {% set ns.attr = ... %}.
type nsRefExpr struct {
	pos
	name  string
	attr  string
	level int
}

func (*constExpr) isExpr()   {}
func (*nameExpr) isExpr()    {}
func (*tupleExpr) isExpr()   {}
func (*listExpr) isExpr()    {}
func (*dictExpr) isExpr()    {}
func (*getattrExpr) isExpr() {}
func (*getitemExpr) isExpr() {}
func (*sliceExpr) isExpr()   {}
func (*callExpr) isExpr()    {}
func (*filterExpr) isExpr()  {}
func (*testExpr) isExpr()    {}
func (*condExpr) isExpr()    {}
func (*binExpr) isExpr()     {}
func (*unaryExpr) isExpr()   {}
func (*andExpr) isExpr()     {}
func (*orExpr) isExpr()      {}
func (*concatExpr) isExpr()  {}
func (*compareExpr) isExpr() {}
func (*nsRefExpr) isExpr()   {}

// ---- statements

// templateData is literal text inside an output node.
type templateData struct {
	pos
	data string
}

func (*templateData) isExpr() {}

// outputStmt prints its nodes: templateData or expressions.
type outputStmt struct {
	pos
	nodes []expr
}

type ifStmt struct {
	pos
	test  expr
	body  []stmt
	elifs []*ifStmt
	else_ []stmt
}

type forStmt struct {
	pos
	target    expr
	iter      expr
	body      []stmt
	else_     []stmt
	test      expr
	recursive bool

	// filled by the analysis
	extended  bool // the body uses "loop"
	bodyFrame *frameInfo
	elseFrame *frameInfo
	testFrame *frameInfo
}

type macroStmt struct {
	pos
	name     string
	args     []*nameExpr
	defaults []expr
	body     []stmt
	frame    *frameInfo
	// special parameters the body uses
	caller, kwargs, varargs bool
}

type callBlockStmt struct {
	pos
	call  *callExpr
	macro *macroStmt // the caller
}

type filterBlockStmt struct {
	pos
	filter *filterExpr
	body   []stmt
	frame  *frameInfo
}

type withStmt struct {
	pos
	targets []expr
	values  []expr
	body    []stmt
	frame   *frameInfo
	// Jinja2 compiles the values without a line of their own: errors in
	// them point at the last line its generated code was tagged with.
	valueLine int
}

type blockStmt struct {
	pos
	name     string
	body     []stmt
	scoped   bool
	required bool
	frame    *frameInfo
	// statically known at the place of the block statement
	toplevel bool
	// the template's definition (set when the template is built)
	def    *blockDef
	locals []localRef // for scoped blocks
}

type extendsStmt struct {
	pos
	template expr
}

type includeStmt struct {
	pos
	template      expr
	ignoreMissing bool
	withContext   bool
	locals        []localRef
}

type importStmt struct {
	pos
	template    expr
	target      string
	withContext bool
	locals      []localRef
	toplevel    bool
}

type fromImportStmt struct {
	pos
	template    expr
	names       [][2]string // name, alias
	withContext bool
	locals      []localRef
	toplevel    bool
}

type assignStmt struct {
	pos
	target   expr
	node     expr
	toplevel bool
}

type assignBlockStmt struct {
	pos
	target   expr
	filter   *filterExpr // may be nil
	body     []stmt
	frame    *frameInfo
	toplevel bool
}

func (*outputStmt) isStmt()      {}
func (*ifStmt) isStmt()          {}
func (*forStmt) isStmt()         {}
func (*macroStmt) isStmt()       {}
func (*callBlockStmt) isStmt()   {}
func (*filterBlockStmt) isStmt() {}
func (*withStmt) isStmt()        {}
func (*blockStmt) isStmt()       {}
func (*extendsStmt) isStmt()     {}
func (*includeStmt) isStmt()     {}
func (*importStmt) isStmt()      {}
func (*fromImportStmt) isStmt()  {}
func (*assignStmt) isStmt()      {}
func (*assignBlockStmt) isStmt() {}

// localRef names a variable of the enclosing frames that is passed on to
// an included template or a derived context.
type localRef struct {
	name  string
	level int
}

// loadKind says how a frame initializes a name when it is entered.
type loadKind uint8

const (
	loadParam loadKind = iota
	loadResolve
	loadAlias
	loadUndefined
)

type loadInstr struct {
	name       string
	kind       loadKind
	aliasLevel int
}

// frameInfo is what the analysis knows about a frame: its level, how to
// initialize its names and whether output needs the extends check.
type frameInfo struct {
	level       int
	loads       []loadInstr
	outputCheck bool
}
