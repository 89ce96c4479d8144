package jinja

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type filterFn func(r *renderer, v any, args []any, kw *kwargs) any

// unsupportedFilters exist in Jinja2 but not in this engine; using one is
// a run-time error rather than a silent difference.
var unsupportedFilters = words("filesizeformat groupby pprint random striptags tojson urlencode urlize wordwrap xmlattr")

// knownFilter reports whether Jinja2's default environment has the filter.
func knownFilter(name string) bool {
	_, ok := filterByName(name)
	return ok || unsupportedFilters[name]
}

// applyFilter evaluates a filter call on v.
func (r *renderer) applyFilter(n *filterExpr, v any, f *frame) any {
	args, kw := r.evalArgs(&n.callArgs, f)
	return r.callFilter(n.name, v, args, kw)
}

func (r *renderer) callFilter(name string, v any, args []any, kw *kwargs) any {
	fn, ok := filterByName(name)
	if !ok {
		if unsupportedFilters[name] {
			raise(&rtError{kind: "NotSupported", msg: fmt.Sprintf("the filter '%s' is not supported by this template engine", name)})
		}
		raise(&rtError{kind: "TemplateRuntimeError", msg: fmt.Sprintf("No filter named '%s' found.", name)})
	}
	return fn(r, v, args, kw)
}

func filterByName(name string) (filterFn, bool) {
	switch name {
	case "abs":
		return filterAbs, true
	case "attr":
		return filterAttr, true
	case "batch":
		return filterBatch, true
	case "capitalize":
		return strFilter("capitalize", pyCapitalize), true
	case "center":
		return filterCenter, true
	case "count", "length":
		return filterLength, true
	case "d", "default":
		return filterDefault, true
	case "dictsort":
		return filterDictsort, true
	case "e", "escape":
		return filterEscape, true
	case "first":
		return filterFirst, true
	case "float":
		return filterFloat, true
	case "forceescape":
		return filterForceEscape, true
	case "format":
		return filterFormat, true
	case "indent":
		return filterIndent, true
	case "int":
		return filterInt, true
	case "items":
		return filterItems, true
	case "join":
		return filterJoin, true
	case "last":
		return filterLast, true
	case "list":
		return filterList, true
	case "lower":
		return strFilter("lower", pyLower), true
	case "map":
		return filterMap, true
	case "max":
		return minMax("max"), true
	case "min":
		return minMax("min"), true
	case "reject":
		return selectReject(false, false), true
	case "rejectattr":
		return selectReject(false, true), true
	case "replace":
		return filterReplace, true
	case "reverse":
		return filterReverse, true
	case "round":
		return filterRound, true
	case "safe":
		return filterSafe, true
	case "select":
		return selectReject(true, false), true
	case "selectattr":
		return selectReject(true, true), true
	case "slice":
		return filterSlice, true
	case "sort":
		return filterSort, true
	case "string":
		return filterString, true
	case "sum":
		return filterSum, true
	case "title":
		return filterTitle, true
	case "trim":
		return filterTrim, true
	case "truncate":
		return filterTruncate, true
	case "unique":
		return filterUnique, true
	case "upper":
		return strFilter("upper", pyUpper), true
	case "wordcount":
		return filterWordcount, true
	}
	return nil, false
}

// softStr is markupsafe.soft_str: str() that keeps Markup.
func softStr(v any) any {
	if m, ok := v.(markup); ok {
		return m
	}
	return toStr(v)
}

func strFilter(name string, f func(string) string) filterFn {
	return func(r *renderer, v any, args []any, kw *kwargs) any {
		r.bind(name, nil, 0, nil, args, kw)
		return sameKind(softStr(v), r.str(f(toStr(v))))
	}
}

func filterAbs(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("abs", nil, 0, nil, args, kw)
	switch x := v.(type) {
	case float64:
		return math.Abs(x)
	case int64, bool:
		n, _ := intOf(x)
		if n < 0 {
			return unary("-", n)
		}
		return n
	case *big.Int:
		return normBig(new(big.Int).Abs(x))
	}
	raiseType("bad operand type for abs(): '%s'", typeName(v))
	return nil
}

func filterAttr(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("attr", []string{"name"}, 1, nil, args, kw)
	name := toStr(a[0])
	if u, ok := v.(*undefined); ok {
		if strings.HasPrefix(name, "__") {
			return &undefined{obj: v, hasObj: true, name: name}
		}
		u.fail()
	}
	if x, ok := r.attribute(v, name); ok {
		return x
	}
	return &undefined{obj: v, hasObj: true, name: name}
}

// items lists an iterable's items.
func (r *renderer) items(v any) []any {
	it, n, hasLen := iterate(v)
	if hasLen {
		r.allocItemsN(n)
	}
	var out []any
	if hasLen {
		out = make([]any, 0, n)
	}
	for {
		x, ok := it.next()
		if !ok {
			return out
		}
		r.tick()
		out = append(out, x)
	}
}

func filterBatch(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("batch", []string{"linecount", "fill_with"}, 1, []any{nil}, args, kw)
	n := argInt("batch", a[0])
	items := r.items(v)
	var out []any
	var tmp []any
	for _, it := range items {
		if int64(len(tmp)) == n {
			out = append(out, tmp)
			tmp = nil
		}
		tmp = append(tmp, it)
	}
	if len(tmp) > 0 {
		if a[1] != nil {
			for int64(len(tmp)) < n {
				r.tick()
				tmp = append(tmp, a[1])
			}
		}
		out = append(out, tmp)
	}
	if out == nil {
		out = []any{}
	}
	return out
}

func filterCenter(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("center", []string{"width"}, 0, []any{int64(80)}, args, kw)
	return sameKind(softStr(v), r.pad(toStr(v), argInt("center", a[0]), " ", "center"))
}

func filterLength(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("length", nil, 0, nil, args, kw)
	return length(v)
}

func filterDefault(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("default", []string{"default_value", "boolean"}, 0, []any{"", false}, args, kw)
	if _, ok := v.(*undefined); ok || (truth(a[1]) && !truth(v)) {
		return a[0]
	}
	return v
}

// ignoreCase lowercases strings for case-insensitive sorting.
func ignoreCase(v any) any {
	if s, ok := strOf(v); ok {
		return sameKind(v, pyLower(s))
	}
	return v
}

// sortStable sorts items by key with Python's ordering; it is stable like
// Python's sorted().
func sortStable(items []any, key func(any) any, reverse bool) []any {
	keys := make([]any, len(items))
	for i, it := range items {
		keys[i] = key(it)
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if reverse {
			return lessThan(keys[idx[b]], keys[idx[a]])
		}
		return lessThan(keys[idx[a]], keys[idx[b]])
	})
	out := make([]any, len(items))
	for i, j := range idx {
		out[i] = items[j]
	}
	return out
}

func filterDictsort(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("dictsort", []string{"case_sensitive", "by", "reverse"}, 0, []any{false, "key", false}, args, kw)
	pos := 0
	switch by, _ := strOf(a[1]); by {
	case "key":
	case "value":
		pos = 1
	default:
		raise(&rtError{kind: "FilterArgumentError", msg: `You can only sort by either "key" or "value"`})
	}
	d, ok := v.(*Dict)
	if !ok {
		if u, isU := v.(*undefined); isU {
			u.fail()
		}
		raise(&rtError{kind: "AttributeError", msg: fmt.Sprintf("'%s' object has no attribute 'items'", typeName(v))})
	}
	items := make([]any, d.Len())
	for i, k := range d.keys {
		items[i] = tuple{k, d.vals[i]}
	}
	cs := truth(a[0])
	return sortStable(items, func(it any) any {
		x := it.(tuple)[pos]
		if !cs {
			x = ignoreCase(x)
		}
		return x
	}, truth(a[2]))
}

func filterEscape(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("escape", nil, 0, nil, args, kw)
	return markup(r.str(string(escapeValue(v))))
}

func filterForceEscape(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("forceescape", nil, 0, nil, args, kw)
	return markup(r.str(escapeHTML(toStr(v))))
}

func filterFirst(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("first", nil, 0, nil, args, kw)
	it, _, _ := iterate(v)
	x, ok := it.next()
	if !ok {
		return &undefined{hint: "No first item, sequence was empty."}
	}
	return x
}

func filterLast(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("last", nil, 0, nil, args, kw)
	var n int64
	switch x := v.(type) {
	case []any, tuple, string, markup, *rangeVal, *Dict:
		n = length(x)
	case *undefined:
		return &undefined{hint: "No last item, sequence was empty."}
	default:
		raiseType("'%s' object is not reversible", typeName(v))
	}
	if n == 0 {
		return &undefined{hint: "No last item, sequence was empty."}
	}
	if d, ok := v.(*Dict); ok {
		return d.keys[n-1]
	}
	x, _ := r.item(v, n-1)
	return x
}

// pyFloatString is Python's float(str).
func pyFloatString(s string) (float64, bool) {
	t := strings.TrimFunc(s, pyIsSpace)
	if t == "" {
		return 0, false
	}
	low := strings.ToLower(t)
	body := strings.TrimLeft(low, "+-")
	neg := strings.HasPrefix(low, "-")
	if len(low)-len(body) > 1 {
		return 0, false
	}
	switch body {
	case "inf", "infinity":
		if neg {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	case "nan":
		return math.NaN(), true
	}
	// underscores are allowed only between digits
	for i := 0; i < len(t); i++ {
		if t[i] == '_' && (i == 0 || i == len(t)-1 || !isDigit(t[i-1]) || !isDigit(t[i+1])) {
			return 0, false
		}
	}
	t = strings.ReplaceAll(t, "_", "")
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !isDigit(c) && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-' {
			return 0, false
		}
	}
	if strings.Contains(strings.ToLower(t), "0x") {
		return 0, false
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	return f, true
}

// pyFloat is Python's float(v); ok is false where it raises TypeError or
// ValueError.
func pyFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64, bool, *big.Int:
		return toFloat(x), true
	case string:
		return pyFloatString(x)
	case markup:
		return pyFloatString(string(x))
	case *undefined:
		x.fail()
	}
	return 0, false
}

func filterFloat(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("float", []string{"default"}, 0, []any{0.0}, args, kw)
	if f, ok := pyFloat(v); ok {
		return f
	}
	return a[0]
}

// pyIntString is Python's int(str, base).
func pyIntString(s string, base int64) (any, bool) {
	t := strings.TrimFunc(s, pyIsSpace)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if base == 0 || base == 16 || base == 8 || base == 2 {
		low := strings.ToLower(t)
		switch {
		case strings.HasPrefix(low, "0x") && (base == 0 || base == 16):
			base, t = 16, t[2:]
			t = strings.TrimPrefix(t, "_")
		case strings.HasPrefix(low, "0o") && (base == 0 || base == 8):
			base, t = 8, t[2:]
			t = strings.TrimPrefix(t, "_")
		case strings.HasPrefix(low, "0b") && (base == 0 || base == 2):
			base, t = 2, t[2:]
			t = strings.TrimPrefix(t, "_")
		case base == 0:
			if len(t) > 1 && t[0] == '0' && strings.Trim(t, "0_") != "" {
				return nil, false
			}
			base = 10
		}
	}
	if t == "" || t[0] == '_' || t[len(t)-1] == '_' || strings.Contains(t, "__") {
		return nil, false
	}
	// Python accepts any Unicode decimal digit
	var digits strings.Builder
	for _, c := range t {
		switch {
		case c == '_':
		case c < 0x80:
			digits.WriteRune(c)
		case unicode.IsDigit(c):
			digits.WriteRune('0' + digitValue(c))
		default:
			return nil, false
		}
	}
	b, ok := new(big.Int).SetString(digits.String(), int(base))
	if !ok {
		return nil, false
	}
	if neg {
		b.Neg(b)
	}
	return normBig(b), true
}

func digitValue(c rune) rune {
	for d := c; d >= c-9; d-- {
		if !unicode.IsDigit(d) {
			return c - d - 1
		}
	}
	return c - (c - 9)
}

func filterInt(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("int", []string{"default", "base"}, 0, []any{int64(0), int64(10)}, args, kw)
	if s, ok := strOf(v); ok {
		// An invalid base is a TypeError or ValueError in Python, which
		// do_int catches like a failed conversion.
		base, isInt := intOf(a[1])
		if isInt && (base == 0 || base >= 2 && base <= 36) {
			if n, ok := pyIntString(s, base); ok {
				return n
			}
		}
	} else {
		switch x := v.(type) {
		case int64, *big.Int:
			return x
		case bool:
			n, _ := intOf(x)
			return n
		case float64:
			return normBig(floatToBig(x))
		case *undefined:
			x.fail()
		}
	}
	if f, ok := pyFloat(v); ok {
		return normBig(floatToBig(f))
	}
	return a[0]
}

func filterFormat(r *renderer, v any, args []any, kw *kwargs) any {
	if len(args) > 0 && kw.len() > 0 {
		raise(&rtError{kind: "FilterArgumentError", msg: "can't handle positional and keyword arguments at the same time"})
	}
	var operand any = tuple(args)
	if kw.len() > 0 {
		operand = kw.dict()
	}
	if args == nil && kw.len() == 0 {
		operand = tuple{}
	}
	if m, ok := softStr(v).(markup); ok {
		return markup(r.printf(string(m), escapeArgs(operand)))
	}
	return r.printf(toStr(v), operand)
}

func filterIndent(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("indent", []string{"width", "first", "blank"}, 0, []any{int64(4), false, false}, args, kw)
	var ind string
	if s, ok := strOf(a[0]); ok {
		ind = s
	} else {
		n := argInt("indent", a[0])
		r.allocBytes(n)
		ind = strings.Repeat(" ", int(max(n, 0)))
	}
	s := toStr(v) + "\n"
	lines := pySplitlines(s)
	r.allocBytes(int64(len(s)) + int64(len(lines)+1)*int64(len(ind)))
	var out string
	if truth(a[2]) {
		out = strings.Join(lines, "\n"+ind)
	} else {
		var b strings.Builder
		b.WriteString(lines[0])
		for _, l := range lines[1:] {
			b.WriteString("\n")
			if l != "" {
				b.WriteString(ind)
			}
			b.WriteString(l)
		}
		out = b.String()
	}
	if truth(a[1]) {
		out = ind + out
	}
	return sameKind(softStr(v), r.str(out))
}

// pySplitlines is str.splitlines() without keepends.
func pySplitlines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		switch c {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			out = append(out, s[start:i])
			if c == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				n++
			}
			start = i + n
		}
		i += n
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func filterItems(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("items", nil, 0, nil, args, kw)
	switch x := v.(type) {
	case *undefined:
		return []any{}
	case *Dict:
		return &dictView{d: x, kind: "items"}
	}
	raiseType("Can only get item pairs from a mapping.")
	return nil
}

func filterJoin(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("join", []string{"d", "attribute"}, 0, []any{"", nil}, args, kw)
	items := r.items(v)
	var b strings.Builder
	sep := toStr(a[0])
	for i, it := range items {
		if a[1] != nil {
			it = r.attrGetter(it, a[1], nil)
		}
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(toStr(it))
		if b.Len() > r.env.opts.MaxOutput {
			r.allocBytes(int64(b.Len()))
		}
	}
	return r.str(b.String())
}

func filterList(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("list", nil, 0, nil, args, kw)
	out := r.items(v)
	if out == nil {
		out = []any{}
	}
	return out
}

// attrGetter follows a dotted attribute path with Environment.getitem.
func (r *renderer) attrGetter(item, attribute any, def any) any {
	var parts []any
	if s, ok := strOf(attribute); ok {
		for _, p := range strings.Split(s, ".") {
			if p != "" && isAllDigits(p) {
				n, _ := strconv.ParseInt(p, 10, 64)
				parts = append(parts, n)
			} else {
				parts = append(parts, p)
			}
		}
	} else if attribute != nil {
		parts = []any{attribute}
	}
	for _, p := range parts {
		item = r.getitem(item, p)
		if _, ok := item.(*undefined); ok && def != nil {
			item = def
		}
	}
	return item
}

func minMax(name string) filterFn {
	return func(r *renderer, v any, args []any, kw *kwargs) any {
		a := r.bind(name, []string{"case_sensitive", "attribute"}, 0, []any{false, nil}, args, kw)
		items := r.items(v)
		if len(items) == 0 {
			return &undefined{hint: "No aggregated item, sequence was empty."}
		}
		key := func(it any) any {
			x := r.attrGetter(it, a[1], nil)
			if !truth(a[0]) {
				x = ignoreCase(x)
			}
			return x
		}
		best, bestKey := items[0], key(items[0])
		for _, it := range items[1:] {
			k := key(it)
			if name == "max" && lessThan(bestKey, k) || name == "min" && lessThan(k, bestKey) {
				best, bestKey = it, k
			}
		}
		return best
	}
}

func filterMap(r *renderer, v any, args []any, kw *kwargs) any {
	items := r.items(v)
	out := make([]any, 0, len(items))
	if len(args) == 0 && kw.len() > 0 {
		attr, ok := kw.pop("attribute")
		if !ok {
			raise(&rtError{kind: "FilterArgumentError", msg: "map requires a filter argument"})
		}
		def, _ := kw.pop("default")
		if kw.len() > 0 {
			raise(&rtError{kind: "FilterArgumentError", msg: fmt.Sprintf("Unexpected keyword argument %s", pyReprString(kw.keys[0]))})
		}
		for _, it := range items {
			out = append(out, r.attrGetter(it, attr, def))
		}
		return out
	}
	if len(args) == 0 {
		raise(&rtError{kind: "FilterArgumentError", msg: "map requires a filter argument"})
	}
	name := toStr(args[0])
	for _, it := range items {
		r.tick()
		out = append(out, r.callFilter(name, it, args[1:], kw))
	}
	return out
}

func selectReject(selecting, byAttr bool) filterFn {
	return func(r *renderer, v any, args []any, kw *kwargs) any {
		var attr any
		if byAttr {
			if len(args) == 0 {
				raise(&rtError{kind: "FilterArgumentError", msg: "Missing parameter for attribute name"})
			}
			attr, args = args[0], args[1:]
		}
		items := r.items(v)
		out := []any{}
		for _, it := range items {
			x := it
			if byAttr {
				x = r.attrGetter(it, attr, nil)
			}
			var ok bool
			if len(args) == 0 {
				ok = truth(x)
			} else {
				ok = truth(r.runTest(toStr(args[0]), x, args[1:], kw))
			}
			if ok == selecting {
				out = append(out, it)
			}
		}
		return out
	}
}

func filterReplace(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("replace", []string{"old", "new", "count"}, 2, []any{nil}, args, kw)
	count := int64(-1)
	if a[2] != nil {
		count = argInt("replace", a[2])
	}
	return r.replace(toStr(v), toStr(a[0]), toStr(a[1]), count)
}

func filterReverse(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("reverse", nil, 0, nil, args, kw)
	if s, ok := strOf(v); ok {
		rs := []rune(s)
		for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
			rs[i], rs[j] = rs[j], rs[i]
		}
		return sameKind(v, string(rs))
	}
	switch v.(type) {
	case []any, tuple, *Dict, *rangeVal, *dictView, *undefined:
	default:
		raise(&rtError{kind: "FilterArgumentError", msg: "argument must be iterable"})
	}
	items := r.items(v)
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
	if items == nil {
		items = []any{}
	}
	return items
}

func filterRound(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("round", []string{"precision", "method"}, 0, []any{int64(0), "common"}, args, kw)
	method, _ := strOf(a[1])
	if method != "common" && method != "ceil" && method != "floor" {
		raise(&rtError{kind: "FilterArgumentError", msg: "method must be common, ceil or floor"})
	}
	p := argInt("round", a[0])
	if !isNumber(v) {
		raiseType("type %s doesn't define __round__ method", typeName(v))
	}
	if method == "common" {
		if isInt(v) {
			if p >= 0 {
				n, ok := intOf(v)
				if ok {
					return n
				}
				return v
			}
			raise(&rtError{kind: "NotSupported", msg: "round() with a negative precision is not supported by this template engine"})
		}
		x := v.(float64)
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return x
		}
		if p < 0 || p > 300 {
			raise(&rtError{kind: "NotSupported", msg: "round() with this precision is not supported by this template engine"})
		}
		f, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', int(p), 64), 64)
		if f == 0 {
			f = math.Copysign(0, x)
		}
		return f
	}
	scale := toFloat(intPow(int64(10), p))
	x := toFloat(v) * scale
	if method == "ceil" {
		x = math.Ceil(x)
	} else {
		x = math.Floor(x)
	}
	return x / scale
}

func filterSafe(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("safe", nil, 0, nil, args, kw)
	return markup(toStr(v))
}

func filterSlice(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("slice", []string{"slices", "fill_with"}, 1, []any{nil}, args, kw)
	seq := r.items(v)
	slices := argInt("slice", a[0])
	if slices <= 0 {
		raise(&rtError{kind: "ZeroDivisionError", msg: "integer division or modulo by zero"})
	}
	if slices > int64(r.env.opts.MaxOutput) {
		raise(&rtError{kind: "LimitError", msg: "too many slices"})
	}
	n := int64(len(seq))
	per := n / slices
	extra := n % slices
	offset := int64(0)
	out := []any{}
	for i := int64(0); i < slices; i++ {
		r.tick()
		start := offset + i*per
		if i < extra {
			offset++
		}
		end := offset + (i+1)*per
		tmp := append([]any{}, seq[start:end]...)
		if a[1] != nil && i >= extra {
			tmp = append(tmp, a[1])
		}
		out = append(out, tmp)
	}
	return out
}

func filterSort(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("sort", []string{"reverse", "case_sensitive", "attribute"}, 0, []any{false, false, nil}, args, kw)
	items := r.items(v)
	cs := truth(a[1])
	var attrs []any
	if s, ok := strOf(a[2]); ok {
		for _, p := range strings.Split(s, ",") {
			attrs = append(attrs, p)
		}
	} else {
		attrs = []any{a[2]}
	}
	out := sortStable(items, func(it any) any {
		key := make([]any, len(attrs))
		for i, at := range attrs {
			x := it
			if at != nil {
				x = r.attrGetter(it, at, nil)
			}
			if !cs {
				x = ignoreCase(x)
			}
			key[i] = x
		}
		return key
	}, truth(a[0]))
	return out
}

func filterString(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("string", nil, 0, nil, args, kw)
	return softStr(v)
}

func filterSum(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("sum", []string{"attribute", "start"}, 0, []any{nil, int64(0)}, args, kw)
	total := a[1]
	for _, it := range r.items(v) {
		if a[0] != nil {
			it = r.attrGetter(it, a[0], nil)
		}
		total = r.binary("+", total, it)
	}
	return total
}

func filterTitle(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("title", nil, 0, nil, args, kw)
	s := toStr(v)
	var b strings.Builder
	// Jinja2 splits on runs of -, whitespace, (, {, [ and < and
	// capitalizes the first character of every piece.
	isSep := func(c rune) bool {
		return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || pyIsSpace(c)
	}
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i
		sep := isSep(rs[i])
		for j < len(rs) && isSep(rs[j]) == sep {
			j++
		}
		piece := string(rs[i:j])
		if sep {
			b.WriteString(pyUpper(piece[:utf8.RuneLen(rs[i])]) + pyLower(piece[utf8.RuneLen(rs[i]):]))
		} else {
			b.WriteString(pyUpper(string(rs[i])) + pyLower(string(rs[i+1:j])))
		}
		i = j
	}
	return sameKind(softStr(v), r.str(b.String()))
}

func filterTrim(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("trim", []string{"chars"}, 0, []any{nil}, args, kw)
	return sameKind(softStr(v), pyStrip(toStr(v), a[0], "strip"))
}

func filterTruncate(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("truncate", []string{"length", "killwords", "end", "leeway"}, 0, []any{int64(255), false, "...", nil}, args, kw)
	s := []rune(toStr(v))
	n := argInt("truncate", a[0])
	end := toStr(a[2])
	leeway := int64(5)
	if a[3] != nil {
		leeway = argInt("truncate", a[3])
	}
	endLen := int64(utf8.RuneCountInString(end))
	if n < endLen {
		raise(&rtError{kind: "AssertionError", msg: fmt.Sprintf("expected length >= %d, got %d", endLen, n)})
	}
	if leeway < 0 {
		raise(&rtError{kind: "AssertionError", msg: fmt.Sprintf("expected leeway >= 0, got %d", leeway)})
	}
	if int64(len(s)) <= n+leeway {
		return toStr(v)
	}
	cut := string(s[:n-endLen])
	if truth(a[1]) {
		return cut + end
	}
	if i := strings.LastIndex(cut, " "); i >= 0 {
		cut = cut[:i]
	}
	return cut + end
}

func filterUnique(r *renderer, v any, args []any, kw *kwargs) any {
	a := r.bind("unique", []string{"case_sensitive", "attribute"}, 0, []any{false, nil}, args, kw)
	seen := NewDict()
	out := []any{}
	for _, it := range r.items(v) {
		key := r.attrGetter(it, a[1], nil)
		if !truth(a[0]) {
			key = ignoreCase(key)
		}
		_, found, err := seen.getKey(key)
		if err != nil {
			panic(err)
		}
		if !found {
			_ = seen.setKey(key, true)
			out = append(out, it)
		}
	}
	return out
}

func filterWordcount(r *renderer, v any, args []any, kw *kwargs) any {
	r.bind("wordcount", nil, 0, nil, args, kw)
	n := int64(0)
	in := false
	for _, c := range toStr(v) {
		w := c == '_' || unicode.IsLetter(c) || unicode.IsNumber(c) || unicode.In(c, unicode.Mn, unicode.Mc)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}
