package jinja

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/phoneprovd/phoneprovd/internal/orderedjson"
)

// Value is a value a template sees. Its dynamic type is one of: nil (None),
// bool, int64 or *big.Int (int), float64 (float), string (str), []any
// (list), *Dict (dict), or a value the engine made while rendering (a
// tuple, a macro, ...). Contexts may also hold any Go int, uint or float
// type, []string, map[string]any and map[string]string; they are converted
// when rendering starts (Go maps iterate in sorted key order, as Go maps
// have no order of their own).
type Value = any

// Dict is a dictionary that keeps insertion order, like Python's dict. Keys
// set from Go are strings; templates may build dicts with other hashable
// keys (numbers, None, tuples). The zero Dict is not usable: call NewDict.
// A Dict must not be modified while a template renders it.
type Dict struct {
	keys []any
	vals []any
	idx  map[any]int
}

// NewDict returns an empty dictionary.
func NewDict() *Dict { return &Dict{idx: map[any]int{}} }

// Len returns the number of keys.
func (d *Dict) Len() int { return len(d.keys) }

// Set sets key to v, keeping the key's position if it exists. v is
// converted like a context value; a value of an unsupported Go type makes
// rendering fail with an error.
func (d *Dict) Set(key string, v any) {
	d.set(key, key, normalize(v))
}

// SetKey sets a key of another hashable type: an integer, float, bool,
// nil or string. Python plugins use such keys, e.g. Digium's XX_funckeys
// has int keys, which sort numerically.
func (d *Dict) SetKey(key, v any) error {
	k := normalize(key)
	switch k.(type) {
	case nil, bool, int64, *big.Int, float64, string:
	default:
		return fmt.Errorf("unsupported dict key type %T", key)
	}
	return d.setKey(k, normalize(v))
}

// Get returns the value of key.
func (d *Dict) Get(key string) (any, bool) {
	i, ok := d.idx[key]
	if !ok {
		return nil, false
	}
	return d.vals[i], true
}

// Delete removes key.
func (d *Dict) Delete(key string) {
	i, ok := d.idx[key]
	if !ok {
		return
	}
	delete(d.idx, key)
	d.keys = append(d.keys[:i], d.keys[i+1:]...)
	d.vals = append(d.vals[:i], d.vals[i+1:]...)
	for j := i; j < len(d.keys); j++ {
		h, _ := hashKey(d.keys[j])
		d.idx[h] = j
	}
}

// Keys returns the keys in order; keys set from Go are strings.
func (d *Dict) Keys() []any { return append([]any(nil), d.keys...) }

// Range calls f for each key and value in order until f returns false.
func (d *Dict) Range(f func(key, value any) bool) {
	for i, k := range d.keys {
		if !f(k, d.vals[i]) {
			return
		}
	}
}

func (d *Dict) set(h, key, v any) {
	if i, ok := d.idx[h]; ok {
		d.vals[i] = v
		return
	}
	d.idx[h] = len(d.keys)
	d.keys = append(d.keys, key)
	d.vals = append(d.vals, v)
}

// setKey sets a key of any hashable type.
func (d *Dict) setKey(key, v any) error {
	h, err := hashKey(key)
	if err != nil {
		return err
	}
	d.set(h, key, v)
	return nil
}

// getKey looks up a key of any type; an unhashable key is an error.
func (d *Dict) getKey(key any) (any, bool, error) {
	h, err := hashKey(key)
	if err != nil {
		return nil, false, err
	}
	i, ok := d.idx[h]
	if !ok {
		return nil, false, nil
	}
	return d.vals[i], true, nil
}

type noneKey struct{}
type undefinedKey struct{}
type rangeKey struct{ n, start, step int64 }
type bigKey string
type tupleKey string

// hashKey maps a Python-hashable value to a Go map key so that values that
// are equal in Python (1, 1.0, True) share a key.
func hashKey(k any) (any, error) { return hashKeyDepth(k, 0) }

func hashKeyDepth(k any, depth int) (any, error) {
	if depth > maxReprDepth {
		return nil, &rtError{kind: "RecursionError", msg: "maximum recursion depth exceeded while hashing"}
	}
	switch v := k.(type) {
	case string:
		return v, nil
	case markup:
		return string(v), nil
	case int64:
		return v, nil
	case bool:
		if v {
			return int64(1), nil
		}
		return int64(0), nil
	case nil:
		return noneKey{}, nil
	case *big.Int:
		return bigKey(v.String()), nil
	case float64:
		if v == math.Trunc(v) && !math.IsInf(v, 0) {
			if v >= -9.2e18 && v <= 9.2e18 {
				return int64(v), nil
			}
			b, _ := new(big.Float).SetFloat64(v).Int(nil)
			return bigKey(b.String()), nil
		}
		return v, nil
	case tuple:
		var b strings.Builder
		b.WriteString("(")
		for _, e := range v {
			h, err := hashKeyDepth(e, depth+1)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(&b, "%T:%v,", h, h)
		}
		return tupleKey(b.String()), nil
	case *undefined:
		// Jinja2's Undefined hashes by its type: all are one key.
		return undefinedKey{}, nil
	case *rangeVal:
		// equal ranges hash equal: by length, first item and step
		n := v.len()
		switch n {
		case 0:
			return rangeKey{}, nil
		case 1:
			return rangeKey{n: 1, start: v.start}, nil
		}
		return rangeKey{n: n, start: v.start, step: v.step}, nil
	}
	return nil, &rtError{kind: "TypeError", msg: fmt.Sprintf("unhashable type: '%s'", typeName(k))}
}

// tuple is Python's tuple.
type tuple []any

// markup is a string marked safe by the escape filter (markupsafe.Markup).
type markup string

// missingT marks a name that has no value yet.
type missingT struct{}

var missing any = missingT{}

// undefined is Jinja2's default Undefined.
type undefined struct {
	hint   string
	obj    any
	hasObj bool
	name   any
}

func undefName(name string) *undefined { return &undefined{name: name} }

func (u *undefined) message() string {
	if u.hint != "" {
		return u.hint
	}
	if !u.hasObj {
		return fmt.Sprintf("%s is undefined", pyRepr(u.name))
	}
	if _, ok := u.name.(string); !ok {
		return fmt.Sprintf("%s has no element %s", objectTypeRepr(u.obj), pyRepr(u.name))
	}
	return fmt.Sprintf("%s has no attribute %s", pyReprString(objectTypeRepr(u.obj)), pyRepr(u.name))
}

func (u *undefined) fail() { panic(&rtError{kind: "UndefinedError", msg: u.message()}) }

func objectTypeRepr(v any) string {
	if v == nil {
		return "None"
	}
	return typeName(v) + " object"
}

// badValue stands for a context value of a Go type templates cannot use.
type badValue struct{ typ string }

// normalize converts a Go value into the engine's representation.
func normalize(v any) any { return normalizeDepth(v, 0) }

func normalizeDepth(v any, depth int) any {
	if depth > maxValueDepth {
		return badValue{fmt.Sprintf("%T nested deeper than %d levels (a cycle?)", v, maxValueDepth)}
	}
	switch x := v.(type) {
	case nil, bool, string, int64, float64, *Dict, tuple, markup:
		return v
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint:
		return normBig(new(big.Int).SetUint64(uint64(x)))
	case uint64:
		return normBig(new(big.Int).SetUint64(x))
	case float32:
		return float64(x)
	case *big.Int:
		return normBig(new(big.Int).Set(x))
	case json.Number:
		n, err := numberValue(string(x))
		if err != nil {
			return badValue{"json.Number " + strconv.Quote(string(x))}
		}
		return n
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeDepth(e, depth+1)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case []int:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = int64(e)
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeDepth(e, depth+1)
		}
		return out
	case map[string]any:
		return sortedDict(len(x), depth, func(f func(string, any)) {
			for k, e := range x {
				f(k, e)
			}
		})
	case map[string]string:
		return sortedDict(len(x), depth, func(f func(string, any)) {
			for k, e := range x {
				f(k, e)
			}
		})
	}
	return badValue{fmt.Sprintf("type %T", v)}
}

func sortedDict(n, depth int, each func(func(string, any))) *Dict {
	keys := make([]string, 0, n)
	vals := make(map[string]any, n)
	each(func(k string, v any) {
		keys = append(keys, k)
		vals[k] = v
	})
	sort.Strings(keys)
	d := NewDict()
	for _, k := range keys {
		d.set(k, k, normalizeDepth(vals[k], depth+1))
	}
	return d
}

// maxValueDepth bounds the nesting of context values.
const maxValueDepth = 1000

// checkValue reports a value of an unsupported type or nesting too deep
// (a cycle) inside a context value; the path is built only on error.
func checkValue(v any, path string, depth int) error {
	if msg, where := badPart(v, depth); msg != "" {
		return fmt.Errorf("%s%s: %s", path, where, msg)
	}
	return nil
}

func badPart(v any, depth int) (msg, where string) {
	if depth > maxValueDepth {
		return fmt.Sprintf("nested deeper than %d levels (a cycle?)", maxValueDepth), ""
	}
	switch x := v.(type) {
	case badValue:
		return "unsupported Go value: " + x.typ, ""
	case []any:
		for i, e := range x {
			if msg, where := badPart(e, depth+1); msg != "" {
				return msg, fmt.Sprintf("[%d]%s", i, where)
			}
		}
	case tuple:
		for i, e := range x {
			if msg, where := badPart(e, depth+1); msg != "" {
				return msg, fmt.Sprintf("[%d]%s", i, where)
			}
		}
	case *Dict:
		for i, e := range x.vals {
			if msg, where := badPart(e, depth+1); msg != "" {
				return msg, fmt.Sprintf("[%s]%s", pyRepr(x.keys[i]), where)
			}
		}
	}
	return "", ""
}

// DecodeJSON decodes JSON as Python's json.loads does: objects become *Dict
// in document order, integers int64 (or *big.Int), other numbers float64.
func DecodeJSON(data []byte) (Value, error) {
	v, err := orderedjson.Decoder{
		Object: func() (any, func(string, any)) {
			d := NewDict()
			return d, func(k string, v any) { d.set(k, k, v) }
		},
		Number:   numberValue,
		MaxDepth: maxValueDepth,
	}.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("decode JSON: %w", err)
	}
	return v, nil
}

// numberValue converts a JSON number like Python's json module: a number
// with a fraction or exponent is a float, otherwise an int.
func numberValue(s string) (any, error) {
	if strings.ContainsAny(s, ".eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !isRangeErr(err) {
			return nil, err
		}
		return f, nil
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, nil
	}
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return nil, fmt.Errorf("invalid number %q", s)
	}
	return normBig(b), nil
}
