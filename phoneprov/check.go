package phoneprov

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
)

// CheckOptions say how Snapshot.Check renders the phones' files.
type CheckOptions struct {
	// Reached are the places requests are taken to reach: every dynamic
	// file of every phone is rendered for each. Nil means CheckReached
	// with the HTTP listener's port.
	Reached []Reached
}

// CheckReached returns the places Check renders for by default: an IPv4
// and an IPv6 address (documentation prefixes) on port, over HTTP — the
// IPv6 one makes a URL without brackets show.
func CheckReached(port int) []Reached {
	if port == 0 {
		port = 8080
	}
	return []Reached{
		{Server: "192.0.2.1", Port: port, Scheme: "http"},
		{Server: "2001:db8::1", Port: port, Scheme: "http"},
	}
}

// Check looks for what breaks phones in a configuration Load accepted, and
// returns every problem it finds, each with the file and line it comes
// from, sorted by file and line:
//
//   - in templates, setvars and file URIs: an unterminated ${ or $[, an
//     unknown function, an unknown variable (one that no phone, setvar or
//     built-in defines), a function Asterisk blocks while serving;
//   - (warnings) a static_file that does not exist; a MAC that is not 12
//     hexadecimal digits (its routes are not what phones ask for);
//   - every dynamic file of every phone, rendered for each place of
//     opts.Reached, is parsed as the phone would: XML must be well-formed
//     (a value with & or < in it is traced back to its user), Polycom's
//     XML settings and Yealink's key = value lines must parse, and a URL
//     must not hold an IPv6 address without brackets.
//
// Secrets never appear in the messages.
func (s *Snapshot) Check(opts CheckOptions) []Diagnostic {
	reached := opts.Reached
	if reached == nil {
		reached = CheckReached(s.opts.HTTPPort)
	}
	c := &checker{s: s, reached: reached, merged: make(map[string]int), linted: make(map[string]bool)}
	c.known = c.knownVariables()
	c.lintConfig()
	for _, p := range s.Profiles {
		for _, f := range p.Dynamic {
			c.lintTemplate(f.Template)
		}
	}
	c.checkStatics()
	c.checkMACs()
	c.checkOutputs()
	return c.result()
}

// checker gathers what Check finds.
type checker struct {
	s       *Snapshot
	reached []Reached
	known   map[string]bool // variable names something defines
	linted  map[string]bool // templates already linted
	suspect []suspectValue  // values that need escaping in XML
	secrets []string        // values of secret variables
	found   []finding
	merged  map[string]int // finding key → index in found
	byPhone map[*Phone][]*Route
}

// finding is one problem, possibly seen in several files.
type finding struct {
	Diagnostic
	routes []string // the rendered files it was seen in
}

// report records a problem once per place and message; route, when not
// empty, is a rendered file it was seen in.
func (c *checker) report(sev Severity, pos Pos, route, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	key := fmt.Sprintf("%d\x00%s\x00%d\x00%s", sev, pos.File, pos.Line, msg)
	i, ok := c.merged[key]
	if !ok {
		i = len(c.found)
		c.merged[key] = i
		c.found = append(c.found, finding{Diagnostic: Diagnostic{Severity: sev, Pos: pos, Msg: msg}})
	}
	if route != "" && !slices.Contains(c.found[i].routes, route) {
		c.found[i].routes = append(c.found[i].routes, route)
	}
}

// result returns the findings sorted by file and line, each naming the
// rendered files it was seen in.
func (c *checker) result() []Diagnostic {
	out := make([]Diagnostic, 0, len(c.found))
	for _, f := range c.found {
		d := f.Diagnostic
		switch n := len(f.routes); {
		case n == 1:
			d.Msg += " (in " + f.routes[0] + ")"
		case n > 1:
			d.Msg += fmt.Sprintf(" (in %s and %d other files)", f.routes[0], n-1)
		}
		out = append(out, d)
	}
	slices.SortStableFunc(out, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line))
	})
	return out
}

// templatePath is where a template named in phoneprov.conf lives, as the
// messages show it.
func (c *checker) templatePath(rel string) string {
	return filepath.Join(c.s.texts.root.dir, rel)
}

// checkStatics warns about static files that do not exist (often firmware
// not copied yet): Asterisk answers 500 for them. Load reports the other
// failures.
func (c *checker) checkStatics() {
	for _, p := range c.s.Profiles {
		for _, f := range p.Static {
			_, err := c.s.texts.root.resolve(f.Template)
			if err == nil || !isNotExist(err) {
				continue
			}
			status := "500 Internal Error"
			if c.s.opts.MissingStatic404 {
				status = "404"
			}
			c.report(Warning, f.Source, "", "static_file %q of profile [%s]: %s does not exist (phones asking for it get %s)",
				f.Format, p.Name, c.templatePath(f.Template), status)
		}
	}
}

// checkMACs warns about MACs phones never ask for: Asterisk does not
// normalise them, so 00:15:65:AA:BB:CC gives the route
// 00:15:65:AA:BB:CC.cfg, and the phone, asking for 001565aabbcc.cfg, gets
// 404.
func (c *checker) checkMACs() {
	for _, p := range c.s.phones {
		if isHexMAC(p.MAC) {
			continue
		}
		var routes []string
		for _, r := range c.routesOf(p) {
			routes = append(routes, r.URI)
		}
		hint := ""
		if clean := strings.Map(dropMACSeparator, p.MAC); isHexMAC(clean) {
			hint = fmt.Sprintf("; write %s", strings.ToLower(clean))
		}
		c.report(Warning, p.first.Source, "", "MAC %q is not 12 hexadecimal digits: its files are served as %s, which phones never ask for (MACs are used as written, as in Asterisk)%s",
			p.MAC, strings.Join(routes, ", "), hint)
	}
}

// routesOf returns the dynamic routes of phone p.
func (c *checker) routesOf(p *Phone) []*Route {
	if c.byPhone == nil {
		c.byPhone = make(map[*Phone][]*Route)
		for _, r := range c.s.routes.ordered() {
			if r.Phone != nil {
				c.byPhone[r.Phone] = append(c.byPhone[r.Phone], r)
			}
		}
	}
	return c.byPhone[p]
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

func isHexMAC(mac string) bool {
	if len(mac) != 12 {
		return false
	}
	for i := 0; i < len(mac); i++ {
		c := mac[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func dropMACSeparator(r rune) rune {
	if r == ':' || r == '-' || r == '.' {
		return -1
	}
	return r
}
