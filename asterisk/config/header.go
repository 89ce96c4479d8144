package config

import (
	"fmt"
	"strings"
)

// header processes a "[name]" or "[name](options)" line, as the category
// branch of process_text_line does.
//
// The name is everything up to the first ']', untrimmed, and is stored cut
// to 79 bytes. Options count only when '(' immediately follows the ']'; they
// run up to the first ')' and are split on commas without trimming, then
// applied left to right:
//
//   - "!" marks the current section as a template;
//   - "+" or "+filter" switches to the first earlier section of this name
//     (see findForAppend) and moves the variables gathered so far into it;
//   - anything else names a base section whose variables are copied.
func (r *run) header(line, file string, n int) error {
	l := r.l
	end := strings.IndexByte(line, ']')
	if end < 0 {
		return fatalf("missing ']' in section header")
	}
	name := line[1:end]
	rest := line[end+1:]
	if err := l.countSection(); err != nil {
		return err
	}
	created := &Section{Name: cutName(name), File: file, Line: n}
	if r.cat != nil && len(r.cat.Vars) > 0 {
		// Sections of a file tend to be alike: size the new one like the
		// previous one, saving the reallocations of growing it line by line.
		created.Vars = make([]Var, 0, min(len(r.cat.Vars), 64))
	}
	r.cat = created
	if strings.HasPrefix(rest, "(") {
		options, _, found := strings.Cut(rest[1:], ")")
		if !found {
			return fatalf("missing ')' after the options of section [%s]", name)
		}
		for _, opt := range strings.Split(options, ",") {
			switch {
			case opt == "!":
				r.cat.Template = true
			case strings.HasPrefix(opt, "+"):
				target, err := l.findForAppend(name, opt[1:], position{file, n})
				if err != nil {
					return err
				}
				if target == nil {
					if opt == "+" {
						return fatalf("cannot add to section [%s]: there is no earlier non-template section of that name", name)
					}
					return fatalf("cannot add to section [%s]: no earlier section of that name matches %q", name, opt[1:])
				}
				r.cat = target
				if created != nil {
					l.current = target
					target.Template = target.Template || created.Template
					if err := l.moveVars(created, target); err != nil {
						return err
					}
					created = nil
				}
			default:
				base, err := l.findSection(opt, func(*Section) bool { return true })
				if err != nil {
					return err
				}
				if base == nil {
					return fatalf("base section %q for [%s] not found", opt, name)
				}
				if err := l.inherit(r.cat, base, opt); err != nil {
					return err
				}
			}
		}
	}
	if created != nil {
		l.addSection(created)
	}
	return nil
}

// cutName cuts a section name to the 79 bytes ast_category's name holds.
func cutName(name string) string {
	if len(name) > maxSectionName {
		return name[:maxSectionName]
	}
	return name
}

// addSection appends s to the configuration and makes it current, as
// ast_category_append does.
func (l *loader) addSection(s *Section) {
	l.cfg.Sections = append(l.cfg.Sections, s)
	l.current = s
	if l.index != nil {
		l.index.add(len(l.cfg.Sections)-1, s)
	}
}

// inherit copies base's variables, in order, to the end of target, as
// ast_category_inherit does, and records the base name as written.
func (l *loader) inherit(target, base *Section, written string) error {
	if target == base && len(base.Vars) > 0 {
		// ast_category_inherit walks the list it is appending to and never
		// reaches its end.
		return &Error{File: l.at.file, Line: l.at.line,
			Msg: fmt.Sprintf("section [%s] inherits from itself (Asterisk loops forever here)", target.Name)}
	}
	if err := l.countVars(len(base.Vars)); err != nil {
		return err
	}
	if err := l.spend(len(base.Vars)); err != nil {
		return err
	}
	target.Bases = append(target.Bases, written)
	for _, v := range base.Vars {
		v.Inherited = true
		target.Vars = append(target.Vars, v)
	}
	return nil
}

// moveVars appends from's variables to to, as move_variables does for (+).
func (l *loader) moveVars(from, to *Section) error {
	if err := l.spend(len(from.Vars)); err != nil {
		return err
	}
	to.Vars = append(to.Vars, from.Vars...)
	from.Vars = nil
	return nil
}

// findForAppend finds the section a "[name](+filter)" header adds to, as
// category_get_sep with the '&' separator does: the first section whose
// name matches (any section when name is empty) and that the filter
// accepts. An empty filter accepts non-templates only.
func (l *loader) findForAppend(name, filterText string, at position) (*Section, error) {
	if err := l.spend(len(filterText)); err != nil { // compiling the expressions
		return nil, err
	}
	f, problems := parseFilter(filterText)
	for _, p := range problems {
		l.warn(at.file, at.line, p)
	}
	var work error
	found, err := l.findSection(name, func(s *Section) bool {
		ok, cost := f.matches(s)
		if err := l.spend(cost); err != nil && work == nil {
			work = err
		}
		return ok && work == nil
	})
	if work != nil {
		return nil, work
	}
	return found, err
}

// findSection returns the first section, in file order, whose name equals
// name ignoring ASCII case and which accept reports true for. As in
// does_category_match, an empty name matches every section.
func (l *loader) findSection(name string, accept func(*Section) bool) (*Section, error) {
	if name == "" {
		for _, s := range l.cfg.Sections {
			if err := l.spend(1); err != nil {
				return nil, err
			}
			if accept(s) {
				return s, nil
			}
		}
		return nil, nil
	}
	if len(name) > maxSectionName {
		return nil, nil // stored names are at most 79 bytes: none can be equal
	}
	if l.index == nil {
		l.index = newSectionIndex(l.cfg.Sections)
	}
	for i := l.index.first(name); i >= 0; i = l.index.next[i] {
		if err := l.spend(1); err != nil {
			return nil, err
		}
		if s := l.cfg.Sections[i]; accept(s) {
			return s, nil
		}
	}
	return nil, nil
}

// sectionIndex chains the sections that share a name (ignoring ASCII case)
// so that lookups by name need not scan every section.
type sectionIndex struct {
	ends map[string][2]int // folded name → positions of its first and last section
	next []int             // position of the next section with the same name, or -1
}

// newSectionIndex indexes sections.
func newSectionIndex(sections []*Section) *sectionIndex {
	x := &sectionIndex{ends: make(map[string][2]int, len(sections)), next: make([]int, 0, len(sections))}
	for i, s := range sections {
		x.add(i, s)
	}
	return x
}

// add indexes s, which is at position i, the end of the list.
func (x *sectionIndex) add(i int, s *Section) {
	key := asciiLower(s.Name)
	x.next = append(x.next, -1)
	if e, ok := x.ends[key]; ok {
		x.next[e[1]] = i
		x.ends[key] = [2]int{e[0], i}
		return
	}
	x.ends[key] = [2]int{i, i}
}

// first returns the position of the first section named name, or -1.
func (x *sectionIndex) first(name string) int {
	if e, ok := x.ends[asciiLower(name)]; ok {
		return e[0]
	}
	return -1
}
