package profiletest

// Parsers for the rendered files, as strict as the phones: a Yealink
// key = value file, and XML read with encoding/xml.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Settings is a parsed configuration file: every setting name with the
// values it was given, in file order.
type Settings map[string][]string

func (s Settings) add(key, value string) { s[key] = append(s[key], value) }

// One returns the single value of key, failing when it is missing or set
// more than once.
func (s Settings) One(key string) (string, error) {
	switch v := s[key]; len(v) {
	case 0:
		return "", fmt.Errorf("%s is not set", key)
	case 1:
		return v[0], nil
	default:
		return "", fmt.Errorf("%s is set %d times: %q", key, len(v), v)
	}
}

// ParseKeyValue parses a Yealink configuration file line by line: the
// mandatory "#!version:1.0.0.1" first line, then blank lines, "#" comments
// and "key = value" lines (Yealink Auto Provisioning Guide, "CFG file
// format"). A key is a dotted name without blanks; the value runs to the end
// of the line.
func ParseKeyValue(body string) (Settings, error) {
	lines := strings.Split(body, "\n")
	if lines[0] != "#!version:1.0.0.1" {
		return nil, fmt.Errorf("line 1 is %q, not the #!version:1.0.0.1 header", lines[0])
	}
	s := Settings{}
	for i, line := range lines[1:] {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return nil, fmt.Errorf("line %d: %q is neither a comment nor key = value", i+2, line)
		}
		s.add(key, strings.TrimSpace(value))
	}
	return s, nil
}

// XMLNode is an element of a parsed XML document.
type XMLNode struct {
	Name     string
	Attrs    []xml.Attr
	text     strings.Builder
	Children []*XMLNode
}

// Text returns the element's own text.
func (n *XMLNode) Text() string { return n.text.String() }

// ParseXML parses a whole XML document with encoding/xml in strict mode:
// every element closed, attributes quoted, entities known, one root.
func ParseXML(body string) (*XMLNode, error) {
	d := xml.NewDecoder(strings.NewReader(body))
	d.Strict = true
	var root *XMLNode
	var stack []*XMLNode
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &XMLNode{Name: tok.Name.Local, Attrs: tok.Attr}
			switch {
			case len(stack) > 0:
				top := stack[len(stack)-1]
				top.Children = append(top.Children, n)
			case root != nil:
				return nil, fmt.Errorf("second root element <%s>", n.Name)
			default:
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(tok)
			} else if len(bytes.TrimSpace(tok)) > 0 {
				return nil, fmt.Errorf("text %q outside the root element", tok)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// Attr returns the value of the element's attribute name.
func (n *XMLNode) Attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// ElementSettings flattens an element-per-setting document: each leaf's
// path from the root is its key ("flat-profile/User_ID_1_"), with the
// index attribute phones use for per-line settings appended in brackets
// ("settings/phone-settings/user_name[2]", "sysConf/sip/line[2]/RegisterUser").
func ElementSettings(root *XMLNode) Settings {
	s := Settings{}
	var walk func(n *XMLNode, prefix string)
	walk = func(n *XMLNode, prefix string) {
		key := prefix + n.Name
		for _, index := range []string{"idx", "index", "button"} {
			if v, ok := n.Attr(index); ok {
				key += "[" + v + "]"
			}
		}
		if len(n.Children) == 0 {
			s.add(key, strings.TrimSpace(n.text.String()))
			return
		}
		for _, c := range n.Children {
			walk(c, key+"/")
		}
	}
	walk(root, "")
	return s
}

// AttributeSettings collects every attribute of the document by name: the
// way Polycom configuration files carry their settings.
func AttributeSettings(root *XMLNode) Settings {
	s := Settings{}
	var walk func(n *XMLNode)
	walk = func(n *XMLNode) {
		for _, a := range n.Attrs {
			s.add(a.Name.Local, a.Value)
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(root)
	return s
}

// Entry is one phonebook entry.
type Entry struct{ Name, Number string }

// Entries collects phonebook entries: every element called item (under
// list), with the texts of its descendants called nameTag and numberTag.
func Entries(root *XMLNode, item, nameTag, numberTag string) []Entry {
	var out []Entry
	var find func(n *XMLNode, tag string) string
	find = func(n *XMLNode, tag string) string {
		for _, c := range n.Children {
			if c.Name == tag {
				return strings.TrimSpace(c.text.String())
			}
			if v := find(c, tag); v != "" {
				return v
			}
		}
		return ""
	}
	var walk func(n *XMLNode)
	walk = func(n *XMLNode) {
		if n.Name == item {
			out = append(out, Entry{find(n, nameTag), find(n, numberTag)})
			return
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(root)
	return out
}
