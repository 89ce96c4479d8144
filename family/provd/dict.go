package provd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/phoneprovd/phoneprovd/internal/orderedjson"
)

// Dict is an ordered dictionary, the shape of Python's dict as provd's
// plugins use it: keys are strings (JSON object keys) or ints (Digium's
// function keys are re-keyed by number), iteration follows insertion
// order, and setting an existing key keeps its place.
//
// Values are nil (None), bool, int64, float64, string, *Dict and []any.
type Dict struct {
	keys []any
	vals map[any]any
}

// NewDict returns an empty Dict.
func NewDict() *Dict { return &Dict{vals: make(map[any]any)} }

// Len returns the number of keys.
func (d *Dict) Len() int {
	if d == nil {
		return 0
	}
	return len(d.keys)
}

// Keys returns the keys in order. The slice is the Dict's own: do not
// change it.
func (d *Dict) Keys() []any {
	if d == nil {
		return nil
	}
	return d.keys
}

// Get returns the value of key and whether it is present (Python's
// "key in d" and d[key]).
func (d *Dict) Get(key any) (any, bool) {
	if d == nil {
		return nil, false
	}
	v, ok := d.vals[normKey(key)]
	return v, ok
}

// Has reports whether key is present.
func (d *Dict) Has(key any) bool {
	_, ok := d.Get(key)
	return ok
}

// String returns the value of key when it is a string, else "".
func (d *Dict) String(key any) string {
	v, _ := d.Get(key)
	s, _ := v.(string)
	return s
}

// Dict returns the value of key when it is a *Dict, else nil.
func (d *Dict) Dict(key any) *Dict {
	v, _ := d.Get(key)
	s, _ := v.(*Dict)
	return s
}

// Set sets key to v: a new key goes last, an existing one keeps its place.
func (d *Dict) Set(key, v any) {
	key = normKey(key)
	if _, ok := d.vals[key]; !ok {
		d.keys = append(d.keys, key)
	}
	d.vals[key] = v
}

// SetDefault is Python's setdefault: it sets key to v unless present.
func (d *Dict) SetDefault(key, v any) {
	if !d.Has(key) {
		d.Set(key, v)
	}
}

// Delete removes key.
func (d *Dict) Delete(key any) {
	key = normKey(key)
	if _, ok := d.vals[key]; !ok {
		return
	}
	delete(d.vals, key)
	for i, k := range d.keys {
		if k == key {
			d.keys = append(d.keys[:i:i], d.keys[i+1:]...)
			break
		}
	}
}

// Clone returns a deep copy of d (Python's copy.deepcopy of JSON data).
func (d *Dict) Clone() *Dict {
	if d == nil {
		return nil
	}
	c := &Dict{keys: append([]any(nil), d.keys...), vals: make(map[any]any, len(d.vals))}
	for k, v := range d.vals {
		c.vals[k] = CloneValue(v)
	}
	return c
}

// CloneValue deep-copies a Dict value.
func CloneValue(v any) any {
	switch v := v.(type) {
	case *Dict:
		return v.Clone()
	case []any:
		c := make([]any, len(v))
		for i, e := range v {
			c[i] = CloneValue(e)
		}
		return c
	}
	return v
}

// normKey makes int keys of any Go integer type the same key.
func normKey(k any) any {
	switch k := k.(type) {
	case int:
		return int64(k)
	case int32:
		return int64(k)
	}
	return k
}

// MarshalJSON writes d as a JSON object in key order (int keys as their
// decimal string, as Python's json module does).
func (d *Dict) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range d.Keys() {
		if i > 0 {
			b.WriteByte(',')
		}
		var ks string
		switch k := k.(type) {
		case string:
			ks = k
		case int64:
			ks = strconv.FormatInt(k, 10)
		default:
			return nil, fmt.Errorf("dict key of type %T", k)
		}
		kb, _ := json.Marshal(ks)
		b.Write(kb)
		b.WriteByte(':')
		if err := marshalValue(&b, d.vals[k]); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalValue writes v as JSON the way Python's json module does for
// floats ("1.0", "1e+16").
func marshalValue(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return fmt.Errorf("float %v has no JSON form", v)
		}
		b.WriteString(floatRepr(v))
		return nil
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := marshalValue(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	vb, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(vb)
	return nil
}

// maxDepth bounds the nesting DecodeJSON accepts.
const maxDepth = 64

// DecodeJSON decodes one JSON value as Python's json module would: objects
// become *Dict with keys in document order (a repeated key keeps its first
// place and its last value), integers int64, other numbers float64.
// Trailing data after the value is an error, and so is nesting deeper
// than 64. Errors name the line.
func DecodeJSON(data []byte) (any, error) {
	return orderedjson.Decoder{
		Object: func() (any, func(string, any)) {
			d := NewDict()
			return d, func(k string, v any) { d.Set(k, v) }
		},
		Number:   decodeNumber,
		MaxDepth: maxDepth,
	}.Decode(data)
}

// decodeNumber converts a JSON number: an int64 when it is one, else a
// float64; out of a float64's range is an error.
func decodeNumber(s string) (any, error) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("number %s out of range", s)
	}
	return f, nil
}
