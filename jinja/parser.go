package jinja

import (
	"fmt"
	"strings"
)

// maxNesting bounds how deeply expressions and statements may nest, so
// that hostile templates cannot exhaust the stack.
const maxNesting = 200

type parser struct {
	toks     []token
	i        int
	tagStack []string
	endStack [][]string
	depth    int
}

// parse turns a normalized template source into statements.
func parse(src string) ([]stmt, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	var body []stmt
	err = catchSyntax(func() {
		body = p.subparse(nil)
		for _, s := range body {
			checkDepth(s, 0)
		}
	})
	return body, err
}

// checkDepth bounds the depth of the syntax tree: chains such as
// "a|f|f|f..." or "1+1+1..." parse iteratively but evaluate recursively.
func checkDepth(n node, depth int) {
	if depth > maxNesting {
		panic(&syntaxError{line: n.lineno(), msg: fmt.Sprintf("template nests deeper than %d levels", maxNesting)})
	}
	for _, c := range children(n) {
		checkDepth(c, depth+1)
	}
}

// catchSyntax turns a syntax panic raised by the parser into an error.
func catchSyntax(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*syntaxError)
			if !ok {
				panic(r)
			}
			err = se
		}
	}()
	f()
	return nil
}

func (p *parser) fail(line int, format string, args ...any) {
	panic(&syntaxError{line: line, msg: fmt.Sprintf(format, args...)})
}

func (p *parser) cur() token { return p.check(p.toks[p.i]) }

// check raises a lexing error when the parser reaches it.
func (p *parser) check(t token) token {
	if t.kind == tokError {
		panic(&syntaxError{line: t.line, msg: t.val})
	}
	return t
}

func (p *parser) next() token {
	t := p.cur()
	if t.kind != tokEOF {
		p.i++
		p.check(p.toks[p.i])
	}
	return t
}

func (p *parser) look() token {
	if p.i+1 < len(p.toks) {
		return p.check(p.toks[p.i+1])
	}
	return p.toks[len(p.toks)-1]
}

func isName(t token, name string) bool { return t.kind == tokName && t.val == name }
func isOp(t token, op string) bool     { return t.kind == tokOp && t.val == op }

func (p *parser) skipOp(op string) bool {
	if isOp(p.cur(), op) {
		p.i++
		return true
	}
	return false
}

func (p *parser) skipName(name string) bool {
	if isName(p.cur(), name) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectOp(op string) token {
	t := p.cur()
	if !isOp(t, op) {
		p.unexpected(t, "'"+op+"'")
	}
	return p.next()
}

func (p *parser) expectKind(k tokenKind, what string) token {
	t := p.cur()
	if t.kind != k {
		p.unexpected(t, what)
	}
	return p.next()
}

func (p *parser) expectName(name string) token {
	t := p.cur()
	if !isName(t, name) {
		p.unexpected(t, "'"+name+"'")
	}
	return p.next()
}

func (p *parser) unexpected(t token, want string) {
	if t.kind == tokEOF {
		p.fail(t.line, "unexpected end of template, expected %s", want)
	}
	p.fail(t.line, "expected %s, got '%s'", want, t.describe())
}

func (p *parser) enter(line int) {
	p.depth++
	if p.depth > maxNesting {
		p.fail(line, "template nests deeper than %d levels", maxNesting)
	}
}

func (p *parser) leave() { p.depth-- }

// subparse parses statements and data until one of end (tag names) starts
// a statement; the tag name is then the current token.
func (p *parser) subparse(end []string) []stmt {
	var body []stmt
	var data []expr
	dataLine := 0
	if end != nil {
		p.endStack = append(p.endStack, end)
		defer func() { p.endStack = p.endStack[:len(p.endStack)-1] }()
	}
	flush := func() {
		if len(data) > 0 {
			body = append(body, &outputStmt{pos{dataLine}, data})
			data = nil
		}
	}
	add := func(e expr) {
		if len(data) == 0 {
			dataLine = e.lineno()
		}
		data = append(data, e)
	}
	for {
		t := p.cur()
		switch t.kind {
		case tokEOF:
			flush()
			return body
		case tokData:
			add(&templateData{pos{t.line}, t.val})
			p.next()
		case tokVarBegin:
			p.next()
			add(p.parseTuple(false, true, nil, false))
			p.expectKind(tokVarEnd, "end of print statement")
		case tokBlockBegin:
			flush()
			p.next()
			if end != nil && p.cur().kind == tokName {
				for _, e := range end {
					if p.cur().val == e {
						return body
					}
				}
			}
			body = append(body, p.parseStatement()...)
			p.expectKind(tokBlockEnd, "end of statement block")
		default:
			p.fail(t.line, "unexpected '%s'", t.describe())
		}
	}
}

// failUnknownTag explains an unknown or misplaced tag, or a missing end
// tag when name is empty.
func (p *parser) failUnknownTag(name string, line int, stack [][]string) {
	var msg string
	if name == "" {
		msg = "unexpected end of template"
	} else {
		msg = fmt.Sprintf("unknown tag '%s'", name)
	}
	if len(stack) > 0 {
		want := stack[len(stack)-1]
		quoted := make([]string, len(want))
		for i, w := range want {
			quoted[i] = "'" + w + "'"
		}
		expected := false
		for _, s := range stack {
			for _, w := range s {
				if w == name {
					expected = true
				}
			}
		}
		if expected {
			msg = fmt.Sprintf("unexpected tag '%s' (nesting mistake?), expected %s", name, strings.Join(quoted, " or "))
		} else {
			msg += ", expected " + strings.Join(quoted, " or ")
		}
	}
	if len(p.tagStack) > 0 {
		msg += fmt.Sprintf(" to close '%s'", p.tagStack[len(p.tagStack)-1])
	}
	p.fail(line, "%s", msg)
}

// parseStatements parses the body of a statement up to one of end; the
// end tag name is the current token when it returns, or consumed if drop.
func (p *parser) parseStatements(end []string, drop bool) []stmt {
	p.skipOp(":")
	p.expectKind(tokBlockEnd, "end of statement block")
	body := p.subparse(end)
	if p.cur().kind == tokEOF {
		stack := append(append([][]string{}, p.endStack...), end)
		p.failUnknownTag("", p.cur().line, stack)
	}
	if drop {
		p.next()
	}
	return body
}

func (p *parser) parseStatement() []stmt {
	t := p.cur()
	if t.kind != tokName {
		p.fail(t.line, "tag name expected")
	}
	p.enter(t.line)
	defer p.leave()
	p.tagStack = append(p.tagStack, t.val)
	defer func() { p.tagStack = p.tagStack[:len(p.tagStack)-1] }()
	switch t.val {
	case "for":
		return []stmt{p.parseFor()}
	case "if":
		return []stmt{p.parseIf()}
	case "block":
		return []stmt{p.parseBlock()}
	case "extends":
		p.next()
		return []stmt{&extendsStmt{pos{t.line}, p.parseExpression(true)}}
	case "print":
		p.next()
		var nodes []expr
		for p.cur().kind != tokBlockEnd {
			if len(nodes) > 0 {
				p.expectOp(",")
			}
			nodes = append(nodes, p.parseExpression(true))
		}
		return []stmt{&outputStmt{pos{t.line}, nodes}}
	case "macro":
		return []stmt{p.parseMacro()}
	case "include":
		return []stmt{p.parseInclude()}
	case "from":
		return []stmt{p.parseFrom()}
	case "import":
		return []stmt{p.parseImport()}
	case "set":
		return []stmt{p.parseSet()}
	case "with":
		return []stmt{p.parseWith()}
	case "call":
		return []stmt{p.parseCallBlock()}
	case "filter":
		return []stmt{p.parseFilterBlock()}
	case "autoescape":
		p.fail(t.line, "the autoescape tag is not supported")
	}
	p.tagStack = p.tagStack[:len(p.tagStack)-1]
	defer func() { p.tagStack = append(p.tagStack, "") }()
	p.failUnknownTag(t.val, t.line, p.endStack)
	return nil
}

func (p *parser) parseSet() stmt {
	line := p.next().line
	target := p.parseAssignTarget(true, false, nil, true)
	if p.skipOp("=") {
		return &assignStmt{pos: pos{line}, target: target, node: p.parseTuple(false, true, nil, false)}
	}
	var filter *filterExpr
	if isOp(p.cur(), "|") {
		filter = p.parseFilter(nil, false).(*filterExpr)
	}
	body := p.parseStatements([]string{"endset"}, true)
	return &assignBlockStmt{pos: pos{line}, target: target, filter: filter, body: body}
}

func (p *parser) parseFor() stmt {
	line := p.expectName("for").line
	target := p.parseAssignTarget(true, false, []string{"in"}, false)
	p.expectName("in")
	iter := p.parseTuple(false, false, []string{"recursive"}, false)
	var test expr
	if p.skipName("if") {
		test = p.parseExpression(true)
	}
	recursive := p.skipName("recursive")
	body := p.parseStatements([]string{"endfor", "else"}, false)
	var else_ []stmt
	if p.next().val != "endfor" {
		else_ = p.parseStatements([]string{"endfor"}, true)
	}
	return &forStmt{pos: pos{line}, target: target, iter: iter, body: body, else_: else_, test: test, recursive: recursive}
}

func (p *parser) parseIf() stmt {
	result := &ifStmt{pos: pos{p.expectName("if").line}}
	node := result
	for {
		node.test = p.parseTuple(false, false, nil, false)
		node.body = p.parseStatements([]string{"elif", "else", "endif"}, false)
		t := p.next()
		if t.val == "elif" {
			node = &ifStmt{pos: pos{p.cur().line}}
			result.elifs = append(result.elifs, node)
			continue
		}
		if t.val == "else" {
			result.else_ = p.parseStatements([]string{"endif"}, true)
		}
		return result
	}
}

func (p *parser) parseWith() stmt {
	w := &withStmt{pos: pos{p.next().line}}
	for p.cur().kind != tokBlockEnd {
		if len(w.targets) > 0 {
			p.expectOp(",")
		}
		target := p.parseAssignTarget(true, false, nil, false)
		setCtx(target, ctxParam)
		w.targets = append(w.targets, target)
		p.expectOp("=")
		w.values = append(w.values, p.parseExpression(true))
	}
	w.body = p.parseStatements([]string{"endwith"}, true)
	return w
}

func (p *parser) parseBlock() stmt {
	b := &blockStmt{pos: pos{p.next().line}}
	b.name = p.expectKind(tokName, "block name").val
	b.scoped = p.skipName("scoped")
	b.required = p.skipName("required")
	if isOp(p.cur(), "-") {
		p.fail(p.cur().line, "block names must be valid identifiers and may not contain hyphens, use an underscore instead")
	}
	b.body = p.parseStatements([]string{"endblock"}, true)
	if b.required {
		for _, s := range b.body {
			out, ok := s.(*outputStmt)
			if !ok {
				p.fail(b.line, "required blocks can only contain comments or whitespace")
			}
			for _, n := range out.nodes {
				d, ok := n.(*templateData)
				if !ok || strings.TrimFunc(d.data, pyIsSpace) != "" || d.data == "" {
					p.fail(b.line, "required blocks can only contain comments or whitespace")
				}
			}
		}
	}
	p.skipName(b.name)
	return b
}

func (p *parser) parseContext(def bool) bool {
	t := p.cur()
	if (isName(t, "with") || isName(t, "without")) && isName(p.look(), "context") {
		p.next()
		p.next()
		return t.val == "with"
	}
	return def
}

func (p *parser) parseInclude() stmt {
	n := &includeStmt{pos: pos{p.next().line}}
	n.template = p.parseExpression(true)
	if isName(p.cur(), "ignore") && isName(p.look(), "missing") {
		n.ignoreMissing = true
		p.next()
		p.next()
	}
	n.withContext = p.parseContext(true)
	return n
}

func (p *parser) parseImport() stmt {
	n := &importStmt{pos: pos{p.next().line}}
	n.template = p.parseExpression(true)
	p.expectName("as")
	n.target = p.expectKind(tokName, "name").val
	n.withContext = p.parseContext(false)
	return n
}

func (p *parser) parseFrom() stmt {
	n := &fromImportStmt{pos: pos{p.next().line}}
	n.template = p.parseExpression(true)
	p.expectName("import")
	context := func() bool {
		t := p.cur()
		if (t.val == "with" || t.val == "without") && isName(p.look(), "context") {
			n.withContext = p.next().val == "with"
			p.next()
			return true
		}
		return false
	}
	for {
		if len(n.names) > 0 {
			p.expectOp(",")
		}
		if p.cur().kind != tokName {
			p.expectKind(tokName, "name")
		}
		if context() {
			break
		}
		t := p.next()
		if strings.HasPrefix(t.val, "_") {
			panic(&syntaxError{line: t.line, msg: "names starting with an underline can not be imported", assert: true})
		}
		alias := t.val
		if p.skipName("as") {
			alias = p.expectKind(tokName, "name").val
		}
		n.names = append(n.names, [2]string{t.val, alias})
		if context() || !isOp(p.cur(), ",") {
			break
		}
	}
	return n
}

func (p *parser) parseSignature() ([]*nameExpr, []expr) {
	var args []*nameExpr
	var defaults []expr
	p.expectOp("(")
	for !isOp(p.cur(), ")") {
		if len(args) > 0 {
			p.expectOp(",")
		}
		t := p.expectKind(tokName, "name")
		arg := &nameExpr{pos: pos{t.line}, name: t.val, ctx: ctxParam}
		if p.skipOp("=") {
			defaults = append(defaults, p.parseExpression(true))
		} else if len(defaults) > 0 {
			p.fail(t.line, "non-default argument follows default argument")
		}
		args = append(args, arg)
	}
	p.expectOp(")")
	return args, defaults
}

func (p *parser) parseMacro() stmt {
	m := &macroStmt{pos: pos{p.next().line}}
	m.name = p.expectKind(tokName, "name").val
	m.args, m.defaults = p.parseSignature()
	m.body = p.parseStatements([]string{"endmacro"}, true)
	return m
}

func (p *parser) parseCallBlock() stmt {
	line := p.next().line
	m := &macroStmt{pos: pos{line}, name: "caller"}
	if isOp(p.cur(), "(") {
		m.args, m.defaults = p.parseSignature()
	}
	call, ok := p.parseExpression(true).(*callExpr)
	if !ok {
		p.fail(line, "expected call")
	}
	m.body = p.parseStatements([]string{"endcall"}, true)
	return &callBlockStmt{pos: pos{line}, call: call, macro: m}
}

func (p *parser) parseFilterBlock() stmt {
	line := p.next().line
	f := p.parseFilter(nil, true).(*filterExpr)
	body := p.parseStatements([]string{"endfilter"}, true)
	return &filterBlockStmt{pos: pos{line}, filter: f, body: body}
}

func setCtx(e expr, c nameCtx) {
	switch n := e.(type) {
	case *nameExpr:
		n.ctx = c
	case *tupleExpr:
		n.ctx = c
		for _, it := range n.items {
			setCtx(it, c)
		}
	}
}

func (p *parser) parseAssignTarget(withTuple, nameOnly bool, extraEnd []string, withNamespace bool) expr {
	t := p.cur()
	if withNamespace && isOp(p.look(), ".") {
		name := p.expectKind(tokName, "name")
		p.next()
		attr := p.expectKind(tokName, "name")
		return &nsRefExpr{pos: pos{name.line}, name: name.val, attr: attr.val}
	}
	if nameOnly {
		n := p.expectKind(tokName, "name")
		return &nameExpr{pos: pos{n.line}, name: n.val, ctx: ctxStore}
	}
	var target expr
	if withTuple {
		target = p.parseTuple(true, true, extraEnd, false)
	} else {
		target = p.parsePrimary()
	}
	if !canAssign(target) {
		p.fail(t.line, "can't assign to %s", nodeKind(target))
	}
	setCtx(target, ctxStore)
	return target
}

func canAssign(e expr) bool {
	switch n := e.(type) {
	case *nameExpr:
		return true
	case *tupleExpr:
		for _, it := range n.items {
			if !canAssign(it) {
				return false
			}
		}
		return true
	}
	return false
}

func nodeKind(e expr) string {
	switch e.(type) {
	case *constExpr:
		return "'const'"
	case *listExpr:
		return "'list'"
	case *dictExpr:
		return "'dict'"
	}
	return "this expression"
}

func (p *parser) parseExpression(withCondExpr bool) expr {
	if withCondExpr {
		return p.parseCondExpr()
	}
	return p.parseOr()
}

func (p *parser) parseCondExpr() expr {
	line := p.cur().line
	p.enter(line)
	defer p.leave()
	e1 := p.parseOr()
	for p.skipName("if") {
		e2 := p.parseOr()
		var e3 expr
		if p.skipName("else") {
			e3 = p.parseCondExpr()
		}
		e1 = &condExpr{pos{line}, e2, e1, e3}
		line = p.cur().line
	}
	return e1
}

func (p *parser) parseOr() expr {
	line := p.cur().line
	left := p.parseAnd()
	for p.skipName("or") {
		left = &orExpr{pos{line}, left, p.parseAnd()}
		line = p.cur().line
	}
	return left
}

func (p *parser) parseAnd() expr {
	line := p.cur().line
	left := p.parseNot()
	for p.skipName("and") {
		left = &andExpr{pos{line}, left, p.parseNot()}
		line = p.cur().line
	}
	return left
}

func (p *parser) parseNot() expr {
	if isName(p.cur(), "not") {
		line := p.next().line
		p.enter(line)
		defer p.leave()
		return &unaryExpr{pos{line}, "not", p.parseNot()}
	}
	return p.parseCompare()
}

var compareOps = map[string]string{"==": "eq", "!=": "ne", "<": "lt", "<=": "lteq", ">": "gt", ">=": "gteq"}

func (p *parser) parseCompare() expr {
	line := p.cur().line
	e := p.parseMath1()
	var ops []operand
	for {
		t := p.cur()
		if op, ok := compareOps[t.val]; ok && t.kind == tokOp {
			p.next()
			ops = append(ops, operand{op, p.parseMath1()})
		} else if p.skipName("in") {
			ops = append(ops, operand{"in", p.parseMath1()})
		} else if isName(t, "not") && isName(p.look(), "in") {
			p.next()
			p.next()
			ops = append(ops, operand{"notin", p.parseMath1()})
		} else {
			break
		}
		line = p.cur().line
	}
	if len(ops) == 0 {
		return e
	}
	return &compareExpr{pos{line}, e, ops}
}

func (p *parser) parseMath1() expr {
	line := p.cur().line
	left := p.parseConcat()
	for t := p.cur(); isOp(t, "+") || isOp(t, "-"); t = p.cur() {
		p.next()
		left = &binExpr{pos{line}, t.val, left, p.parseConcat()}
		line = p.cur().line
	}
	return left
}

func (p *parser) parseConcat() expr {
	line := p.cur().line
	args := []expr{p.parseMath2()}
	for p.skipOp("~") {
		args = append(args, p.parseMath2())
	}
	if len(args) == 1 {
		return args[0]
	}
	return &concatExpr{pos{line}, args}
}

func (p *parser) parseMath2() expr {
	line := p.cur().line
	left := p.parsePow()
	for t := p.cur(); t.kind == tokOp && (t.val == "*" || t.val == "/" || t.val == "//" || t.val == "%"); t = p.cur() {
		p.next()
		left = &binExpr{pos{line}, t.val, left, p.parsePow()}
		line = p.cur().line
	}
	return left
}

func (p *parser) parsePow() expr {
	line := p.cur().line
	left := p.parseUnary(true)
	for p.skipOp("**") {
		left = &binExpr{pos{line}, "**", left, p.parseUnary(true)}
		line = p.cur().line
	}
	return left
}

func (p *parser) parseUnary(withFilter bool) expr {
	t := p.cur()
	p.enter(t.line)
	defer p.leave()
	var n expr
	switch {
	case isOp(t, "-"):
		p.next()
		n = &unaryExpr{pos{t.line}, "-", p.parseUnary(false)}
	case isOp(t, "+"):
		p.next()
		n = &unaryExpr{pos{t.line}, "+", p.parseUnary(false)}
	default:
		n = p.parsePrimary()
	}
	n = p.parsePostfix(n)
	if withFilter {
		n = p.parseFilterExpr(n)
	}
	return n
}

func (p *parser) parsePrimary() expr {
	t := p.cur()
	switch t.kind {
	case tokName:
		p.next()
		switch t.val {
		case "true", "True":
			return &constExpr{pos{t.line}, true}
		case "false", "False":
			return &constExpr{pos{t.line}, false}
		case "none", "None":
			return &constExpr{pos{t.line}, nil}
		}
		return &nameExpr{pos: pos{t.line}, name: t.val}
	case tokString:
		p.next()
		s := t.val
		for p.cur().kind == tokString {
			s += p.next().val
		}
		return &constExpr{pos{t.line}, s}
	case tokInt, tokFloat:
		p.next()
		return &constExpr{pos{t.line}, t.num}
	case tokOp:
		switch t.val {
		case "(":
			p.next()
			e := p.parseTuple(false, true, nil, true)
			p.expectOp(")")
			return e
		case "[":
			return p.parseList()
		case "{":
			return p.parseDict()
		}
	}
	if t.kind == tokEOF {
		p.fail(t.line, "unexpected end of template")
	}
	p.fail(t.line, "unexpected '%s'", t.describe())
	return nil
}

func (p *parser) isTupleEnd(extraEnd []string) bool {
	t := p.cur()
	if t.kind == tokVarEnd || t.kind == tokBlockEnd || isOp(t, ")") {
		return true
	}
	for _, e := range extraEnd {
		if isName(t, e) {
			return true
		}
	}
	return false
}

// parseTuple parses an expression, or a tuple if commas separate several.
func (p *parser) parseTuple(simplified, withCondExpr bool, extraEnd []string, explicitParens bool) expr {
	line := p.cur().line
	parse := func() expr {
		if simplified {
			return p.parsePrimary()
		}
		return p.parseExpression(withCondExpr)
	}
	var args []expr
	isTuple := false
	for {
		if len(args) > 0 {
			p.expectOp(",")
		}
		if p.isTupleEnd(extraEnd) {
			break
		}
		args = append(args, parse())
		if isOp(p.cur(), ",") {
			isTuple = true
		} else {
			break
		}
		line = p.cur().line
	}
	if !isTuple {
		if len(args) > 0 {
			return args[0]
		}
		if !explicitParens {
			t := p.cur()
			if t.kind == tokEOF {
				p.fail(t.line, "unexpected end of template, expected an expression")
			}
			p.fail(t.line, "expected an expression, got '%s'", t.describe())
		}
	}
	return &tupleExpr{pos: pos{line}, items: args}
}

func (p *parser) parseList() expr {
	t := p.expectOp("[")
	var items []expr
	for !isOp(p.cur(), "]") {
		if len(items) > 0 {
			p.expectOp(",")
		}
		if isOp(p.cur(), "]") {
			break
		}
		items = append(items, p.parseExpression(true))
	}
	p.expectOp("]")
	return &listExpr{pos{t.line}, items}
}

func (p *parser) parseDict() expr {
	t := p.expectOp("{")
	d := &dictExpr{pos: pos{t.line}}
	for !isOp(p.cur(), "}") {
		if len(d.keys) > 0 {
			p.expectOp(",")
		}
		if isOp(p.cur(), "}") {
			break
		}
		d.keys = append(d.keys, p.parseExpression(true))
		p.expectOp(":")
		d.values = append(d.values, p.parseExpression(true))
	}
	p.expectOp("}")
	return d
}

func (p *parser) parsePostfix(n expr) expr {
	for {
		t := p.cur()
		switch {
		case isOp(t, ".") || isOp(t, "["):
			n = p.parseSubscript(n)
		case isOp(t, "("):
			n = p.parseCall(n)
		default:
			return n
		}
	}
}

func (p *parser) parseFilterExpr(n expr) expr {
	for {
		t := p.cur()
		switch {
		case isOp(t, "|"):
			n = p.parseFilter(n, false)
		case isName(t, "is"):
			n = p.parseTest(n)
		case isOp(t, "("):
			n = p.parseCall(n)
		default:
			return n
		}
	}
}

func (p *parser) parseSubscript(n expr) expr {
	t := p.next()
	if t.val == "." {
		a := p.next()
		switch a.kind {
		case tokName:
			return &getattrExpr{pos{t.line}, n, a.val}
		case tokInt:
			return &getitemExpr{pos{t.line}, n, &constExpr{pos{a.line}, a.num}}
		}
		p.fail(a.line, "expected name or number")
	}
	var args []expr
	for !isOp(p.cur(), "]") {
		if len(args) > 0 {
			p.expectOp(",")
		}
		args = append(args, p.parseSubscribed())
	}
	p.expectOp("]")
	if len(args) == 1 {
		return &getitemExpr{pos{t.line}, n, args[0]}
	}
	return &getitemExpr{pos{t.line}, n, &tupleExpr{pos: pos{t.line}, items: args}}
}

func (p *parser) parseSubscribed() expr {
	line := p.cur().line
	var parts []expr
	if p.skipOp(":") {
		parts = append(parts, nil)
	} else {
		e := p.parseExpression(true)
		if !isOp(p.cur(), ":") {
			return e
		}
		p.next()
		parts = append(parts, e)
	}
	endsSlice := func() bool { t := p.cur(); return isOp(t, "]") || isOp(t, ",") }
	if isOp(p.cur(), ":") {
		parts = append(parts, nil)
	} else if !endsSlice() {
		parts = append(parts, p.parseExpression(true))
	} else {
		parts = append(parts, nil)
	}
	if p.skipOp(":") {
		if !endsSlice() {
			parts = append(parts, p.parseExpression(true))
		} else {
			parts = append(parts, nil)
		}
	} else {
		parts = append(parts, nil)
	}
	return &sliceExpr{pos{line}, parts[0], parts[1], parts[2]}
}

func (p *parser) parseCallArgs() callArgs {
	open := p.expectOp("(")
	var a callArgs
	requireComma := false
	ensure := func(ok bool) {
		if !ok {
			p.fail(open.line, "invalid syntax for function call expression")
		}
	}
	for !isOp(p.cur(), ")") {
		if requireComma {
			p.expectOp(",")
			if isOp(p.cur(), ")") {
				break
			}
		}
		switch {
		case isOp(p.cur(), "*"):
			ensure(a.dynArgs == nil && a.dynKwargs == nil)
			p.next()
			a.dynArgs = p.parseExpression(true)
		case isOp(p.cur(), "**"):
			ensure(a.dynKwargs == nil)
			p.next()
			a.dynKwargs = p.parseExpression(true)
		case p.cur().kind == tokName && isOp(p.look(), "="):
			ensure(a.dynKwargs == nil)
			key := p.next().val
			p.next()
			a.kwargs = append(a.kwargs, keyword{key, p.parseExpression(true)})
		default:
			ensure(a.dynArgs == nil && a.dynKwargs == nil && len(a.kwargs) == 0)
			a.args = append(a.args, p.parseExpression(true))
		}
		requireComma = true
	}
	p.expectOp(")")
	return a
}

func (p *parser) parseCall(n expr) expr {
	line := p.cur().line
	return &callExpr{pos{line}, n, p.parseCallArgs()}
}

func (p *parser) parseFilter(n expr, startInline bool) expr {
	for isOp(p.cur(), "|") || startInline {
		if !startInline {
			p.next()
		}
		t := p.expectKind(tokName, "filter name")
		name := t.val
		for p.skipOp(".") {
			name += "." + p.expectKind(tokName, "name").val
		}
		var a callArgs
		if isOp(p.cur(), "(") {
			a = p.parseCallArgs()
		}
		n = &filterExpr{pos{t.line}, n, name, a}
		startInline = false
	}
	return n
}

func (p *parser) parseTest(n expr) expr {
	t := p.next()
	negated := p.skipName("not")
	name := p.expectKind(tokName, "test name").val
	for p.skipOp(".") {
		name += "." + p.expectKind(tokName, "name").val
	}
	var a callArgs
	c := p.cur()
	switch {
	case isOp(c, "("):
		a = p.parseCallArgs()
	case (c.kind == tokName || c.kind == tokString || c.kind == tokInt || c.kind == tokFloat ||
		isOp(c, "[") || isOp(c, "{")) && !isName(c, "else") && !isName(c, "or") && !isName(c, "and"):
		if isName(c, "is") {
			p.fail(c.line, "you cannot chain multiple tests with is")
		}
		arg := p.parsePostfix(p.parsePrimary())
		a.args = []expr{arg}
	}
	var e expr = &testExpr{pos{t.line}, n, name, a}
	if negated {
		e = &unaryExpr{pos{t.line}, "not", e}
	}
	return e
}
