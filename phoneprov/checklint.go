package phoneprov

import (
	"fmt"
	"github.com/phoneprovd/phoneprovd/asterisk/cstring"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// standardVariables are the variables Asterisk defines for a line, whether
// or not a given provider sets them (docs/asterisk.md#variables), and the ones
// phoneprovd reads from lines (PROV_USER, PROV_PASSWORD).
var standardVariables = []string{
	"MAC", "PROFILE", "USERNAME", "DISPLAY_NAME", "SECRET", "LABEL", "CALLERID", "TIMEZONE",
	"LINE", "LINEKEYS", "SERVER", "SERVER_PORT", "SERVER_IFACE", "VOICEMAIL_EXTEN", "EXTENSION_LENGTH",
	"TZOFFSET", "DST_ENABLE", "DST_START_MONTH", "DST_START_MDAY", "DST_START_HOUR",
	"DST_END_MONTH", "DST_END_MDAY", "DST_END_HOUR",
	"ENDPOINT_ID", "TRANSPORT_ID", "AUTH_ID", "endpoint",
	"PROV_USER", "PROV_PASSWORD", "EPOCH",
}

// varNameFuncs are the functions whose first argument names a variable.
var varNameFuncs = map[string]bool{
	"CUT": true, "STRREPLACE": true, "REPLACE": true, "FIELDQTY": true, "FIELDNUM": true,
	"LISTFILTER": true, "EVAL": true, "INC": true, "DEC": true,
}

// knownVariables returns every variable name something defines: Asterisk,
// phoneprovd, a built-in, a setvar or any line of any phone.
func (c *checker) knownVariables() map[string]bool {
	known := make(map[string]bool)
	for _, list := range [][]string{standardVariables, DSTRuleVariables, RequestVariables} {
		for _, n := range list {
			known[n] = true
		}
	}
	for n := range c.s.opts.builtins() {
		known[n] = true
	}
	for _, p := range c.s.Profiles {
		for _, v := range p.Setvars {
			known[stripUnderscores(v.Name)] = true
		}
	}
	for _, p := range c.s.phones {
		for _, l := range p.Lines {
			for _, v := range l.Vars {
				known[stripUnderscores(v.Name)] = true
			}
		}
	}
	return known
}

// stripUnderscores is how a stored name answers lookups: up to two leading
// underscores are ignored.
func stripUnderscores(name string) string {
	for i := 0; i < 2 && strings.HasPrefix(name, "_"); i++ {
		name = name[1:]
	}
	return name
}

// lintConfig lints the setvars and dynamic file URIs of phoneprov.conf,
// which are substituted at load time.
func (c *checker) lintConfig() {
	cfg, err := config.Load("phoneprov.conf", c.s.opts.configOptions())
	if err != nil {
		return // Load would have failed
	}
	for _, sec := range cfg.Browse() {
		if strings.EqualFold(sec.Name, "general") {
			continue
		}
		for _, v := range sec.Vars {
			pos := Pos{v.File, v.Line}
			switch {
			case strings.EqualFold(v.Name, "setvar"):
				args := subst.SplitArgs(v.Value, '=', 2, true)
				if len(args) == 2 {
					name := cstring.Strip(args[0])
					c.lintText(cstring.Strip(args[1]), func(int) Pos { return pos }, "setvar "+name+": ", false)
				}
			case strings.EqualFold(v.Name, "mime_type"), strings.EqualFold(v.Name, "staticdir"),
				strings.EqualFold(v.Name, "static_file"):
			default:
				c.lintText(v.Name, func(int) Pos { return pos }, "file URI "+v.Name+": ", false)
			}
		}
	}
}

// lintTemplate lints a template file, once.
func (c *checker) lintTemplate(rel string) {
	if c.linted[rel] {
		return
	}
	c.linted[rel] = true
	text, err := c.s.texts.get(rel)
	if err != nil {
		return // Load reports unreadable profile templates; PP_EACH_EXTENSION's are reported where called
	}
	path := c.templatePath(rel)
	c.lintText(text, func(line int) Pos { return Pos{path, line} }, "", true)
}

// lintText reports the problems Scan finds in text: unterminated
// references, unknown functions and variables, functions blocked while
// serving (when served is set: a template rendered for a request, not a
// setvar or URI rendered at load time).
func (c *checker) lintText(text string, at func(line int) Pos, prefix string, served bool) {
	refs := subst.Scan(text)
	local := setInRender(refs)
	var unterminatedEnd = -1 // end of the last unterminated reference reported
	for _, r := range refs {
		pos := at(r.Line)
		open := map[subst.RefKind]string{subst.RefVariable: "${", subst.RefFunction: "${", subst.RefExpression: "$["}[r.Kind]
		if r.Percent {
			open = "%{"
		}
		if r.Unterminated && r.Start >= unterminatedEnd {
			unterminatedEnd = r.End
			closing := "}"
			if r.Kind == subst.RefExpression {
				closing = "]"
			}
			c.report(Error, pos, "", "%sunterminated %s%s: no closing %s (Asterisk takes the rest of the text as the name; it renders empty)",
				prefix, open, firstLine(text[r.Start+2:r.End], 20), closing)
			continue
		}
		if r.Unclosed {
			c.report(Error, pos, "", "%sfunction call %s%s(… has no closing parenthesis", prefix, open, r.Name)
		}
		if r.Dynamic {
			continue
		}
		switch r.Kind {
		case subst.RefFunction:
			c.lintCall(r, pos, prefix, open, served, local)
		case subst.RefVariable:
			c.lintVariable(r.Name, pos, prefix, open, local)
		}
	}
}

// lintVariable reports a variable nothing defines.
func (c *checker) lintVariable(name string, pos Pos, prefix, open string, local map[string]bool) {
	if c.known[name] || local[name] {
		return
	}
	if name == "" {
		c.report(Error, pos, "", "%sempty %s}: it renders empty", prefix, open)
		return
	}
	c.report(Error, pos, "", "%sunknown variable %s%s}: no phone, setvar or built-in defines it, so it renders empty%s",
		prefix, open, name, suggest(name, c.known))
}

// lintCall reports an unknown or blocked function, checks the variable a
// function names, and lints the templates PP_EACH_EXTENSION reads.
func (c *checker) lintCall(r subst.Ref, pos Pos, prefix, open string, served bool, local map[string]bool) {
	f := c.s.engine.Funcs().Lookup(r.Name)
	if f == nil {
		names := make(map[string]bool)
		for _, n := range c.s.engine.Funcs().Names() {
			names[n] = true
		}
		c.report(Error, pos, "", "%sunknown function %s%s()}: it renders empty%s", prefix, open, r.Name, suggest(r.Name, names))
		return
	}
	if served && f.Escalating && !c.s.opts.LiveDangerously {
		c.report(Warning, pos, "", "%s%s is blocked while serving a phone, as in Asterisk, and renders empty (live_dangerously allows it)", prefix, r.Name)
	}
	if varNameFuncs[r.Name] && !strings.ContainsAny(r.Args, "$%") {
		if args := subst.SplitArgs(r.Args, ',', 2, true); len(args) > 0 && args[0] != "" {
			c.lintVariable(args[0], pos, prefix+r.Name+"(): ", "${", local)
		}
	}
	if r.Name == "PP_EACH_EXTENSION" {
		args := subst.SplitArgs(r.Args, ',', 2, true)
		file := subst.Arg(args, 1)
		if len(args) < 2 || strings.ContainsAny(file, "$%") {
			return
		}
		if _, err := c.s.texts.get(file); err != nil {
			hint := ""
			if strings.HasPrefix(file, " ") {
				hint = " (the space after the comma is part of the name, as in Asterisk)"
			}
			c.report(Error, pos, "", "%sPP_EACH_EXTENSION: template %q cannot be read: %s%s; it renders empty", prefix, file, describeFileError(err), hint)
			return
		}
		c.lintTemplate(file)
	}
}

// setInRender returns the variables a text sets for itself with SET, INC
// or DEC (they last for the render).
func setInRender(refs []subst.Ref) map[string]bool {
	local := make(map[string]bool)
	for _, r := range refs {
		if r.Kind != subst.RefFunction {
			continue
		}
		switch r.Name {
		case "SET":
			if name, _, ok := strings.Cut(r.Args, "="); ok {
				local[stripUnderscores(strings.TrimSpace(name))] = true
			}
		case "INC", "DEC":
			local[strings.TrimSpace(r.Args)] = true
		}
	}
	return local
}

// firstLine returns s up to its first newline, at most n bytes.
func firstLine(s string, n int) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// suggest returns "; did you mean X?" for the known name closest to name
// (ignoring case, as a typo often is), when one is close enough.
func suggest(name string, known map[string]bool) string {
	limit := 2
	if len(name) <= 4 {
		limit = 1
	}
	best, bestDist := "", limit+1
	for k := range known {
		d := editDistance(strings.ToUpper(name), strings.ToUpper(k))
		if d < bestDist || d == bestDist && k < best {
			best, bestDist = k, d
		}
	}
	if best == "" || best == name {
		return ""
	}
	return fmt.Sprintf("; did you mean %s?", best)
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
