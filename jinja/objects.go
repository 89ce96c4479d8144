package jinja

import (
	"unicode/utf8"
)

// rangeVal is Python's range object.
type rangeVal struct{ start, stop, step int64 }

func (r *rangeVal) len() int64 {
	switch {
	case r.step > 0 && r.start < r.stop:
		return (r.stop-r.start-1)/r.step + 1
	case r.step < 0 && r.start > r.stop:
		return (r.start-r.stop-1)/(-r.step) + 1
	}
	return 0
}

func (r *rangeVal) at(i int64) int64 { return r.start + i*r.step }

func (r *rangeVal) containsInt(x int64) bool {
	if r.step > 0 {
		if x < r.start || x >= r.stop {
			return false
		}
	} else if x > r.start || x <= r.stop {
		return false
	}
	return (x-r.start)%r.step == 0
}

// dictView is dict.items(), dict.keys() or dict.values().
type dictView struct {
	d    *Dict
	kind string // items, keys, values
}

func (v *dictView) item(i int) any {
	switch v.kind {
	case "keys":
		return v.d.keys[i]
	case "values":
		return v.d.vals[i]
	}
	return tuple{v.d.keys[i], v.d.vals[i]}
}

// set returns the view's items as a dict used for set equality.
func (v *dictView) set() *Dict {
	d := NewDict()
	for i := range v.d.keys {
		_ = d.setKey(v.item(i), true)
	}
	return d
}

// namespace is Jinja2's namespace() object.
type namespace struct{ attrs *Dict }

// builtinFunc is a global function such as range().
type builtinFunc struct {
	name string
	fn   func(r *renderer, args []any, kw *kwargs) any
}

// boundMethod is a Python method bound to its receiver.
type boundMethod struct {
	recv any
	name string
	fn   func(r *renderer, recv any, args []any, kw *kwargs) any
}

// cycler is Jinja2's cycler().
type cycler struct {
	items []any
	pos   int
}

// joiner is Jinja2's joiner().
type joiner struct {
	sep  any
	used bool
}

// kwargs holds keyword arguments in call order.
type kwargs struct {
	keys []string
	vals []any
}

func (k *kwargs) len() int {
	if k == nil {
		return 0
	}
	return len(k.keys)
}

func (k *kwargs) set(key string, v any) {
	for i, kk := range k.keys {
		if kk == key {
			k.vals[i] = v
			return
		}
	}
	k.keys = append(k.keys, key)
	k.vals = append(k.vals, v)
}

// pop removes and returns key.
func (k *kwargs) pop(key string) (any, bool) {
	if k == nil {
		return nil, false
	}
	for i, kk := range k.keys {
		if kk == key {
			v := k.vals[i]
			k.keys = append(k.keys[:i], k.keys[i+1:]...)
			k.vals = append(k.vals[:i], k.vals[i+1:]...)
			return v, true
		}
	}
	return nil, false
}

func (k *kwargs) dict() *Dict {
	d := NewDict()
	if k != nil {
		for i, key := range k.keys {
			d.set(key, key, k.vals[i])
		}
	}
	return d
}

// ---- iteration

// iterator yields the items of an iterable.
type iterator interface {
	next() (any, bool)
}

type sliceIter struct {
	s []any
	i int
}

func (it *sliceIter) next() (any, bool) {
	if it.i >= len(it.s) {
		return nil, false
	}
	it.i++
	return it.s[it.i-1], true
}

type strIter struct {
	s string
	i int
}

func (it *strIter) next() (any, bool) {
	if it.i >= len(it.s) {
		return nil, false
	}
	_, n := utf8.DecodeRuneInString(it.s[it.i:])
	it.i += n
	return it.s[it.i-n : it.i], true
}

type rangeIter struct {
	r *rangeVal
	i int64
	n int64
}

func (it *rangeIter) next() (any, bool) {
	if it.i >= it.n {
		return nil, false
	}
	it.i++
	return it.r.at(it.i - 1), true
}

type viewIter struct {
	v *dictView
	i int
}

func (it *viewIter) next() (any, bool) {
	if it.i >= it.v.d.Len() {
		return nil, false
	}
	it.i++
	return it.v.item(it.i - 1), true
}

type emptyIter struct{}

func (emptyIter) next() (any, bool) { return nil, false }

// iterate returns an iterator over v and its length if known.
func iterate(v any) (iterator, int64, bool) {
	switch x := v.(type) {
	case []any:
		return &sliceIter{s: x}, int64(len(x)), true
	case tuple:
		return &sliceIter{s: x}, int64(len(x)), true
	case string:
		return &strIter{s: x}, length(x), true
	case markup:
		return &strIter{s: string(x)}, length(x), true
	case *Dict:
		return &sliceIter{s: x.keys}, int64(x.Len()), true
	case *dictView:
		return &viewIter{v: x}, int64(x.d.Len()), true
	case *rangeVal:
		n := x.len()
		return &rangeIter{r: x, n: n}, n, true
	case *undefined:
		return emptyIter{}, 0, true
	}
	raiseType("'%s' object is not iterable", typeName(v))
	return nil, 0, false
}
