package jinja

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Options bounds what one Render may do. Zero fields take the defaults.
type Options struct {
	// MaxOutput bounds the rendered output, every string or sequence a
	// template builds, and template sources, in bytes. Default 16 MiB.
	MaxOutput int
	// MaxSteps bounds the evaluation steps (expressions, statements and
	// loop iterations) of one Render. Default 10,000,000.
	MaxSteps int
	// MaxDepth bounds nested macro calls, includes, blocks and extends.
	// Default 100.
	MaxDepth int
	// MaxAlloc bounds the bytes of strings and sequences one Render builds
	// in total. Default 256 MiB.
	MaxAlloc int64
}

func (o Options) withDefaults() Options {
	if o.MaxOutput <= 0 {
		o.MaxOutput = 16 << 20
	}
	if o.MaxSteps <= 0 {
		o.MaxSteps = 10_000_000
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = 100
	}
	if o.MaxAlloc <= 0 {
		o.MaxAlloc = 256 << 20
	}
	return o
}

// Env is a template environment configured like provd's: no autoescape,
// trim_blocks and lstrip_blocks off, one trailing newline dropped, the
// default Undefined and Jinja2's default filters, tests and globals. An
// Env parses each template once and is safe for concurrent use; create a
// new Env to see changed template files.
type Env struct {
	loader  Loader
	opts    Options
	globals map[string]any

	mu    sync.Mutex
	cache map[string]*cacheEntry
}

type cacheEntry struct {
	ready chan struct{}
	t     *Template
	err   error
}

// New returns an environment loading templates through l.
func New(l Loader, o Options) *Env {
	return &Env{loader: l, opts: o.withDefaults(), globals: newGlobals(), cache: map[string]*cacheEntry{}}
}

// Template loads, parses and caches the named template. A template that
// does not exist gives an error wrapping fs.ErrNotExist; a syntax error is
// an *Error naming the file and line.
func (e *Env) Template(name string) (*Template, error) {
	e.mu.Lock()
	if c, ok := e.cache[name]; ok {
		e.mu.Unlock()
		<-c.ready
		return c.t, c.err
	}
	c := &cacheEntry{ready: make(chan struct{})}
	e.cache[name] = c
	e.mu.Unlock()

	c.t, c.err = e.load(name)
	if c.err != nil {
		// Errors are not cached: the file may appear or be fixed.
		e.mu.Lock()
		delete(e.cache, name)
		e.mu.Unlock()
	}
	close(c.ready)
	return c.t, c.err
}

func (e *Env) load(name string) (*Template, error) {
	if e.loader == nil {
		return nil, fmt.Errorf("template %q: no loader", name)
	}
	src, file, err := e.loader.Load(name)
	if err != nil {
		return nil, err
	}
	return e.compile(src, name, file)
}

// FromString parses a template from source; name is used in error
// messages and as the template's name. The template is not cached.
func (e *Env) FromString(src, name string) (*Template, error) {
	return e.compile(src, name, name)
}

// Template is a parsed template. It is immutable and safe for concurrent
// use.
type Template struct {
	sizeHint atomic.Int64 // the last output's size, to size the next
	env      *Env
	name     string
	file     string
	body     []stmt
	root     *frameInfo
	rootSelf bool
	blocks   map[string]*blockDef
}

// Name returns the name the template was loaded by.
func (t *Template) Name() string { return t.name }

// File returns the file name the loader reported for the template.
func (t *Template) File() string { return t.file }

func (e *Env) compile(src, name, file string) (*Template, error) {
	if len(src) > e.opts.MaxOutput {
		return nil, &Error{File: file, Line: 1, Kind: "TemplateSyntaxError", Msg: fmt.Sprintf("template larger than %d bytes", e.opts.MaxOutput)}
	}
	if !utf8.ValidString(src) {
		line := 1
		for i := 0; i < len(src); {
			r, n := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			if r == '\n' {
				line++
			}
			i += n
		}
		return nil, &Error{File: file, Line: line, Kind: "UnicodeDecodeError", Msg: "invalid UTF-8"}
	}
	body, err := parse(normalizeSource(src))
	if err == nil {
		t := &Template{env: e, name: name, file: file, body: body, blocks: map[string]*blockDef{}}
		var blocks map[string]*blockStmt
		t.root, blocks, t.rootSelf, err = analyzeTemplate(body)
		if err == nil {
			for n, b := range blocks {
				b.def = &blockDef{tpl: t, node: b}
				t.blocks[n] = b.def
			}
			return t, nil
		}
	}
	var se *syntaxError
	if errors.As(err, &se) {
		kind := "TemplateSyntaxError"
		if se.assert {
			kind = "TemplateAssertionError"
		}
		return nil, &Error{File: file, Line: se.line, Kind: kind, Msg: se.msg}
	}
	return nil, err
}

// Render renders the template with vars as its context. Values may be
// the types Value lists; a value of another Go type is an error before
// rendering starts, as is an already canceled ctx. Errors of the template
// itself are *Error values naming the template file and line.
func (t *Template) Render(ctx context.Context, vars map[string]any) ([]byte, error) {
	parent := make(map[string]any, len(t.env.globals)+len(vars))
	for k, v := range t.env.globals {
		parent[k] = v
	}
	for k, v := range vars {
		nv := normalize(v)
		if err := checkValue(nv, k, 0); err != nil {
			return nil, fmt.Errorf("render %s: %w", t.name, err)
		}
		parent[k] = nv
	}
	return t.render(ctx, parent)
}

// RenderDict renders the template with the string keys of vars as its
// context, as provd passes a device's raw config.
func (t *Template) RenderDict(ctx context.Context, vars *Dict) ([]byte, error) {
	parent := make(map[string]any, len(t.env.globals)+vars.Len())
	for k, v := range t.env.globals {
		parent[k] = v
	}
	for i, k := range vars.keys {
		s, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("render %s: context key %s is not a string", t.name, pyRepr(k))
		}
		if err := checkValue(vars.vals[i], s, 0); err != nil {
			return nil, fmt.Errorf("render %s: %w", t.name, err)
		}
		parent[s] = vars.vals[i]
	}
	return t.render(ctx, parent)
}

func (t *Template) render(ctx context.Context, parent map[string]any) ([]byte, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &renderer{env: t.env, ctx: ctx, file: t.file}
	out, err := r.run(t, newContext(t, parent, nil), int(t.sizeHint.Load()))
	if err == nil {
		t.sizeHint.Store(int64(len(out)))
	}
	return out, err
}
