package plugin

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Package is one [pkg_ID] section of a plugin's pkgs.db: firmware or
// language files the administrator may install. This is the light reading
// plugin loading needs (the sections, their keys and references, checked);
// installing packages is the firmware package's job.
type Package struct {
	ID          string
	Description string
	Version     string
	Files       []string // file ids ([file_ID] sections)
	Install     string   // install recipe id, "" when none
}

// iniSection is one section of an INI file as Python's RawConfigParser
// reads it.
type iniSection struct {
	name string
	line int
	keys map[string]iniValue
}

type iniValue struct {
	value string
	line  int
}

// parseINI reads RawConfigParser's syntax: [section] headers, "key: value"
// or "key = value" options (keys lower-cased), continuation lines that
// start with white space, and '#' or ';' comment lines. name prefixes the
// errors' file:line.
func parseINI(name string, data []byte) ([]iniSection, error) {
	var secs []iniSection
	var cur *iniSection
	var last string
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		line := strings.TrimRight(raw, " \t\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';':
			last = ""
			continue
		case line[0] == ' ' || line[0] == '\t':
			if cur == nil || last == "" {
				return nil, fmt.Errorf("%s:%d: continuation line without an option", name, n)
			}
			v := cur.keys[last]
			v.value += "\n" + trimmed
			cur.keys[last] = v
			continue
		case line[0] == '[':
			end := strings.IndexByte(line, ']')
			if end < 0 {
				return nil, fmt.Errorf("%s:%d: section header without ']'", name, n)
			}
			s := line[1:end]
			if seen[s] {
				return nil, fmt.Errorf("%s:%d: section [%s] already defined", name, n, s)
			}
			seen[s] = true
			secs = append(secs, iniSection{name: s, line: n, keys: map[string]iniValue{}})
			cur, last = &secs[len(secs)-1], ""
			continue
		}
		if cur == nil {
			return nil, fmt.Errorf("%s:%d: option outside any section", name, n)
		}
		i := strings.IndexAny(line, ":=")
		if i <= 0 {
			return nil, fmt.Errorf("%s:%d: %q is not \"key: value\"", name, n, trimmed)
		}
		key := strings.ToLower(strings.TrimSpace(line[:i]))
		if _, dup := cur.keys[key]; dup {
			return nil, fmt.Errorf("%s:%d: option %q already set in [%s]", name, n, key, cur.name)
		}
		cur.keys[key] = iniValue{value: strings.TrimSpace(line[i+1:]), line: n}
		last = key
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return secs, nil
}

// ParsePkgsDB checks a pkgs.db document: every section is a file_, pkg_
// or install_ section; a file has a url (possibly empty), a size in bytes
// and a 40-digit SHA-1; a package names existing files, recipe and
// dependencies. It returns the packages in file order.
func ParsePkgsDB(name string, data []byte) ([]Package, error) {
	secs, err := parseINI(name, data)
	if err != nil {
		return nil, err
	}
	byName := map[string]*iniSection{}
	for i := range secs {
		byName[secs[i].name] = &secs[i]
	}
	var pkgs []Package
	for _, s := range secs {
		kind, id, _ := strings.Cut(s.name, "_")
		if id == "" {
			return nil, fmt.Errorf("%s:%d: section [%s] is not file_ID, pkg_ID or install_ID", name, s.line, s.name)
		}
		switch kind {
		case "file":
			for _, k := range []string{"url", "size", "sha1sum"} {
				if _, ok := s.keys[k]; !ok {
					return nil, fmt.Errorf("%s:%d: [%s] has no %s", name, s.line, s.name, k)
				}
			}
			if size := s.keys["size"]; !isCount(size.value) {
				return nil, fmt.Errorf("%s:%d: size %q is not a number of bytes", name, size.line, size.value)
			}
			if sum := s.keys["sha1sum"]; len(sum.value) != 40 || strings.Trim(strings.ToLower(sum.value), "0123456789abcdef") != "" {
				return nil, fmt.Errorf("%s:%d: sha1sum %q is not 40 hex digits", name, sum.line, sum.value)
			}
		case "install":
			for k, v := range s.keys {
				if src, dst, ok := strings.Cut(k, "-"); !ok || src == "" || dst == "" {
					return nil, fmt.Errorf("%s:%d: install step %q is not SRC-DST", name, v.line, k)
				}
			}
		case "pkg":
			p := Package{ID: id, Description: s.keys["description"].value, Version: s.keys["version"].value}
			if f, ok := s.keys["files"]; ok {
				p.Files = strings.Fields(f.value)
				for _, fid := range p.Files {
					if byName["file_"+fid] == nil {
						return nil, fmt.Errorf("%s:%d: [%s] names file %q, which has no [file_%s]", name, f.line, s.name, fid, fid)
					}
				}
			}
			if in, ok := s.keys["install"]; ok {
				fields := strings.Fields(in.value)
				if len(fields) == 0 || byName["install_"+fields[0]] == nil {
					return nil, fmt.Errorf("%s:%d: [%s] names install recipe %q, which has no section", name, in.line, s.name, in.value)
				}
				p.Install = fields[0]
			}
			if dep, ok := s.keys["depends"]; ok {
				for _, d := range strings.Fields(dep.value) {
					if byName["pkg_"+d] == nil {
						return nil, fmt.Errorf("%s:%d: [%s] depends on %q, which has no [pkg_%s]", name, dep.line, s.name, d, d)
					}
				}
			}
			pkgs = append(pkgs, p)
		default:
			return nil, fmt.Errorf("%s:%d: section [%s] is not file_ID, pkg_ID or install_ID", name, s.line, s.name)
		}
	}
	return pkgs, nil
}

func isCount(s string) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && n >= 0
}
