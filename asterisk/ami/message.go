package ami

import (
	"log/slog"
	"strconv"
	"strings"
)

// Field is one "Key: Value" line of an AMI message.
type Field struct {
	Key, Value string
}

// F returns the field key: value, a shorthand for action arguments.
func F(key, value string) Field {
	return Field{Key: key, Value: value}
}

// String returns the field as "Key: Value", with the value of a secret
// field replaced by "[redacted]".
func (f Field) String() string {
	return f.Key + ": " + redactedValue(f.Key, f.Value)
}

// LogValue implements slog.LogValuer with secret values redacted.
func (f Field) LogValue() slog.Value {
	return slog.StringValue(f.String())
}

// Message is an AMI message: a response, an event or an action. Its
// fields keep their order; keys are compared case-insensitively and may
// repeat (Variable:, Contacts:).
//
// String, GoString and LogValue redact secrets (see redactedKeys); the
// values themselves are returned as they are by Get, Values and Fields.
type Message struct {
	fields []Field
}

// NewMessage returns a message with the given fields.
func NewMessage(fields ...Field) Message {
	return Message{fields: append([]Field(nil), fields...)}
}

// Get returns the value of the first field named key, or "".
func (m Message) Get(key string) string {
	v, _ := m.Lookup(key)
	return v
}

// Lookup returns the value of the first field named key and whether there
// is one.
func (m Message) Lookup(key string) (string, bool) {
	for _, f := range m.fields {
		if strings.EqualFold(f.Key, key) {
			return f.Value, true
		}
	}
	return "", false
}

// Values returns the values of every field named key, in order.
func (m Message) Values(key string) []string {
	var vals []string
	for _, f := range m.fields {
		if strings.EqualFold(f.Key, key) {
			vals = append(vals, f.Value)
		}
	}
	return vals
}

// Fields returns a copy of the fields in order.
func (m Message) Fields() []Field {
	return append([]Field(nil), m.fields...)
}

// Len returns the number of fields.
func (m Message) Len() int {
	return len(m.fields)
}

// IsEvent reports whether the message is an event (has an Event field).
func (m Message) IsEvent() bool {
	_, ok := m.Lookup("Event")
	return ok
}

// IsResponse reports whether the message is a response (has a Response
// field).
func (m Message) IsResponse() bool {
	_, ok := m.Lookup("Response")
	return ok
}

// String returns the message in wire form with CRLF line ends and secret
// values redacted; it is meant for humans, not for sending.
func (m Message) String() string {
	var b strings.Builder
	for _, f := range m.fields {
		b.WriteString(f.String())
		b.WriteString("\r\n")
	}
	return b.String()
}

// GoString returns the message for the %#v verb, with secrets redacted.
func (m Message) GoString() string {
	var b strings.Builder
	b.WriteString("ami.NewMessage(")
	for i, f := range m.fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("ami.F(")
		b.WriteString(strconv.Quote(f.Key))
		b.WriteString(", ")
		b.WriteString(strconv.Quote(redactedValue(f.Key, f.Value)))
		b.WriteString(")")
	}
	b.WriteString(")")
	return b.String()
}

// LogValue implements slog.LogValuer: a group of the fields with secret
// values redacted. Repeated keys are numbered (Variable, Variable#2, ...).
func (m Message) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, len(m.fields))
	seen := make(map[string]int, len(m.fields))
	for _, f := range m.fields {
		key := f.Key
		lower := strings.ToLower(key)
		seen[lower]++
		if n := seen[lower]; n > 1 {
			key += "#" + strconv.Itoa(n)
		}
		attrs = append(attrs, slog.String(key, redactedValue(f.Key, f.Value)))
	}
	return slog.GroupValue(attrs...)
}
