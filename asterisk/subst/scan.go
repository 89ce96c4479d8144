package subst

import "strings"

// substitute appends tmpl, substituted against scope, to dst. It follows
// ast_str_substitute_variables_full2:
//
//   - text is copied until a '$'; "${" starts a variable or function, "$["
//     an expression, and any other '$' is literal; there is no escape;
//   - the end of a ${…} is found by counting every '{' and '}' (and "${");
//     a "${" or "$[" inside means the contents are substituted first, and
//     the result names the variable or function;
//   - results are never rescanned;
//   - a missing closing brace takes the rest of the text as the name.
func (r *render) substitute(dst []byte, tmpl string, scope Scope, depth int) []byte {
	if depth > r.eng.maxDepth {
		r.fail(ErrDepth)
		return dst
	}
	start := len(dst)
	if depth == 0 {
		r.top = tmpl
	}
	for len(tmpl) > 0 {
		i := strings.IndexByte(tmpl, '$')
		if i < 0 {
			dst = r.appendText(dst, start, depth, tmpl, tmpl)
			break
		}
		if i+1 >= len(tmpl) || (tmpl[i+1] != '{' && tmpl[i+1] != '[') {
			dst = r.appendText(dst, start, depth, tmpl, tmpl[:i+1])
			tmpl = tmpl[i+1:]
			continue
		}
		dst = r.appendText(dst, start, depth, tmpl, tmpl[:i])
		isVar := tmpl[i+1] == '{'
		body, rest, needsub := scanReference(tmpl[i+2:], isVar)
		tmpl = rest

		if r.calls++; r.calls > r.eng.maxCalls {
			r.fail(ErrCalls)
			return dst
		}
		text := body
		if needsub {
			text = string(r.substitute(nil, body, scope, depth+1))
		}
		var val string
		var ok bool
		if isVar {
			val, ok = r.reference(text, scope, depth, len(dst)-start)
		} else {
			if r.eng.expr != nil {
				val, ok = r.eng.expr(text), true
			}
		}
		if ok {
			dst = r.appendCapped(dst, start, depth, val)
		}
		if r.err != nil {
			return dst
		}
	}
	return dst
}

// appendText appends s, the start of rest — what remains of the text
// being substituted — as appendCapped does, and records it as a Literal
// when it is a long enough run of the top-level template (at depth 0,
// rest is a suffix of it).
func (r *render) appendText(dst []byte, start, depth int, rest, s string) []byte {
	at := len(dst) - start
	dst = r.appendCapped(dst, start, depth, s)
	if depth == 0 && r.opts.Literals > 0 && len(s) >= r.opts.Literals && r.err == nil {
		r.literals = append(r.literals, Literal{At: at, From: len(r.top) - len(rest), Len: len(s)})
	}
	return dst
}

// appendCapped appends s to dst unless this substitution (which began at
// dst[start], depth levels down) would exceed the output limit; then it
// appends what fits and records ErrOutput.
func (r *render) appendCapped(dst []byte, start, depth int, s string) []byte {
	room := r.eng.maxOutput - (len(dst) - start)
	if depth == 0 {
		room -= r.spliced // the top-level output's gaps count too
	}
	if len(s) > room {
		if room > 0 {
			dst = append(dst, s[:room]...)
		}
		r.fail(ErrOutput)
		return dst
	}
	return append(dst, s...)
}

// scanReference finds the end of a ${…} (isVar) or $[…] whose contents
// start at s. It returns the contents, the text after the closing
// delimiter, and whether the contents hold a nested ${ or $[.
func scanReference(s string, isVar bool) (body, rest string, needsub bool) {
	open, close := byte('{'), byte('}')
	if !isVar {
		open, close = '[', ']'
	}
	depth := 1
	i := 0
	for depth > 0 && i < len(s) {
		c := s[i]
		switch {
		case c == '$' && i+1 < len(s) && s[i+1] == open:
			// A nested reference of the same kind counts as an opening.
			needsub = true
			depth++
			i++
		case c == '$' && i+1 < len(s) && (s[i+1] == '{' || s[i+1] == '['):
			// A nested reference of the other kind: its opening character
			// is skipped, not counted.
			needsub = true
			i++
		case c == open:
			depth++
		case c == close:
			depth--
		}
		i++
	}
	n := i
	if depth == 0 {
		n-- // the closing delimiter is not part of the contents
	}
	return s[:n], s[i:], needsub
}

// reference evaluates the contents of a ${…}: a variable or a function call,
// optionally followed by :offset[:length]. at is the length of the output
// so far.
func (r *render) reference(text string, scope Scope, depth, at int) (string, bool) {
	name, offset, length, isFunc := parseVariableName(text)
	var val string
	var ok bool
	if isFunc {
		direct := depth == 0 && offset == 0 && length == maxInt32
		val, ok = r.call(name, scope, depth, direct, at)
	} else {
		val, ok = r.lookup(name, scope)
	}
	if !ok {
		return "", false
	}
	return Substring(val, offset, length), true
}

// parseVariableName splits "name:offset:length" at the first ':' outside
// parentheses (parse_variable_name). isFunc reports a '(' before that point.
// A missing or non-numeric offset is 0 and a missing length is "to the end".
func parseVariableName(text string) (name string, offset, length int, isFunc bool) {
	offset, length = 0, maxInt32
	parens := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '(':
			isFunc = true
			parens++
		case ')':
			parens--
		case ':':
			if parens == 0 {
				offset, length = scanOffsetLength(text[i+1:])
				return text[:i], offset, length, isFunc
			}
		}
	}
	return text, offset, length, isFunc
}

const maxInt32 = 1<<31 - 1

// scanOffsetLength reads "%30d:%30d" as glibc's sscanf would: each number
// may be preceded by white space and a sign, is read from at most 30
// characters, saturates at the limits of a C long and is then truncated to
// an int. Conversions that fail leave the defaults 0 and INT_MAX.
func scanOffsetLength(s string) (offset, length int) {
	offset, length = 0, maxInt32
	v, rest, ok := scanInt(s)
	if !ok {
		return
	}
	offset = v
	if len(rest) == 0 || rest[0] != ':' {
		return
	}
	if v, _, ok := scanInt(rest[1:]); ok {
		length = v
	}
	return
}

// scanInt is one %30d conversion.
func scanInt(s string) (int, string, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	s = s[i:]
	width := 30
	if len(s) < width {
		width = len(s)
	}
	j := 0
	neg := false
	if j < width && (s[j] == '+' || s[j] == '-') {
		neg = s[j] == '-'
		j++
	}
	digits := j
	const maxLong = 1<<63 - 1
	var v uint64
	overflow := false
	for j < width && s[j] >= '0' && s[j] <= '9' {
		d := uint64(s[j] - '0')
		if !overflow {
			if v > (maxLong-d)/10 {
				overflow = true
			} else {
				v = v*10 + d
			}
		}
		j++
	}
	if j == digits {
		return 0, s, false
	}
	var l int64
	switch {
	case overflow && neg:
		l = -maxLong - 1
	case overflow:
		l = maxLong
	case neg:
		l = -int64(v)
	default:
		l = int64(v)
	}
	return int(int32(l)), s[j:], true
}

func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// Substring applies ${VAR:offset:length} to s (ast_str_substring): a
// negative offset counts from the end (clamped to the start), an offset past
// the end gives "", a negative length drops that many bytes from the end.
func Substring(s string, offset, length int) string {
	n := len(s)
	if offset == 0 && length >= n {
		return s
	}
	if offset < 0 {
		offset += n
		if offset < 0 {
			offset = 0
		}
	}
	if offset >= n {
		return ""
	}
	s = s[offset:]
	n = len(s)
	switch {
	case length >= 0 && length < n:
		return s[:length]
	case length < 0:
		if n > -length {
			return s[:n+length]
		}
		return ""
	}
	return s
}

func indexByte(s string, c byte) int { return strings.IndexByte(s, c) }

func lastIndexByte(s string, c byte) int { return strings.LastIndexByte(s, c) }
