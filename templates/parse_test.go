package templates_test

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

// settings is a parsed configuration file: every setting name with the
// values it was given, in file order.
type settings map[string][]string

func (s settings) add(key, value string) { s[key] = append(s[key], value) }

// one returns the single value of key, failing when it is missing or set
// more than once.
func (s settings) one(key string) (string, error) {
	switch v := s[key]; len(v) {
	case 0:
		return "", fmt.Errorf("%s is not set", key)
	case 1:
		return v[0], nil
	default:
		return "", fmt.Errorf("%s is set %d times: %q", key, len(v), v)
	}
}

// parseKeyValue parses a Yealink configuration file line by line: the
// mandatory "#!version:1.0.0.1" first line, then blank lines, "#" comments
// and "key = value" lines (Yealink Auto Provisioning Guide, "CFG file
// format"). A key is a dotted name without blanks; the value runs to the end
// of the line.
func parseKeyValue(body string) (settings, error) {
	lines := strings.Split(body, "\n")
	if lines[0] != "#!version:1.0.0.1" {
		return nil, fmt.Errorf("line 1 is %q, not the #!version:1.0.0.1 header", lines[0])
	}
	s := settings{}
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

// xmlNode is an element of a parsed XML document.
type xmlNode struct {
	name     string
	attrs    []xml.Attr
	text     strings.Builder
	children []*xmlNode
}

// parseXML parses a whole XML document with encoding/xml in strict mode:
// every element closed, attributes quoted, entities known, one root.
func parseXML(body string) (*xmlNode, error) {
	d := xml.NewDecoder(strings.NewReader(body))
	d.Strict = true
	var root *xmlNode
	var stack []*xmlNode
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
			n := &xmlNode{name: tok.Name.Local, attrs: tok.Attr}
			switch {
			case len(stack) > 0:
				top := stack[len(stack)-1]
				top.children = append(top.children, n)
			case root != nil:
				return nil, fmt.Errorf("second root element <%s>", n.name)
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

// attr returns the value of the element's attribute name.
func (n *xmlNode) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// elementSettings flattens an element-per-setting document: each leaf's
// path from the root is its key ("flat-profile/User_ID_1_"), with the
// index attribute phones use for per-line settings appended in brackets
// ("settings/phone-settings/user_name[2]", "sysConf/sip/line[2]/RegisterUser").
func elementSettings(root *xmlNode) settings {
	s := settings{}
	var walk func(n *xmlNode, prefix string)
	walk = func(n *xmlNode, prefix string) {
		key := prefix + n.name
		for _, index := range []string{"idx", "index", "button"} {
			if v, ok := n.attr(index); ok {
				key += "[" + v + "]"
			}
		}
		if len(n.children) == 0 {
			s.add(key, strings.TrimSpace(n.text.String()))
			return
		}
		for _, c := range n.children {
			walk(c, key+"/")
		}
	}
	walk(root, "")
	return s
}

// attributeSettings collects every attribute of the document by name: the
// way Polycom configuration files carry their settings.
func attributeSettings(root *xmlNode) settings {
	s := settings{}
	var walk func(n *xmlNode)
	walk = func(n *xmlNode) {
		for _, a := range n.attrs {
			s.add(a.Name.Local, a.Value)
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	return s
}

// entry is one phonebook entry.
type entry struct{ name, number string }

// entries collects phonebook entries: every element called item (under
// list), with the texts of its descendants called nameTag and numberTag.
func entries(root *xmlNode, item, nameTag, numberTag string) []entry {
	var out []entry
	var find func(n *xmlNode, tag string) string
	find = func(n *xmlNode, tag string) string {
		for _, c := range n.children {
			if c.name == tag {
				return strings.TrimSpace(c.text.String())
			}
			if v := find(c, tag); v != "" {
				return v
			}
		}
		return ""
	}
	var walk func(n *xmlNode)
	walk = func(n *xmlNode) {
		if n.name == item {
			out = append(out, entry{find(n, nameTag), find(n, numberTag)})
			return
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	return out
}
