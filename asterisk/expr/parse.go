package expr

import "fmt"

// The parser is a hand-built shift-reduce machine equivalent to the LALR
// tables bison 2.4.1 generated from ast_expr2.y. It keeps bison's
// observable behaviour:
//
//   - Precedence, lowest first: ',' ; '?' '::' ; '|' ; '&' ; comparisons ;
//     '+' '-' ; '*' '/' '%' ; unary '!' '-' ; ':' '=~' '~~'. All binary
//     operators are left associative.
//   - Default reductions: in a state that can reduce, an unexpected token
//     first triggers every pending reduction, so when the text before a
//     syntax error is a complete expression, the "start" rule has already
//     stored its value and ast_str_expr() prints it ("1 + 2 3" gives 3).
//     Only when the error comes while something is still open (an
//     operator awaiting its operand, '(', '?', a function call) is
//     nothing stored, and "0" is printed.
//   - The stack holds at most maxParserStates states (YYMAXDEPTH);
//     needing more is the "memory exhausted" syntax error.

// maxParserStates is bison's YYMAXDEPTH: the stack may never hold this
// many states (the initial state plus one per pending symbol).
const maxParserStates = 10000

// Operator precedence levels from the %left/%right declarations.
const (
	precNone = iota
	precComma
	precCond // ? and ::
	precOr
	precAnd
	precCompare
	precAdditive
	precMultiplicative
	precUnary // ! and unary -
	precRegex // : =~ ~~
)

// binaryPrec returns the precedence of a token that can follow an
// expression as a binary operator, or precNone. '::' is left out: it can
// only be shifted right after "expr ? expr".
func binaryPrec(k tokKind) int {
	switch k {
	case tokCond:
		return precCond
	case tokOr:
		return precOr
	case tokAnd:
		return precAnd
	case tokEq, tokNe, tokLt, tokGt, tokLe, tokGe:
		return precCompare
	case tokPlus, tokMinus:
		return precAdditive
	case tokMult, tokDiv, tokMod:
		return precMultiplicative
	case tokColon, tokEqTilde, tokTildeTilde:
		return precRegex
	}
	return precNone
}

// symKind is the grammar symbol held by a stack entry.
type symKind uint8

const (
	symWord   symKind = iota // TOKEN not yet reduced to expr
	symExpr                  // expr
	symBinary                // a binary operator, '?' or '::'
	symUnary                 // unary '-' or '!'
	symLParen                // '('
	symArgs                  // arglist
	symComma                 // ',' inside an argument list
)

// symbol is one entry of the parser stack; val holds the operand of a
// symWord or symExpr, tok the operator, args an argument list.
type symbol struct {
	kind symKind
	tok  tokKind
	val  *value
	args []*value
}

// parser evaluates while it parses, as the bison actions do.
type parser struct {
	lex   lexer
	stack []symbol
	limit *limits
}

// syntaxError describes a bison syntax error.
func syntaxError(t token) error {
	return fmt.Errorf("%w: unexpected %v at offset %d", ErrSyntax, t.kind, t.offset)
}

// parse runs the machine over src. It returns the value the start rule
// stored (nil when it never ran) and the syntax error, if any.
func parse(src string, lim *limits) (*value, error) {
	p := &parser{lex: lexer{src: src}, limit: lim}
	t := p.lex.next()
	for {
		n := len(p.stack)
		if n == 0 || p.wantsOperand() {
			if startsOperand(t) {
				if err := p.push(symbolFor(t)); err != nil {
					return nil, err
				}
				t = p.lex.next()
				continue
			}
			switch {
			case n == 0:
				// start: %empty stores an empty string.
				v := stringValue("")
				if t.kind == tokEOF {
					return v, nil
				}
				return v, syntaxError(t)
			case p.stack[n-1].kind == symComma:
				// arglist: arglist ',' — an empty argument.
				p.stack = p.stack[:n-1]
				p.stack[n-2].args = append(p.stack[n-2].args, stringValue(""))
				continue
			}
			return nil, syntaxError(t)
		}
		top := &p.stack[n-1]
		switch top.kind {
		case symWord:
			if t.kind == tokLP {
				if err := p.push(symbol{kind: symLParen}); err != nil {
					return nil, err
				}
				t = p.lex.next()
				continue
			}
			top.kind = symExpr // expr: TOKEN
			continue
		case symArgs:
			switch t.kind {
			case tokRP:
				// expr: TOKEN '(' arglist ')'
				name, args := p.stack[n-3].val, top.args
				if err := p.push(symbol{kind: symLParen}); err != nil {
					return nil, err
				}
				p.stack = p.stack[:n-3]
				p.stack = append(p.stack, symbol{kind: symExpr, val: callFunction(name.str, args)})
				t = p.lex.next()
				continue
			case tokComma:
				if err := p.push(symbol{kind: symComma}); err != nil {
					return nil, err
				}
				t = p.lex.next()
				continue
			}
			return nil, syntaxError(t)
		}
		// The top is an expression: shift an operator or reduce.
		var below *symbol
		if n >= 2 {
			below = &p.stack[n-2]
		}
		prec := binaryPrec(t.kind)
		shift := false
		switch {
		case below == nil:
			if prec == precNone {
				// start: expr
				if t.kind == tokEOF {
					return top.val, nil
				}
				return top.val, syntaxError(t)
			}
			shift = true
		case below.kind == symBinary && below.tok == tokCond:
			if prec == precNone && t.kind != tokColonColon {
				return nil, syntaxError(t)
			}
			shift = true
		case below.kind == symBinary && below.tok == tokColonColon:
			shift = prec > precCond
		case below.kind == symBinary:
			shift = prec > binaryPrec(below.tok)
		case below.kind == symUnary:
			shift = prec > precUnary
		case below.kind == symLParen:
			if prec != precNone {
				shift = true
				break
			}
			if n >= 3 && p.stack[n-3].kind == symWord {
				// arglist: expr
				*top = symbol{kind: symArgs, args: []*value{top.val}}
				continue
			}
			if t.kind != tokRP {
				return nil, syntaxError(t)
			}
			// expr: '(' expr ')'
			v := top.val
			if err := p.push(symbol{kind: symLParen}); err != nil {
				return nil, err
			}
			p.stack = append(p.stack[:n-2], symbol{kind: symExpr, val: v})
			t = p.lex.next()
			continue
		case below.kind == symComma:
			if prec != precNone {
				shift = true
				break
			}
			// arglist: arglist ',' expr
			args := &p.stack[n-3]
			args.args = append(args.args, top.val)
			p.stack = p.stack[:n-2]
			continue
		}
		if shift {
			if err := p.push(symbol{kind: symBinary, tok: t.kind}); err != nil {
				return nil, err
			}
			t = p.lex.next()
			continue
		}
		if err := p.reduce(); err != nil {
			return nil, err
		}
	}
}

// wantsOperand reports whether the top state expects an operand next.
func (p *parser) wantsOperand() bool {
	switch p.stack[len(p.stack)-1].kind {
	case symBinary, symUnary, symLParen, symComma:
		return true
	}
	return false
}

// startsOperand reports whether t can begin an operand.
func startsOperand(t token) bool {
	switch t.kind {
	case tokWord, tokLP, tokMinus, tokCompl:
		return true
	}
	return false
}

// symbolFor returns the stack entry for a shifted operand-start token.
func symbolFor(t token) symbol {
	switch t.kind {
	case tokWord:
		v := &value{kind: kindString, str: t.text}
		if t.numeric {
			v.kind = kindNumeric
		}
		return symbol{kind: symWord, val: v}
	case tokLP:
		return symbol{kind: symLParen}
	}
	return symbol{kind: symUnary, tok: t.kind}
}

// push shifts a symbol, failing like bison when the stack is full.
func (p *parser) push(s symbol) error {
	if len(p.stack)+2 > maxParserStates-1 {
		return fmt.Errorf("%w: parser stack exhausted (more than %d pending symbols)", ErrSyntax, maxParserStates-2)
	}
	p.stack = append(p.stack, s)
	return nil
}

// reduce applies the unary, binary or conditional rule ending at the top.
func (p *parser) reduce() error {
	n := len(p.stack)
	below := p.stack[n-2]
	var v *value
	cut := n - 3
	switch {
	case below.kind == symUnary:
		cut = n - 2
		if below.tok == tokMinus {
			v = opNegate(p.stack[n-1].val)
		} else {
			v = opCompl(p.stack[n-1].val)
		}
	case below.tok == tokColonColon:
		cut = n - 5
		v = opCond(p.stack[n-5].val, p.stack[n-3].val, p.stack[n-1].val)
	default:
		a, b := p.stack[n-3].val, p.stack[n-1].val
		if below.tok == tokColon || below.tok == tokEqTilde {
			if err := p.limit.chargeRegex(a, b); err != nil {
				return err
			}
		}
		v = binary(below.tok, a, b)
	}
	if err := p.limit.check(v); err != nil {
		return err
	}
	p.stack = append(p.stack[:cut], symbol{kind: symExpr, val: v})
	return nil
}

// binary applies a binary operator.
func binary(k tokKind, a, b *value) *value {
	switch k {
	case tokColon:
		return opColon(a, b)
	case tokEqTilde:
		return opEqTilde(a, b)
	case tokOr:
		return opOr(a, b)
	case tokAnd:
		return opAnd(a, b)
	case tokEq:
		return opEq(a, b)
	case tokNe:
		return opNe(a, b)
	case tokLt:
		return opLt(a, b)
	case tokGt:
		return opGt(a, b)
	case tokLe:
		return opLe(a, b)
	case tokGe:
		return opGe(a, b)
	case tokPlus:
		return opPlus(a, b)
	case tokMinus:
		return opMinus(a, b)
	case tokMult:
		return opTimes(a, b)
	case tokDiv:
		return opDiv(a, b)
	case tokMod:
		return opRem(a, b)
	case tokTildeTilde:
		return opTildeTilde(a, b)
	}
	// Unreachable: only the operators above are ever shifted as binary.
	return intValue(0)
}
