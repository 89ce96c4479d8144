// Package orderedjson decodes JSON as Python's json module does, objects
// keeping their keys in document order: the one decoder behind the provd
// model's dicts (family/provd) and the Jinja engine's (jinja), each of
// which says how its objects and numbers are made.
package orderedjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Decoder makes the values of decoded JSON.
type Decoder struct {
	// Object returns a new, empty object and the function that sets one
	// of its keys: a key repeated in the document is set again, and the
	// object's own rule decides (Python's dicts keep the first place and
	// the last value).
	Object func() (obj any, set func(key string, v any))
	// Number converts a JSON number, given as its text.
	Number func(text string) (any, error)
	// MaxDepth bounds the nesting of arrays and objects.
	MaxDepth int
}

// Decode decodes data, one JSON value: objects are made by d.Object,
// arrays are []any, numbers made by d.Number, strings, booleans and null
// are string, bool and nil. Data after the value is an error. Errors name
// the line of data they are on.
func (d Decoder) Decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := d.value(dec, 0)
	if err != nil {
		return nil, lineError(data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, lineError(data, dec, errors.New("data after the JSON value"))
	}
	return v, nil
}

func (d Decoder) value(dec *json.Decoder, depth int) (any, error) {
	if depth > d.MaxDepth {
		return nil, fmt.Errorf("JSON nested deeper than %d levels", d.MaxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj, set := d.Object()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key %v is not a string", kt)
				}
				v, err := d.value(dec, depth+1)
				if err != nil {
					return nil, err
				}
				set(k, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return obj, nil
		case '[':
			l := []any{}
			for dec.More() {
				v, err := d.value(dec, depth+1)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return l, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		return d.Number(string(t))
	}
	return tok, nil // string, bool, nil
}

// lineError adds the line of the decoder's position in data to err.
func lineError(data []byte, dec *json.Decoder, err error) error {
	off := dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	off = min(off, int64(len(data)))
	return fmt.Errorf("line %d: %w", 1+bytes.Count(data[:off], []byte("\n")), err)
}
