package subst

import "strings"

// RefKind says what a reference in a template is.
type RefKind int

// Kinds of Ref.
const (
	// RefVariable is ${NAME} or ${NAME:offset:length}.
	RefVariable RefKind = iota
	// RefFunction is ${NAME(args)}, optionally followed by :offset:length.
	RefFunction
	// RefExpression is $[ expression ].
	RefExpression
)

func (k RefKind) String() string {
	switch k {
	case RefFunction:
		return "function"
	case RefExpression:
		return "expression"
	}
	return "variable"
}

// Ref is one ${…}, $[…] or, inside the arguments of PP_EACH_USER, %{…}
// of a template, as Scan finds it without substituting anything.
type Ref struct {
	Kind RefKind
	// Name is the variable or function name as written; "" for an
	// expression, and when the name is computed by a nested reference
	// (Dynamic).
	Name string
	// Dynamic reports a name built by a nested reference (${A${B}}): only
	// a render can tell what it is.
	Dynamic bool
	// Args are a function's arguments as written, unsubstituted.
	Args string
	// Start and End are the byte offsets of the reference in the scanned
	// text, from its '$' (or '%') to just after its closing delimiter.
	Start, End int
	// Line and Col are the 1-based position of Start (Col in bytes).
	Line, Col int
	// Depth is 0 for a reference in the text itself, 1 for one inside
	// another reference, and so on.
	Depth int
	// Percent marks a %{…} placeholder of PP_EACH_USER, substituted
	// against every other phone.
	Percent bool
	// Unterminated reports a reference with no closing delimiter:
	// Asterisk warns and takes the rest of the text as the reference.
	Unterminated bool
	// Unclosed reports a function call without a closing parenthesis.
	Unclosed bool
}

// Scan lists every reference of tmpl, nested ones included, in the order
// of their start, the way substitution would find them (the same brace and
// bracket counting as Substitute). Nothing is evaluated: a reference whose
// name is computed is reported Dynamic, and the %{…} placeholders inside
// the arguments of PP_EACH_USER are reported with Percent set.
func Scan(tmpl string) []Ref {
	var sc scanner
	sc.lines = lineStarts(tmpl)
	sc.scan(tmpl, 0, 0)
	return sc.refs
}

type scanner struct {
	refs  []Ref
	lines []int // byte offset of the start of each line
	// percent are the byte ranges of the template where "%{" opens a
	// reference: the arguments of PP_EACH_USER calls.
	percent [][2]int
}

// inPercent reports whether byte off of the template is inside the
// arguments of a PP_EACH_USER call.
func (sc *scanner) inPercent(off int) bool {
	for _, r := range sc.percent {
		if off >= r[0] && off < r[1] {
			return true
		}
	}
	return false
}

// scan finds the references of s, which starts at byte base of the
// whole template.
func (sc *scanner) scan(s string, base, depth int) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c != '$' && !(c == '%' && sc.inPercent(base+i))) || i+1 >= len(s) {
			continue
		}
		next := s[i+1]
		isVar := next == '{'
		if !isVar && (c == '%' || next != '[') {
			continue
		}
		body, rest, _ := scanReference(s[i+2:], isVar)
		end := len(s) - len(rest)
		closed := end > i+2+len(body) // the closing delimiter was found
		ref := Ref{
			Start:        base + i,
			End:          base + end,
			Depth:        depth,
			Percent:      c == '%',
			Unterminated: !closed,
		}
		ref.Line, ref.Col = sc.position(ref.Start)
		bodyBase := base + i + 2
		if !isVar {
			ref.Kind = RefExpression
			sc.refs = append(sc.refs, ref)
			sc.scan(body, bodyBase, depth+1)
			i = end - 1
			continue
		}
		name, isFunc, args, argsAt, unclosed, dynamic := splitReference(body)
		ref.Name, ref.Dynamic, ref.Unclosed = name, dynamic, unclosed
		if isFunc {
			ref.Kind = RefFunction
			ref.Args = args
		}
		sc.refs = append(sc.refs, ref)
		// The contents are substituted as a whole before the call, so
		// nested references are those of the whole body; PP_EACH_USER's
		// arguments also carry %{…} placeholders.
		if isFunc && !dynamic && name == "PP_EACH_USER" {
			sc.percent = append(sc.percent, [2]int{bodyBase + argsAt, bodyBase + argsAt + len(args)})
		}
		sc.scan(body, bodyBase, depth+1)
		i = end - 1
	}
}

// splitReference parses the contents of a ${…} as parse_variable_name and
// the function call do, on the raw text: the name runs to the first '(' or
// to the first ':' outside parentheses, nested references skipped; a
// function's arguments run from that '(' to the last ')'.
func splitReference(body string) (name string, isFunc bool, args string, argsAt int, unclosed, dynamic bool) {
	end := len(body)
	parens := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '$' && i+1 < len(body) && (body[i+1] == '{' || body[i+1] == '[') {
			_, rest, _ := scanReference(body[i+2:], body[i+1] == '{')
			if !isFunc {
				dynamic = true
			}
			i = len(body) - len(rest) - 1
			continue
		}
		switch c {
		case '(':
			if !isFunc {
				isFunc = true
				name = body[:i]
				argsAt = i + 1
			}
			parens++
		case ')':
			parens--
		case ':':
			if parens == 0 {
				end = i
				i = len(body)
			}
		}
	}
	if !isFunc {
		name = body[:end]
		if dynamic {
			name = ""
		}
		return name, false, "", 0, false, dynamic
	}
	args = body[argsAt:end]
	if j := strings.LastIndexByte(args, ')'); j >= 0 {
		args = args[:j]
	} else {
		unclosed = true
	}
	if dynamic {
		name = ""
	}
	return name, true, args, argsAt, unclosed, dynamic
}

// lineStarts returns the byte offset of the start of every line of s.
func lineStarts(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// position returns the 1-based line and column of byte offset off.
func (sc *scanner) position(off int) (line, col int) {
	lo, hi := 0, len(sc.lines)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if sc.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1, off - sc.lines[lo] + 1
}
