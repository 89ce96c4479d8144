package jinja

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// MarshalJSON encodes the dictionary in order, as Python's json.dumps
// does: non-string keys become strings, tuples become arrays.
func (d *Dict) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, d, 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v any, depth int) error {
	if depth > maxValueDepth {
		return fmt.Errorf("value nested deeper than %d levels", maxValueDepth)
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case *big.Int:
		b.WriteString(x.String())
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("unsupported value: %s", floatRepr(x))
		}
		b.WriteString(floatRepr(x))
	case string:
		s, _ := json.Marshal(x)
		b.Write(s)
	case markup:
		s, _ := json.Marshal(string(x))
		b.Write(s)
	case []any:
		return writeJSONList(b, x, depth)
	case tuple:
		return writeJSONList(b, x, depth)
	case *Dict:
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			var ks string
			switch kk := k.(type) {
			case string:
				ks = kk
			case nil, bool, int64, *big.Int, float64:
				ks = pyJSONKey(kk)
			default:
				return fmt.Errorf("keys must be str, int, float, bool or None, not %s", typeName(k))
			}
			s, _ := json.Marshal(ks)
			b.Write(s)
			b.WriteString(": ")
			if err := writeJSON(b, x.vals[i], depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("object of type %s is not JSON serializable", typeName(v))
	}
	return nil
}

func pyJSONKey(k any) string {
	switch x := k.(type) {
	case nil:
		return "null"
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return toStr(k)
}

func writeJSONList(b *bytes.Buffer, l []any, depth int) error {
	b.WriteByte('[')
	for i, e := range l {
		if i > 0 {
			b.WriteString(", ")
		}
		if err := writeJSON(b, e, depth+1); err != nil {
			return err
		}
	}
	b.WriteByte(']')
	return nil
}
