package aritest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// object is a JSON object whose members keep their insertion order, as
// jansson's objects do (Asterisk builds every reply with ast_json_pack and
// ast_json_object_set, and jansson 2.8+ dumps members in insertion order).
type object []member

// member is one name/value pair of an object.
type member struct {
	name  string
	value any
}

// set replaces the value of name, or appends the member when it is new,
// like ast_json_object_set.
func (o object) set(name string, value any) object {
	for i := range o {
		if o[i].name == name {
			o[i].value = value
			return o
		}
	}
	return append(o, member{name, value})
}

// get returns the value of name, or nil.
func (o object) get(name string) any {
	for _, m := range o {
		if m.name == name {
			return m.value
		}
	}
	return nil
}

// array is a JSON array.
type array []any

// encodeJSON dumps v as Asterisk does with ast_json_dump_string_format:
// pretty (ari.conf pretty = yes) is jansson's JSON_INDENT(2), compact is
// JSON_COMPACT (main/json.c dump_flags). Values may be object, array,
// string, bool, int, int64, float64 or nil.
func encodeJSON(v any, pretty bool) []byte {
	var b strings.Builder
	writeJSON(&b, v, pretty, 0)
	return []byte(b.String())
}

// writeJSON writes v at the given indentation depth.
func writeJSON(b *strings.Builder, v any, pretty bool, depth int) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		// jansson prints reals with "%.17g" and keeps a ".0" on integers.
		s := strconv.FormatFloat(v, 'g', 17, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		b.WriteString(s)
	case string:
		writeJSONString(b, v)
	case object:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, m := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, pretty, depth+1)
			writeJSONString(b, m.name)
			if pretty {
				b.WriteString(": ")
			} else {
				b.WriteByte(':')
			}
			writeJSON(b, m.value, pretty, depth+1)
		}
		newline(b, pretty, depth)
		b.WriteByte('}')
	case array:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, pretty, depth+1)
			writeJSON(b, e, pretty, depth+1)
		}
		newline(b, pretty, depth)
		b.WriteByte(']')
	case []string:
		a := make(array, len(v))
		for i, s := range v {
			a[i] = s
		}
		writeJSON(b, a, pretty, depth)
	default:
		panic(fmt.Sprintf("aritest: cannot encode %T as JSON", v))
	}
}

// newline starts a new line indented by two spaces per depth level when
// pretty printing.
func newline(b *strings.Builder, pretty bool, depth int) {
	if !pretty {
		return
	}
	b.WriteByte('\n')
	for range depth {
		b.WriteString("  ")
	}
}

// writeJSONString writes s quoted the way jansson's dump_string does: only
// '"', '\\' and control characters are escaped, with \b \f \n \r \t or
// \u00XX (upper-case hex); '/' and non-ASCII UTF-8 are written as they are.
// Invalid UTF-8 bytes, which jansson refuses to store at all, are replaced
// by U+FFFD.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\uFFFD")
			i++
			continue
		}
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04X`, r)
			} else {
				b.WriteString(s[i : i+size])
			}
		}
		i += size
	}
	b.WriteByte('"')
}
