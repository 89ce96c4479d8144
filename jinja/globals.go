package jinja

import (
	"fmt"
)

// newGlobals returns Jinja2's default global namespace: range, dict,
// namespace, cycler and joiner (lipsum is random, so not supported).
func newGlobals() map[string]any {
	return map[string]any{
		"range":     &builtinFunc{"range", globalRange},
		"dict":      &builtinFunc{"dict", globalDict},
		"namespace": &builtinFunc{"namespace", globalNamespace},
		"cycler":    &builtinFunc{"cycler", globalCycler},
		"joiner":    &builtinFunc{"joiner", globalJoiner},
		"lipsum": &builtinFunc{"lipsum", func(r *renderer, args []any, kw *kwargs) any {
			raise(&rtError{kind: "NotSupported", msg: "lipsum() is not supported by this template engine"})
			return nil
		}},
	}
}

func globalRange(r *renderer, args []any, kw *kwargs) any {
	if kw.len() > 0 {
		raiseType("range() takes no keyword arguments")
	}
	conv := func(v any) int64 {
		if i, ok := intOf(v); ok {
			return i
		}
		if b := toBig(v); b != nil {
			raise(&rtError{kind: "OverflowError", msg: "range() argument too large for this engine"})
		}
		if u, ok := v.(*undefined); ok {
			u.fail()
		}
		raiseType("'%s' object cannot be interpreted as an integer", typeName(v))
		return 0
	}
	switch len(args) {
	case 1:
		return &rangeVal{0, conv(args[0]), 1}
	case 2:
		return &rangeVal{conv(args[0]), conv(args[1]), 1}
	case 3:
		step := conv(args[2])
		if step == 0 {
			raise(valueErr("range() arg 3 must not be zero"))
		}
		return &rangeVal{conv(args[0]), conv(args[1]), step}
	case 0:
		raiseType("range expected at least 1 argument, got 0")
	}
	raiseType("range expected at most 3 arguments, got %d", len(args))
	return nil
}

func globalDict(r *renderer, args []any, kw *kwargs) any {
	if len(args) > 1 {
		raiseType("dict expected at most 1 argument, got %d", len(args))
	}
	d := NewDict()
	if len(args) == 1 {
		switch src := args[0].(type) {
		case *Dict:
			for i, k := range src.keys {
				h, _ := hashKey(k)
				d.set(h, k, src.vals[i])
			}
		default:
			for i, it := range r.items(src) {
				pair := r.items(it)
				if len(pair) != 2 {
					raise(valueErr("dictionary update sequence element #%d has length %d; 2 is required", i, len(pair)))
				}
				if err := d.setKey(pair[0], pair[1]); err != nil {
					panic(err)
				}
			}
		}
	}
	if kw != nil {
		for i, k := range kw.keys {
			d.set(k, k, kw.vals[i])
		}
	}
	r.allocItems(2 * d.Len())
	return d
}

func globalNamespace(r *renderer, args []any, kw *kwargs) any {
	d := globalDict(r, args, kw).(*Dict)
	return &namespace{attrs: d}
}

func globalCycler(r *renderer, args []any, kw *kwargs) any {
	if kw.len() > 0 {
		raiseType("cycler() got an unexpected keyword argument")
	}
	if len(args) == 0 {
		raise(&rtError{kind: "RuntimeError", msg: "at least one item has to be provided"})
	}
	return &cycler{items: append([]any{}, args...)}
}

func globalJoiner(r *renderer, args []any, kw *kwargs) any {
	a := r.bind("joiner", []string{"sep"}, 0, []any{", "}, args, kw)
	return &joiner{sep: a[0]}
}

var _ = fmt.Sprintf
