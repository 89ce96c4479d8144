package jinja

import (
	"fmt"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"
)

// unsupportedAttr is a Python attribute the engine does not implement
// (a mutating list method, str.encode...). Using it is an error, so a
// template never renders differently from Python without saying so.
type unsupportedAttr struct {
	typ, name string
}

func (u *unsupportedAttr) fail() {
	raise(&rtError{kind: "NotSupported", msg: fmt.Sprintf("%s.%s is not supported by this template engine", u.typ, u.name)})
}

type methodFn func(r *renderer, recv any, args []any, kw *kwargs) any

// Names of Python attributes the engine knows exist but does not
// implement.
var (
	dictAttrs  = words("clear copy fromkeys get items keys pop popitem setdefault update values")
	strAttrs   = words("capitalize casefold center count encode endswith expandtabs find format format_map index isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill")
	listAttrs  = words("append clear copy count extend index insert pop remove reverse sort")
	tupleAttrs = words("count index")
	intAttrs   = words("as_integer_ratio bit_count bit_length conjugate denominator from_bytes imag numerator real to_bytes")
	floatAttrs = words("as_integer_ratio conjugate fromhex hex imag is_integer real")
)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// attribute is Python's getattr(obj, name) for the values templates see;
// ok is false where Python raises AttributeError.
func (r *renderer) attribute(obj any, name string) (any, bool) {
	if strings.HasPrefix(name, "__") && strings.HasSuffix(name, "__") {
		// Python's internals (__class__, __globals__...) stay out of reach.
		raise(&rtError{kind: "SecurityError", msg: fmt.Sprintf("access to attribute %s of %s is not allowed", pyReprString(name), typeName(obj))})
	}
	bound := func(kind string, attrs map[string]bool, typ string) (any, bool) {
		if fn, ok := method(kind, name); ok {
			return &boundMethod{recv: obj, name: name, fn: fn}, true
		}
		if attrs[name] {
			return &unsupportedAttr{typ, name}, true
		}
		return nil, false
	}
	switch o := obj.(type) {
	case *Dict:
		return bound("dict", dictAttrs, "dict")
	case string:
		return bound("str", strAttrs, "str")
	case markup:
		if name == "striptags" || name == "unescape" || name == "escape" {
			return &unsupportedAttr{"Markup", name}, true
		}
		return bound("str", strAttrs, "str")
	case []any:
		return bound("list", listAttrs, "list")
	case tuple:
		if name != "count" && name != "index" {
			return bound("", tupleAttrs, "tuple")
		}
		return bound("list", tupleAttrs, "tuple")
	case int64, *big.Int, bool:
		switch name {
		case "real", "numerator":
			n, ok := intOf(o)
			if ok {
				return n, true
			}
			return o, true
		case "imag":
			return int64(0), true
		case "denominator":
			return int64(1), true
		}
		if intAttrs[name] {
			return &unsupportedAttr{"int", name}, true
		}
	case float64:
		switch name {
		case "real":
			return o, true
		case "imag":
			return 0.0, true
		}
		if floatAttrs[name] {
			return &unsupportedAttr{"float", name}, true
		}
	case *loopCtx:
		return loopAttr(r, o, name)
	case *namespace:
		v, ok := o.attrs.Get(name)
		return v, ok
	case *blockRef:
		if name == "super" {
			if o.depth+1 >= len(o.stack) {
				return &undefined{name: "super", hint: fmt.Sprintf("there is no parent block called '%s'.", o.name)}, true
			}
			return &blockRef{name: o.name, ctx: o.ctx, stack: o.stack, depth: o.depth + 1}, true
		}
	case *module:
		v, ok := o.exports.Get(name)
		return v, ok
	case *macro:
		switch name {
		case "name":
			return o.name, true
		case "arguments":
			t := tuple{}
			for _, a := range o.node.args {
				t = append(t, a.name)
			}
			return t, true
		case "catch_kwargs":
			return o.node.kwargs, true
		case "catch_varargs":
			return o.node.varargs, true
		case "caller":
			return o.node.caller, true
		}
	case *rangeVal:
		switch name {
		case "start":
			return o.start, true
		case "stop":
			return o.stop, true
		case "step":
			return o.step, true
		}
	case *cycler:
		switch name {
		case "current":
			return o.items[o.pos], true
		case "next":
			return &boundMethod{recv: o, name: name, fn: func(r *renderer, recv any, args []any, kw *kwargs) any {
				r.noArgs("next", args, kw)
				c := recv.(*cycler)
				v := c.items[c.pos]
				c.pos = (c.pos + 1) % len(c.items)
				return v
			}}, true
		case "reset":
			return &boundMethod{recv: o, name: name, fn: func(r *renderer, recv any, args []any, kw *kwargs) any {
				r.noArgs("reset", args, kw)
				recv.(*cycler).pos = 0
				return nil
			}}, true
		}
	}
	return nil, false
}

func loopAttr(r *renderer, l *loopCtx, name string) (any, bool) {
	switch name {
	case "index0":
		return int64(l.index0), true
	case "index":
		return int64(l.index0 + 1), true
	case "first":
		return l.index0 == 0, true
	case "last":
		return l.peek() == missing, true
	case "length":
		return int64(l.length()), true
	case "revindex":
		return int64(l.length() - l.index0), true
	case "revindex0":
		return int64(l.length() - l.index0 - 1), true
	case "depth0":
		return int64(l.depth0), true
	case "depth":
		return int64(l.depth0 + 1), true
	case "previtem":
		if l.index0 == 0 {
			return &undefined{hint: "there is no previous item"}, true
		}
		return l.before, true
	case "nextitem":
		v := l.peek()
		if v == missing {
			return &undefined{hint: "there is no next item"}, true
		}
		return v, true
	case "cycle":
		return &boundMethod{recv: l, name: name, fn: func(r *renderer, recv any, args []any, kw *kwargs) any {
			if kw.len() > 0 {
				raiseType("cycle() got an unexpected keyword argument")
			}
			if len(args) == 0 {
				raiseType("no items for cycling given")
			}
			return args[recv.(*loopCtx).index0%len(args)]
		}}, true
	case "changed":
		return &boundMethod{recv: l, name: name, fn: func(r *renderer, recv any, args []any, kw *kwargs) any {
			if kw.len() > 0 {
				raiseType("changed() got an unexpected keyword argument")
			}
			lc := recv.(*loopCtx)
			v := tuple(append([]any{}, args...))
			if lc.lastChanged == missing || !equal(lc.lastChanged, v) {
				lc.lastChanged = v
				return true
			}
			return false
		}}, true
	}
	return nil, false
}

// bind maps positional and keyword arguments to parameters like a Python
// function with the given parameter names; the last len(defaults)
// parameters are optional.
func (r *renderer) bind(fname string, params []string, required int, defaults []any, args []any, kw *kwargs) []any {
	if len(args) > len(params) {
		if required == len(params) {
			raiseType("%s() takes %d positional arguments but %d were given", fname, len(params), len(args))
		}
		raiseType("%s() takes from %d to %d positional arguments but %d were given", fname, required, len(params), len(args))
	}
	out := make([]any, len(params))
	copy(out, args)
	set := make([]bool, len(params))
	for i := range args {
		set[i] = true
	}
	if kw != nil {
		for i, k := range kw.keys {
			found := false
			for j, p := range params {
				if p == k {
					if set[j] {
						raiseType("%s() got multiple values for argument '%s'", fname, k)
					}
					out[j] = kw.vals[i]
					set[j] = true
					found = true
				}
			}
			if !found {
				raiseType("%s() got an unexpected keyword argument '%s'", fname, k)
			}
		}
	}
	for j := range params {
		if set[j] {
			continue
		}
		if j < required {
			raiseType("%s() missing required argument: '%s'", fname, params[j])
		}
		out[j] = defaults[j-required]
	}
	return out
}

// ---- argument conversions

func argStr(fname string, v any) string {
	if s, ok := strOf(v); ok {
		return s
	}
	if u, ok := v.(*undefined); ok {
		u.fail()
	}
	raiseType("%s() argument must be str, not %s", fname, typeName(v))
	return ""
}

func argInt(fname string, v any) int64 {
	if i, ok := intOf(v); ok {
		return i
	}
	if b, ok := v.(*big.Int); ok {
		if b.Sign() < 0 {
			return -1 << 62
		}
		return 1 << 62
	}
	if u, ok := v.(*undefined); ok {
		u.fail()
	}
	raiseType("'%s' object cannot be interpreted as an integer", typeName(v))
	return 0
}

// runeRange converts Python start/end arguments (None or ints) to a range
// of rune indices.
func runeRange(start, end any, n int64) (int64, int64) {
	lo, hi := int64(0), n
	if start != nil {
		lo = argInt("slice", start)
		if lo < 0 {
			lo = max(lo+n, 0)
		}
	}
	if end != nil {
		hi = argInt("slice", end)
		if hi < 0 {
			hi = max(hi+n, 0)
		}
	}
	hi = min(hi, n)
	return lo, hi
}

// sameKind returns s as the receiver's string kind (str or Markup).
func sameKind(recv any, s string) any {
	if _, ok := recv.(markup); ok {
		return markup(s)
	}
	return s
}

func recvStr(recv any) string {
	s, _ := strOf(recv)
	return s
}

// method returns the implementation of a Python method: kind is "str",
// "dict" or "list".
func method(kind, name string) (methodFn, bool) {
	switch kind {
	case "str":
		switch name {
		case "upper":
			return strUpper, true
		case "lower":
			return strLower, true
		case "capitalize":
			return strCapitalize, true
		case "title":
			return strTitle, true
		case "startswith", "endswith":
			return strStartswithFamily(name), true
		case "split":
			return strSplit, true
		case "rsplit":
			return strRsplit, true
		case "replace":
			return strReplace, true
		case "strip", "lstrip", "rstrip":
			return strStripFamily(name), true
		case "zfill":
			return strZfill, true
		case "format":
			return strFormat, true
		case "join":
			return strJoin, true
		case "find", "rfind", "index", "rindex", "count":
			return strFindFamily(name), true
		case "center", "ljust", "rjust":
			return strCenterFamily(name), true
		case "isalnum", "isalpha", "isdigit", "isdecimal", "isnumeric", "isspace", "islower", "isupper", "isascii":
			return strIsalnumFamily(name), true
		case "removeprefix":
			return strRemoveprefix, true
		case "removesuffix":
			return strRemovesuffix, true
		case "partition", "rpartition":
			return strPartitionFamily(name), true
		}
	case "dict":
		switch name {
		case "items":
			return dictItems, true
		case "keys":
			return dictKeys, true
		case "values":
			return dictValues, true
		case "get":
			return dictGet, true
		case "copy":
			return dictCopy, true
		}
	case "list":
		switch name {
		case "count":
			return listCount, true
		case "index":
			return listIndex, true
		case "copy":
			return listCopy, true
		}
	}
	return nil, false
}

func strUpper(r *renderer, recv any, args []any, kw *kwargs) any {
	r.bind("upper", nil, 0, nil, args, kw)
	return sameKind(recv, r.str(pyUpper(recvStr(recv))))
}

func strLower(r *renderer, recv any, args []any, kw *kwargs) any {
	r.bind("lower", nil, 0, nil, args, kw)
	return sameKind(recv, r.str(pyLower(recvStr(recv))))
}

func strCapitalize(r *renderer, recv any, args []any, kw *kwargs) any {
	r.bind("capitalize", nil, 0, nil, args, kw)
	return sameKind(recv, r.str(pyCapitalize(recvStr(recv))))
}

func strTitle(r *renderer, recv any, args []any, kw *kwargs) any {
	r.bind("title", nil, 0, nil, args, kw)
	return sameKind(recv, r.str(pyTitle(recvStr(recv))))
}

func strStartswithFamily(name string) methodFn {
	return func(r *renderer, recv any, args []any, kw *kwargs) any {
		if kw.len() > 0 {
			raiseType("%s() takes no keyword arguments", name)
		}
		a := r.bind(name, []string{"prefix", "start", "end"}, 1, []any{nil, nil}, args, kw)
		s := []rune(recvStr(recv))
		lo, hi := runeRange(a[1], a[2], int64(len(s)))
		if lo > int64(len(s)) {
			return false
		}
		sub := ""
		if lo <= hi {
			sub = string(s[lo:hi])
		}
		test := func(p any) bool {
			ps, ok := strOf(p)
			if !ok {
				raiseType("tuple for %s must only contain str, not %s", name, typeName(p))
			}
			if lo > hi {
				return false
			}
			if name == "startswith" {
				return strings.HasPrefix(sub, ps)
			}
			return strings.HasSuffix(sub, ps)
		}
		if t, ok := a[0].(tuple); ok {
			for _, p := range t {
				if test(p) {
					return true
				}
			}
			return false
		}
		if _, ok := strOf(a[0]); !ok {
			raiseType("%s first arg must be str or a tuple of str, not %s", name, typeName(a[0]))
		}
		return test(a[0])
	}
}

func strSplit(r *renderer, recv any, args []any, kw *kwargs) any {
	a := r.bind("split", []string{"sep", "maxsplit"}, 0, []any{nil, int64(-1)}, args, kw)
	return r.split(recv, a[0], argInt("split", a[1]), false)
}

func strRsplit(r *renderer, recv any, args []any, kw *kwargs) any {
	a := r.bind("rsplit", []string{"sep", "maxsplit"}, 0, []any{nil, int64(-1)}, args, kw)
	return r.split(recv, a[0], argInt("rsplit", a[1]), true)
}

func strReplace(r *renderer, recv any, args []any, kw *kwargs) any {
	if kw.len() > 0 {
		raiseType("replace() takes no keyword arguments")
	}
	a := r.bind("replace", []string{"old", "new", "count"}, 2, []any{int64(-1)}, args, kw)
	old, nw := argStr("replace", a[0]), argStr("replace", a[1])
	if m, ok := recv.(markup); ok {
		old, nw = string(escapeValue(a[0])), string(escapeValue(a[1]))
		return markup(r.replace(string(m), old, nw, argInt("replace", a[2])))
	}
	return r.replace(recvStr(recv), old, nw, argInt("replace", a[2]))
}

func strStripFamily(name string) methodFn {
	return func(r *renderer, recv any, args []any, kw *kwargs) any {
		if kw.len() > 0 {
			raiseType("%s() takes no keyword arguments", name)
		}
		a := r.bind(name, []string{"chars"}, 0, []any{nil}, args, kw)
		return sameKind(recv, pyStrip(recvStr(recv), a[0], name))
	}
}

func strZfill(r *renderer, recv any, args []any, kw *kwargs) any {
	a := r.bind("zfill", []string{"width"}, 1, nil, args, kw)
	s := recvStr(recv)
	w := argInt("zfill", a[0])
	n := int64(utf8.RuneCountInString(s))
	if w <= n {
		return sameKind(recv, s)
	}
	r.allocBytes(w - n + int64(len(s)))
	pad := strings.Repeat("0", int(w-n))
	if s != "" && (s[0] == '+' || s[0] == '-') {
		return sameKind(recv, s[:1]+pad+s[1:])
	}
	return sameKind(recv, pad+s)
}

func strFormat(r *renderer, recv any, args []any, kw *kwargs) any {
	if m, ok := recv.(markup); ok {
		ea := make([]any, len(args))
		for i, x := range args {
			ea[i] = escapeArg(x)
		}
		var ekw *kwargs
		if kw != nil {
			ekw = &kwargs{}
			for i, k := range kw.keys {
				ekw.set(k, escapeArg(kw.vals[i]))
			}
		}
		return markup(r.strFormat(string(m), ea, ekw))
	}
	return r.strFormat(recvStr(recv), args, kw)
}

func strJoin(r *renderer, recv any, args []any, kw *kwargs) any {
	a := r.bind("join", []string{"iterable"}, 1, nil, args, kw)
	it, _, _ := iterate(a[0])
	var parts []string
	for i := 0; ; i++ {
		v, ok := it.next()
		if !ok {
			break
		}
		r.tick()
		if _, isM := recv.(markup); isM {
			parts = append(parts, string(escapeValue(v)))
			continue
		}
		s, ok := strOf(v)
		if !ok {
			raiseType("sequence item %d: expected str instance, %s found", i, typeName(v))
		}
		parts = append(parts, s)
	}
	return sameKind(recv, r.str(strings.Join(parts, recvStr(recv))))
}

func strFindFamily(name string) methodFn {
	return func(r *renderer, recv any, args []any, kw *kwargs) any {
		if kw.len() > 0 {
			raiseType("%s() takes no keyword arguments", name)
		}
		a := r.bind(name, []string{"sub", "start", "end"}, 1, []any{nil, nil}, args, kw)
		sub := argStr(name, a[0])
		s := []rune(recvStr(recv))
		lo, hi := runeRange(a[1], a[2], int64(len(s)))
		if name == "count" {
			if lo > hi || lo > int64(len(s)) {
				return int64(0)
			}
			part := string(s[lo:hi])
			if sub == "" {
				return int64(utf8.RuneCountInString(part) + 1)
			}
			return int64(strings.Count(part, sub))
		}
		pos := int64(-1)
		if lo <= hi && lo <= int64(len(s)) {
			part := string(s[lo:hi])
			var i int
			if name[0] == 'r' {
				i = strings.LastIndex(part, sub)
			} else {
				i = strings.Index(part, sub)
			}
			if i >= 0 {
				pos = lo + int64(utf8.RuneCountInString(part[:i]))
			}
		}
		if pos < 0 && strings.HasSuffix(name, "index") {
			raise(valueErr("substring not found"))
		}
		return pos
	}
}

func strCenterFamily(name string) methodFn {
	return func(r *renderer, recv any, args []any, kw *kwargs) any {
		if kw.len() > 0 {
			raiseType("%s() takes no keyword arguments", name)
		}
		a := r.bind(name, []string{"width", "fillchar"}, 1, []any{" "}, args, kw)
		fill := argStr(name, a[1])
		if utf8.RuneCountInString(fill) != 1 {
			raiseType("The fill character must be exactly one character long")
		}
		return sameKind(recv, r.pad(recvStr(recv), argInt(name, a[0]), fill, name))
	}
}

func strIsalnumFamily(name string) methodFn {
	return func(r *renderer, recv any, args []any, kw *kwargs) any {
		r.bind(name, nil, 0, nil, args, kw)
		return strPredicate(name, recvStr(recv))
	}
}

func strRemoveprefix(r *renderer, recv any, args []any, kw *kwargs) any {
	a := r.bind("removeprefix", []string{"prefix"}, 1, nil, args, kw)
	return sameKind(recv, strings.TrimPrefix(recvStr(recv), argStr("removeprefix", a[0])))
}

func strRemovesuffix(r *renderer, recv any, args []any, kw *kwargs) any {
	a := r.bind("removesuffix", []string{"suffix"}, 1, nil, args, kw)
	return sameKind(recv, strings.TrimSuffix(recvStr(recv), argStr("removesuffix", a[0])))
}

func strPartitionFamily(name string) methodFn {
	return func(r *renderer, recv any, args []any, kw *kwargs) any {
		a := r.bind(name, []string{"sep"}, 1, nil, args, kw)
		sep := argStr(name, a[0])
		if sep == "" {
			raise(valueErr("empty separator"))
		}
		s := recvStr(recv)
		var i int
		if name == "partition" {
			i = strings.Index(s, sep)
			if i < 0 {
				return tuple{sameKind(recv, s), sameKind(recv, ""), sameKind(recv, "")}
			}
		} else {
			i = strings.LastIndex(s, sep)
			if i < 0 {
				return tuple{sameKind(recv, ""), sameKind(recv, ""), sameKind(recv, s)}
			}
		}
		return tuple{sameKind(recv, s[:i]), sameKind(recv, sep), sameKind(recv, s[i+len(sep):])}
	}
}

func dictItems(r *renderer, recv any, args []any, kw *kwargs) any {
	r.bind("items", nil, 0, nil, args, kw)
	return &dictView{d: recv.(*Dict), kind: "items"}
}

func dictKeys(r *renderer, recv any, args []any, kw *kwargs) any {
	r.bind("keys", nil, 0, nil, args, kw)
	return &dictView{d: recv.(*Dict), kind: "keys"}
}

func dictValues(r *renderer, recv any, args []any, kw *kwargs) any {
	r.bind("values", nil, 0, nil, args, kw)
	return &dictView{d: recv.(*Dict), kind: "values"}
}

func dictGet(r *renderer, recv any, args []any, kw *kwargs) any {
	if kw.len() > 0 {
		raiseType("get() takes no keyword arguments")
	}
	a := r.bind("get", []string{"key", "default"}, 1, []any{nil}, args, kw)
	v, ok, err := recv.(*Dict).getKey(a[0])
	if err != nil {
		panic(err)
	}
	if !ok {
		return a[1]
	}
	return v
}

func dictCopy(r *renderer, recv any, args []any, kw *kwargs) any {
	r.bind("copy", nil, 0, nil, args, kw)
	d := recv.(*Dict)
	r.allocItems(2 * d.Len())
	c := NewDict()
	for i, k := range d.keys {
		h, _ := hashKey(k)
		c.set(h, k, d.vals[i])
	}
	return c
}

func listCount(r *renderer, recv any, args []any, kw *kwargs) any {
	a := r.bind("count", []string{"value"}, 1, nil, args, kw)
	n := int64(0)
	for _, v := range seqOf(recv) {
		if equal(v, a[0]) {
			n++
		}
	}
	return n
}

func listIndex(r *renderer, recv any, args []any, kw *kwargs) any {
	a := r.bind("index", []string{"value", "start", "stop"}, 1, []any{int64(0), int64(1 << 62)}, args, kw)
	s := seqOf(recv)
	lo, hi := runeRange(a[1], a[2], int64(len(s)))
	for i := lo; i < hi; i++ {
		if equal(s[i], a[0]) {
			return i
		}
	}
	raise(valueErr("%s is not in %s", pyRepr(a[0]), typeName(recv)))
	return nil
}

func listCopy(r *renderer, recv any, args []any, kw *kwargs) any {
	r.bind("copy", nil, 0, nil, args, kw)
	s, ok := recv.([]any)
	if !ok {
		return nil
	}
	r.allocItems(len(s))
	return append([]any{}, s...)
}

func seqOf(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case tuple:
		return x
	}
	return nil
}

// split is str.split and str.rsplit.
func (r *renderer) split(recv, sep any, maxsplit int64, right bool) any {
	s := recvStr(recv)
	var parts []string
	if sep == nil {
		parts = splitSpace(s, maxsplit, right)
	} else {
		p := argStr("split", sep)
		if p == "" {
			raise(valueErr("empty separator"))
		}
		n := -1
		if maxsplit >= 0 {
			n = int(min(maxsplit, int64(len(s)))) + 1
		}
		if right {
			parts = rsplitN(s, p, n)
		} else {
			parts = strings.SplitN(s, p, n)
		}
	}
	r.allocItems(len(parts))
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = sameKind(recv, p)
	}
	return out
}

func rsplitN(s, sep string, n int) []string {
	if n < 0 {
		return strings.Split(s, sep)
	}
	var out []string
	for len(out) < n-1 {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		out = append(out, s[i+len(sep):])
		s = s[:i]
	}
	out = append(out, s)
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// splitSpace is str.split() without a separator.
func splitSpace(s string, maxsplit int64, right bool) []string {
	if right {
		rs := []rune(s)
		var out []string
		i := len(rs)
		for {
			for i > 0 && pyIsSpace(rs[i-1]) {
				i--
			}
			if i == 0 {
				break
			}
			if maxsplit >= 0 && int64(len(out)) == maxsplit {
				out = append(out, string(rs[:i]))
				break
			}
			j := i
			for j > 0 && !pyIsSpace(rs[j-1]) {
				j--
			}
			out = append(out, string(rs[j:i]))
			i = j
		}
		for a, b := 0, len(out)-1; a < b; a, b = a+1, b-1 {
			out[a], out[b] = out[b], out[a]
		}
		return out
	}
	var out []string
	i := 0
	for {
		for i < len(s) {
			c, n := utf8.DecodeRuneInString(s[i:])
			if !pyIsSpace(c) {
				break
			}
			i += n
		}
		if i >= len(s) {
			break
		}
		if maxsplit >= 0 && int64(len(out)) == maxsplit {
			out = append(out, s[i:])
			break
		}
		j := i
		for j < len(s) {
			c, n := utf8.DecodeRuneInString(s[j:])
			if pyIsSpace(c) {
				break
			}
			j += n
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func (r *renderer) replace(s, old, nw string, count int64) string {
	n := int(min(count, int64(len(s))+1))
	if count < 0 {
		n = -1
	}
	cnt := strings.Count(s, old)
	if n >= 0 && n < cnt {
		cnt = n
	}
	r.allocBytes(int64(len(s)) + int64(cnt)*int64(len(nw)-len(old)))
	return strings.Replace(s, old, nw, n)
}

// pyStrip is str.strip, lstrip and rstrip.
func pyStrip(s string, chars any, which string) string {
	var cut func(rune) bool
	if chars == nil {
		cut = pyIsSpace
	} else {
		set := argStr(which, chars)
		cut = func(r rune) bool { return strings.ContainsRune(set, r) }
	}
	switch which {
	case "lstrip":
		return strings.TrimLeftFunc(s, cut)
	case "rstrip":
		return strings.TrimRightFunc(s, cut)
	}
	return strings.TrimFunc(s, cut)
}

// pad is str.center, ljust and rjust.
func (r *renderer) pad(s string, width int64, fill, how string) string {
	n := int64(utf8.RuneCountInString(s))
	if width <= n {
		return s
	}
	r.allocBytes(int64(len(s)) + (width-n)*int64(len(fill)))
	marg := width - n
	var left int64
	switch how {
	case "center":
		left = marg/2 + (marg & width & 1)
	case "rjust":
		left = marg
	}
	return strings.Repeat(fill, int(left)) + s + strings.Repeat(fill, int(marg-left))
}

func strPredicate(name, s string) bool {
	if s == "" {
		return false
	}
	switch name {
	case "islower", "isupper":
		cased := false
		for _, c := range s {
			if name == "islower" && (unicode.IsUpper(c) || unicode.IsTitle(c)) {
				return false
			}
			if name == "isupper" && (unicode.IsLower(c) || unicode.IsTitle(c)) {
				return false
			}
			if unicode.IsUpper(c) || unicode.IsLower(c) || unicode.IsTitle(c) {
				cased = true
			}
		}
		return cased
	}
	for _, c := range s {
		var ok bool
		switch name {
		case "isalnum":
			ok = unicode.IsLetter(c) || unicode.IsNumber(c)
		case "isalpha":
			ok = unicode.IsLetter(c)
		case "isdigit", "isdecimal":
			ok = unicode.IsDigit(c)
		case "isnumeric":
			ok = unicode.IsNumber(c)
		case "isspace":
			ok = pyIsSpace(c)
		case "isascii":
			ok = c < 0x80
		}
		if !ok {
			return false
		}
	}
	return true
}
