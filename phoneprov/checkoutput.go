package phoneprov

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/phoneprovd/phoneprovd/asterisk/expr"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// suspectValue is a variable value XML cannot hold as it is.
type suspectValue struct {
	line   *Line
	name   string
	value  string
	secret bool
}

// needsEscaping reports whether a value cannot go into XML as it is: it
// holds <, a quote, "]]>", "--", or an & that does not start an entity
// (an already escaped value is fine).
func needsEscaping(v string) bool {
	if strings.ContainsAny(v, `<"'`) || strings.Contains(v, "]]>") || strings.Contains(v, "--") {
		return true
	}
	for i := strings.IndexByte(v, '&'); i >= 0; {
		if !xmlEntity.MatchString(v[i:]) {
			return true
		}
		j := strings.IndexByte(v[i+1:], '&')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// xmlEntity matches an entity or character reference at the start.
var xmlEntity = regexp.MustCompile(`^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);`)

// escapedBy names the setvars of the shipped phoneprov.conf that escape a
// variable for XML.
var escapedBy = map[string]string{
	"DISPLAY_NAME": "XML_DISPLAY_NAME", "LABEL": "XML_LABEL", "USERNAME": "XML_USERNAME",
	"SECRET": "XML_SECRET", "CALLERID": "XML_CALLERID", "VOICEMAIL_EXTEN": "XML_VOICEMAIL_EXTEN",
}

// suspects returns every variable value of every line that holds one of
// xmlSpecial, computed once.
func (c *checker) suspects() []suspectValue {
	if c.suspect != nil {
		return c.suspect
	}
	c.suspect = []suspectValue{}
	for _, p := range c.s.phones {
		for _, l := range p.Lines {
			for _, v := range l.Vars {
				if !needsEscaping(v.Value) {
					continue
				}
				c.suspect = append(c.suspect, suspectValue{line: l, name: v.Name, value: v.Value, secret: c.isSecret(v.Name)})
			}
		}
	}
	return c.suspect
}

// isSecret reports whether a variable carries a secret: SECRET, the
// setvars computed from it, PROV_PASSWORD.
func (c *checker) isSecret(name string) bool {
	return c.s.secretVars[name] || name == "PROV_PASSWORD"
}

// checkOutputs renders every served dynamic route for every place of
// c.reached and checks the result as its phone would read it. The renders
// and parses run on every CPU, a chunk of routes at a time; what they find
// is reported in route order.
func (c *checker) checkOutputs() {
	var routes []*Route
	for _, r := range c.s.routes.ordered() {
		if r.Phone != nil && r.plugin == nil && c.s.routes.lookup(r.URI) == r { // a template's, not shadowed (CheckPlugins checks plugins' files)
			routes = append(routes, r)
		}
	}
	const chunk = 64
	results := make([][]outputResult, chunk)
	for start := 0; start < len(routes); start += chunk {
		batch := routes[start:min(start+chunk, len(routes))]
		var wg sync.WaitGroup
		next := atomic.Int64{}
		for range min(runtime.GOMAXPROCS(0), len(batch)) {
			wg.Go(func() {
				for i := int(next.Add(1)) - 1; i < len(batch); i = int(next.Add(1)) - 1 {
					results[i] = c.renderRoute(batch[i])
				}
			})
		}
		wg.Wait()
		for i := range batch {
			for _, res := range results[i] {
				c.reportOutput(res)
			}
			results[i] = nil
		}
	}
}

// outputResult is what rendering a route for one place found.
type outputResult struct {
	route    *Route
	text     string
	scope    lineScope
	opts     subst.Options
	err      error
	logs     []logged
	problems []formatProblem
	body     []byte // kept only when there are problems
}

// renderRoute renders r for every place of c.reached and checks the
// bodies: the file's syntax once, its URLs for each place — unless the
// first render shows no SERVER (a phone book): the others would give the
// same URLs.
func (c *checker) renderRoute(r *Route) []outputResult {
	text, err := c.s.texts.get(r.File.Template)
	if err != nil {
		return nil // Load reported it
	}
	var out []outputResult
	for i, at := range c.reached {
		res, body := c.renderAt(r, text, at, i > 0)
		out = append(out, res)
		if i == 0 && (res.scope.req.at.Server == "" || !bytes.Contains(body, []byte(res.scope.req.at.Server))) {
			break
		}
	}
	return out
}

// renderAt renders route r for a request that reached at and parses the
// body (with urlsOnly, only its URLs).
func (c *checker) renderAt(r *Route, text string, at Reached, urlsOnly bool) (outputResult, []byte) {
	rec := &logRecorder{}
	at = c.s.reached(r.Phone, at)
	res := outputResult{
		route: r,
		text:  text,
		scope: lineScope{vars: r.Phone.Lines[0].Vars, phone: r.Phone, req: &request{phone: r.Phone, at: at}},
		opts:  subst.Options{InhibitEscalations: !c.s.opts.LiveDangerously},
	}
	body, sr := c.engine(slog.New(rec)).AppendSubstitute(nil, text, res.scope, res.opts)
	res.err, res.logs = sr.Err, rec.msgs
	res.problems = checkFormat(r.URI, body, urlsOnly)
	if len(res.problems) > 0 {
		res.body = body
	}
	return res, body
}

// reportOutput reports what a render found.
func (c *checker) reportOutput(res outputResult) {
	r := res.route
	if res.err != nil {
		c.report(Error, Pos{File: c.templatePath(r.File.Template)}, r.URI, "rendering stopped: %v", res.err)
	}
	for _, m := range res.logs {
		c.report(Warning, c.funcPos(r.File.Template, res.text, m.function), r.URI, "%s", c.scrub(m.text))
	}
	for _, p := range res.problems {
		c.reportProblem(r, res.text, res.scope, res.opts, res.body, p)
	}
}

// reportProblem reports a parser's finding: at the line of a user whose
// value brought XML's special characters in, else at the template line
// that produced the offending text.
func (c *checker) reportProblem(r *Route, text string, scope lineScope, opts subst.Options, body []byte, p formatProblem) {
	bodyLine, lineText := lineAt(body, p.offset)
	msg := p.msg
	if c.holdsSecret(lineText) {
		// A parser's message may quote part of the line.
		msg = strings.SplitN(msg, ":", 2)[0] + " (the line holds a secret, not shown)"
	}
	if p.syntax {
		for _, s := range c.suspects() {
			if !strings.Contains(lineText, s.value) {
				continue
			}
			value := fmt.Sprintf("%q", s.value)
			if s.secret {
				value = "(a secret, not shown)"
			}
			hint := "escape it with chained STRREPLACE setvars, as the shipped phoneprov.conf does"
			if x, ok := escapedBy[s.name]; ok {
				hint = "insert it as " + x + " (see the shipped phoneprov.conf)"
			}
			c.report(Error, s.line.Source, r.URI, "%s of %s is %s, which %s inserts into XML unescaped: %s; %s",
				s.name, s.line.Username, value, r.File.Template, msg, hint)
			return
		}
	}
	tline, via := c.locate(text, scope, opts, body, p.offset)
	if tline == 0 {
		c.report(p.sev, Pos{File: c.templatePath(r.File.Template)}, r.URI, "%s %s (rendered line %d)", r.File.Template, msg, bodyLine)
		return
	}
	c.report(p.sev, Pos{c.templatePath(r.File.Template), tline}, r.URI, "%s%s", msg, via)
}

// holdsSecret reports whether s contains a secret of any line.
func (c *checker) holdsSecret(s string) bool {
	for _, v := range c.secretValues() {
		if strings.Contains(s, v) {
			return true
		}
	}
	return false
}

// secretValues returns the values of every secret variable of every line.
func (c *checker) secretValues() []string {
	if c.secrets == nil {
		c.secrets = []string{}
		for _, p := range c.s.phones {
			for _, l := range p.Lines {
				for _, v := range l.Vars {
					if v.Value != "" && c.isSecret(v.Name) {
						c.secrets = append(c.secrets, v.Value)
					}
				}
			}
		}
	}
	return c.secrets
}

// scrub replaces every secret in s.
func (c *checker) scrub(s string) string {
	for _, v := range c.secretValues() {
		s = strings.ReplaceAll(s, v, "[secret]")
	}
	return s
}

// locate maps a byte offset of a rendered file to the line of its template
// that produced it, by rendering the template's top-level references one
// by one; via says when the text came from a function's output. It
// returns 0 when the pieces do not add up to the file (a SET carried over
// from one reference to another).
func (c *checker) locate(text string, scope lineScope, opts subst.Options, body []byte, offset int) (line int, via string) {
	eng := c.engine(slog.New(slog.DiscardHandler))
	var out []byte
	prev := 0
	found := false
	literal := func(end int) {
		if !found && offset >= len(out) && offset < len(out)+end-prev {
			line, found = lineOf(text, prev+offset-len(out)), true
		}
		out = append(out, text[prev:end]...)
	}
	for _, r := range subst.Scan(text) {
		if r.Depth > 0 {
			continue
		}
		literal(r.Start)
		start := len(out)
		out, _ = eng.AppendSubstitute(out, text[r.Start:r.End], scope, opts)
		if !found && offset >= start && offset < len(out) {
			line, found = r.Line, true
			if r.Kind == subst.RefFunction && strings.HasPrefix(r.Name, "PP_EACH_") {
				via = fmt.Sprintf(", in what %s(%s) rendered", r.Name, firstLine(strings.Join(strings.Fields(r.Args), " "), 40))
				if r.Name == "PP_EACH_USER" && !c.s.opts.EachUserKeepsQuotes {
					via += " (PP_EACH_USER removes the double quotes of its template, as in Asterisk: quote attributes with ' or set pp_each_user_keep_quotes)"
				}
			}
		}
		prev = r.End
	}
	literal(len(text))
	if !bytes.Equal(out, body) {
		return 0, ""
	}
	if !found { // past the end: an unexpected end of file
		line = lineOf(text, len(text))
	}
	return line, via
}

// funcPos is the first line of text that calls function fn, in template
// rel.
func (c *checker) funcPos(rel, text, fn string) Pos {
	pos := Pos{File: c.templatePath(rel)}
	for _, r := range subst.Scan(text) {
		if r.Kind == subst.RefFunction && r.Name == fn {
			pos.Line = r.Line
			break
		}
	}
	return pos
}

// lineAt returns the 1-based line of body holding offset, and its text.
func lineAt(body []byte, offset int) (int, string) {
	offset = min(max(offset, 0), len(body))
	start := bytes.LastIndexByte(body[:offset], '\n') + 1
	end := bytes.IndexByte(body[offset:], '\n')
	if end < 0 {
		end = len(body)
	} else {
		end += offset
	}
	return bytes.Count(body[:offset], []byte("\n")) + 1, string(body[start:end])
}

// lineOf returns the 1-based line of text holding offset.
func lineOf(text string, offset int) int {
	return strings.Count(text[:min(offset, len(text))], "\n") + 1
}

// logRecorder keeps what an engine logs while one file renders.
type logRecorder struct {
	msgs []logged
}

type logged struct {
	function string
	text     string
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "dialplan function not available") || strings.Contains(r.Message, "read blocked") {
		return nil // the lint reports unknown and blocked functions where they are written
	}
	m := logged{text: r.Message}
	var details []string
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "function" {
			m.function = a.Value.String()
		}
		details = append(details, a.Key+"="+a.Value.String())
		return true
	})
	if len(details) > 0 {
		m.text += " (" + strings.Join(details, ", ") + ")"
	}
	l.msgs = append(l.msgs, m)
	return nil
}

func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecorder) WithGroup(string) slog.Handler      { return l }

// engine returns an engine rendering as the snapshot's does, logging to
// log: each render gets its own, so that what a function logs is tied to
// the file being rendered.
func (c *checker) engine(log *slog.Logger) *subst.Engine {
	return subst.New(subst.Config{
		Funcs:    c.s.engine.Funcs(),
		Expr:     expr.Eval,
		Builtins: c.s.opts.builtins(),
		Now:      c.s.opts.Now,
		Logger:   log,
	})
}
