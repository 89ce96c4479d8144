package phoneprov

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// formatProblem is what a rendered file's parser found wrong with it.
type formatProblem struct {
	offset int // byte offset in the rendered file
	sev    Severity
	msg    string
	// syntax marks a well-formedness error, which a value holding XML's
	// special characters may cause.
	syntax bool
}

// Rendered file formats Check knows.
const (
	formatNone     = ""
	formatXML      = "XML"
	formatKeyValue = "key = value" // Yealink's CFG files
)

// detectFormat tells which format a rendered file is in: XML when it
// starts with '<' or its name ends in .xml, Yealink's key = value when it
// starts with the "#!version:" line.
func detectFormat(uri string, body []byte) string {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case bytes.HasPrefix(trimmed, []byte("#!version:")):
		return formatKeyValue
	case bytes.HasPrefix(trimmed, []byte("<")), strings.HasSuffix(strings.ToLower(uri), ".xml"):
		return formatXML
	}
	return formatNone
}

// checkFormat parses a rendered file as the phone would and returns what
// is wrong with it; with urlsOnly, it only checks its URLs.
func checkFormat(uri string, body []byte, urlsOnly bool) []formatProblem {
	var out []formatProblem
	switch format := detectFormat(uri, body); {
	case urlsOnly:
	case format == formatXML:
		out = checkXML(body)
	case format == formatKeyValue:
		out = checkKeyValue(body)
	}
	return append(out, checkURLs(body)...)
}

// checkXML checks that body is well-formed XML (encoding/xml in strict
// mode, plus what it lets through: one root, no text outside it, no
// attribute given twice, no "--" in a comment) and, for Polycom's
// <polycomConfig> files, that no parameter is set twice.
func checkXML(body []byte) []formatProblem {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var out []formatProblem
	syntax := func(off int, format string, args ...any) {
		out = append(out, formatProblem{offset: off, sev: Error, msg: fmt.Sprintf(format, args...), syntax: true})
	}
	depth, roots := 0, 0
	polycom := false
	params := make(map[string]bool)
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			msg := err.Error()
			if errors.As(err, &se) {
				msg = se.Msg
			}
			syntax(max(int(d.InputOffset())-1, 0), "not well-formed XML: %s", msg)
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if roots == 2 {
					syntax(off, "not well-formed XML: a second root element <%s>", t.Name.Local)
				}
				polycom = t.Name.Local == "polycomConfig"
			}
			seen := make(map[xml.Name]bool, len(t.Attr))
			for _, a := range t.Attr {
				if seen[a.Name] {
					syntax(off, "not well-formed XML: attribute %s given twice in <%s>", a.Name.Local, t.Name.Local)
				}
				seen[a.Name] = true
				if polycom {
					if params[a.Name.Local] {
						out = append(out, formatProblem{offset: off, sev: Warning, msg: fmt.Sprintf("Polycom parameter %s is set twice (the last wins)", a.Name.Local)})
					}
					params[a.Name.Local] = true
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				syntax(off, "not well-formed XML: text outside the root element")
			}
		case xml.Comment:
			if bytes.Contains(t, []byte("--")) || bytes.HasSuffix(t, []byte("-")) {
				syntax(off, `not well-formed XML: a comment holds "--"`)
			}
		}
	}
	if roots == 0 {
		syntax(0, "not well-formed XML: no root element")
	}
	return out
}

// checkKeyValue checks a Yealink CFG file (Auto Provisioning Guide, "CFG
// file format"): the "#!version:1.0.0.1" first line, then blank lines,
// "#" comments and "key = value" lines with a key without blanks.
func checkKeyValue(body []byte) []formatProblem {
	var out []formatProblem
	keys := make(map[string]bool)
	off := 0
	for i, line := range strings.SplitAfter(string(body), "\n") {
		start := off
		off += len(line)
		text := strings.TrimRight(line, "\r\n")
		trimmed := strings.TrimSpace(text)
		if i == 0 {
			if trimmed != "#!version:1.0.0.1" {
				out = append(out, formatProblem{offset: start, sev: Warning, msg: fmt.Sprintf("first line %q is not #!version:1.0.0.1", firstLine(trimmed, 30))})
			}
			continue
		}
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		key, _, ok := strings.Cut(text, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			out = append(out, formatProblem{offset: start, sev: Error, msg: fmt.Sprintf("line %q is neither a comment nor key = value", firstLine(trimmed, 40)), syntax: true})
			continue
		}
		if keys[key] {
			out = append(out, formatProblem{offset: start, sev: Warning, msg: fmt.Sprintf("%s is set twice (the last wins)", key)})
		}
		keys[key] = true
	}
	return out
}

// checkURLs reports URLs whose host is an IPv6 address without brackets
// ("http://2001:db8::1:8080/"): the phone reads part of the address as the
// port.
func checkURLs(body []byte) []formatProblem {
	var out []formatProblem
	sep := []byte("://")
	for off := 0; ; {
		i := bytes.Index(body[off:], sep)
		if i < 0 {
			return out
		}
		i += off
		start := i
		for start > 0 && isSchemeByte(body[start-1]) {
			start--
		}
		end := i + len(sep)
		for end < len(body) && !bytes.ContainsRune([]byte("/ \t\r\n\"'<>"), rune(body[end])) {
			end++
		}
		off = end
		host := body[i+len(sep) : end]
		if j := bytes.LastIndexByte(host, '@'); j >= 0 {
			host = host[j+1:]
		}
		if start == i || bytes.HasPrefix(host, []byte("[")) || bytes.Count(host, []byte(":")) < 2 {
			continue
		}
		out = append(out, formatProblem{offset: i + len(sep), sev: Error, msg: fmt.Sprintf("URL %s… holds an IPv6 address without brackets ([address]:port)", firstLine(string(body[start:end]), 60))})
	}
}

// isSchemeByte reports whether c may be part of a URL scheme.
func isSchemeByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-'
}
