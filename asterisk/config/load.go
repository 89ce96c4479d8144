package config

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
)

// Load reads and parses name, relative to opts.Dir unless absolute. The name
// may be a glob pattern, as in Asterisk; every match is read in order.
//
// A missing file returns an *Error wrapping fs.ErrNotExist. A fatal line
// error in the main file returns an *Error naming the file and line: the
// whole configuration is invalid, as Asterisk's CONFIG_STATUS_FILEINVALID.
// A fatal line error inside an included file only ends that included file,
// exactly as in Asterisk 20.20.1, and is reported in Config.Warnings.
func Load(name string, opts Options) (*Config, error) {
	var fsys FileSystem = osFileSystem{}
	if opts.FS != nil {
		fsys = opts.FS
	}
	l, err := newLoader(opts, fsys, defaultLimits())
	if err != nil {
		return nil, err
	}
	return l.load(name)
}

// loadStatus is the outcome of reading one file name or pattern.
type loadStatus int

const (
	loadMissing loadStatus = iota // nothing was read (CONFIG_STATUS_FILEMISSING)
	loadOK                        // at least one file was read and parsed
	loadInvalid                   // a fatal line error (CONFIG_STATUS_FILEINVALID)
	loadTooDeep                   // refused: includes nested too deeply
)

// errTooLarge marks the errors of the loader's own safety limits.
var errTooLarge = errors.New("configuration exceeds a safety limit")

// errExecRefused marks an #exec refused because Options.ExecIncludes is false.
var errExecRefused = errors.New("#exec is disabled")

// position is a place in a file, for messages.
type position struct {
	file string
	line int
}

// loader holds the state of one Load: Asterisk's struct ast_config plus the
// bookkeeping of the safety limits.
type loader struct {
	opts  Options
	dir   string // absolute, cleaned AST_CONFIG_DIR
	fsys  fileSystem
	limit limits
	used  limits // consumption against limit
	cfg   *Config

	// current is cfg->current: the section most recently created or reopened
	// with (+). An included file starts in it.
	current *Section
	// includeLevel is cfg->include_level, including Asterisk's habit of not
	// lowering it again after an included file turned out invalid.
	includeLevel int
	// included holds the #include arguments seen, for the "same file
	// included more than once" warning of ast_include_new.
	included map[string]bool
	files    map[string]bool
	patterns map[string]bool
	index    *sectionIndex // built on the first lookup by name
	at       position      // the line being processed, for limit errors
}

// newLoader prepares a load with the given file system and limits.
func newLoader(opts Options, fsys fileSystem, lim limits) (*loader, error) {
	dir := opts.Dir
	if dir == "" {
		dir = "/etc/asterisk"
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("config: resolving config directory %q: %w", dir, err)
	}
	return &loader{
		opts:     opts,
		dir:      abs,
		fsys:     fsys,
		limit:    lim,
		cfg:      &Config{},
		included: make(map[string]bool),
		files:    make(map[string]bool),
		patterns: make(map[string]bool),
	}, nil
}

// load reads the main file, as ast_config_load2 does.
func (l *loader) load(name string) (*Config, error) {
	st, failed, err := l.internalLoad(func() (loadStatus, *Error, error) {
		return l.textFileLoad(name, 0)
	})
	switch {
	case err != nil:
		return nil, err
	case st == loadInvalid:
		return nil, failed
	case st != loadOK:
		return nil, &Error{File: l.displayName(l.resolve(name)), Msg: "file not found", Err: fs.ErrNotExist}
	}
	return l.cfg, nil
}

// internalLoad applies the include nesting limit around one load, as
// ast_config_internal_load does: the level is raised for the load and
// lowered afterwards, except after an invalid file (an Asterisk quirk that
// makes later includes fail sooner).
func (l *loader) internalLoad(read func() (loadStatus, *Error, error)) (loadStatus, *Error, error) {
	if l.includeLevel == maxIncludeLevel+1 {
		return loadTooDeep, nil, nil
	}
	l.includeLevel++
	st, failed, err := read()
	if err != nil {
		return 0, nil, err
	}
	if st != loadInvalid {
		l.includeLevel--
	}
	return st, failed, nil
}

// resolve turns a file name into the path config_text_file_load globs:
// relative names are joined to the config directory, and the result is cut
// to the size of Asterisk's path buffer.
func (l *loader) resolve(name string) string {
	if !strings.HasPrefix(name, "/") {
		name = l.dir + "/" + name
	}
	return cutPath(name)
}

// cutPath cuts p to the 255 bytes Asterisk's path buffers hold.
func cutPath(p string) string {
	if len(p) > maxPathLen {
		return p[:maxPathLen]
	}
	return p
}

// textFileLoad reads every file matching name and parses them in order,
// continuing in the same section from one to the next, as
// config_text_file_load does. depth is 0 for the main file.
func (l *loader) textFileLoad(name string, depth int) (loadStatus, *Error, error) {
	pattern := l.resolve(name)
	if depth > 0 {
		l.addPattern(pattern)
	}
	paths, err := l.glob(pattern)
	if err != nil {
		return 0, nil, err
	}
	r := &run{l: l, cat: l.current, depth: depth}
	read := 0
	for _, p := range paths {
		p = cutPath(p)
		text, ok, err := l.readFile(p)
		if err != nil {
			return 0, nil, err
		}
		if !ok {
			continue
		}
		read++
		st, failed, err := r.parseAndFinish(l.displayName(p), text)
		if err != nil || st == loadInvalid {
			return st, failed, err
		}
	}
	if read == 0 {
		return loadMissing, nil, nil
	}
	return loadOK, nil, nil
}

// dataLoad parses text that is not a file (the output of #exec) as an
// included file.
func (l *loader) dataLoad(display, text string, depth int) (loadStatus, *Error, error) {
	if err := l.countBytes(int64(len(text))); err != nil {
		return 0, nil, err
	}
	r := &run{l: l, cat: l.current, depth: depth}
	st, failed, err := r.parseAndFinish(display, text)
	if err != nil || st == loadInvalid {
		return st, failed, err
	}
	return loadOK, nil, nil
}

// readFile reads one glob match. ok is false when config_text_file_load
// would skip the file: it does not exist, is not a regular file, or cannot
// be opened.
func (l *loader) readFile(path string) (text string, ok bool, err error) {
	info, err := l.fsys.Stat(path)
	if err != nil {
		return "", false, nil
	}
	if !info.Mode().IsRegular() {
		l.warn(l.displayName(path), 0, "not a regular file; ignored")
		return "", false, nil
	}
	f, err := l.fsys.Open(path)
	if err != nil {
		l.warn(l.displayName(path), 0, fmt.Sprintf("cannot open (%v); ignored", err))
		return "", false, nil
	}
	defer f.Close()
	l.at = position{l.displayName(path), 0}
	l.used.files++
	if l.used.files > l.limit.files {
		return "", false, l.tooLarge(fmt.Sprintf("more than %d files read", l.limit.files))
	}
	var b strings.Builder
	remaining := l.limit.bytes - l.used.bytes
	if size := info.Size(); size > 0 && size <= remaining {
		b.Grow(int(size))
	}
	n, err := io.Copy(&b, io.LimitReader(f, remaining+1))
	if err != nil {
		return "", false, &Error{File: l.displayName(path), Msg: fmt.Sprintf("read error: %v", err), Err: err}
	}
	if err := l.countBytes(n); err != nil {
		return "", false, err
	}
	text = b.String()
	l.addFile(path, text)
	return text, true, nil
}

// displayName returns path relative to the config directory when it is
// inside it, else the cleaned absolute path.
func (l *loader) displayName(path string) string {
	p := filepath.Clean(path)
	if l.dir == "/" {
		if p != "/" {
			return p[1:]
		}
		return p
	}
	if strings.HasPrefix(p, l.dir+"/") {
		return p[len(l.dir)+1:]
	}
	return p
}

// addFile records a file that was read, with the sum of what was read.
func (l *loader) addFile(path, text string) {
	p := filepath.Clean(path)
	if !l.files[p] {
		l.files[p] = true
		l.cfg.Files = append(l.cfg.Files, p)
		if l.cfg.Sums == nil {
			l.cfg.Sums = make(map[string][32]byte)
		}
		l.cfg.Sums[p] = sha256.Sum256([]byte(text))
	}
}

// addPattern records an #include or #tryinclude pattern.
func (l *loader) addPattern(pattern string) {
	p := filepath.Clean(pattern)
	if !l.patterns[p] {
		l.patterns[p] = true
		l.cfg.Patterns = append(l.cfg.Patterns, p)
	}
}

// warn records a non-fatal problem, keeping at most maxWarnings of them.
func (l *loader) warn(file string, line int, msg string) {
	l.diagnose(Diagnostic{File: file, Line: line, Msg: msg})
}

// diagnose records d, up to maxWarnings.
func (l *loader) diagnose(d Diagnostic) {
	switch n := len(l.cfg.Warnings); {
	case n < maxWarnings-1:
		l.cfg.Warnings = append(l.cfg.Warnings, d)
	case n == maxWarnings-1:
		l.cfg.Warnings = append(l.cfg.Warnings, Diagnostic{File: d.File, Line: d.Line, Msg: "too many warnings; the rest are not shown"})
	}
}

// tooLarge returns the error for an exceeded safety limit at the current line.
func (l *loader) tooLarge(what string) error {
	return &Error{File: l.at.file, Line: l.at.line,
		Msg: "configuration too large: " + what + " (a safety limit of this parser)", Err: errTooLarge}
}

// countBytes charges n bytes of input against the limit.
func (l *loader) countBytes(n int64) error {
	l.used.bytes += n
	if l.used.bytes > l.limit.bytes {
		return l.tooLarge(fmt.Sprintf("more than %d bytes read", l.limit.bytes))
	}
	return nil
}

// countLine charges one line against the limit.
func (l *loader) countLine() error {
	l.used.lines++
	if l.used.lines > l.limit.lines {
		return l.tooLarge(fmt.Sprintf("more than %d lines read", l.limit.lines))
	}
	return nil
}

// countSection charges one section against the limit.
func (l *loader) countSection() error {
	l.used.sections++
	if l.used.sections > l.limit.sections {
		return l.tooLarge(fmt.Sprintf("more than %d sections", l.limit.sections))
	}
	return nil
}

// countVars charges n variables against the limit.
func (l *loader) countVars(n int) error {
	l.used.vars += n
	if l.used.vars > l.limit.vars {
		return l.tooLarge(fmt.Sprintf("more than %d variables, inherited copies included", l.limit.vars))
	}
	return nil
}

// spend charges n steps of searching or copying against the limit.
func (l *loader) spend(n int) error {
	l.used.work += int64(n)
	if l.used.work > l.limit.work {
		return l.tooLarge("too much searching and copying (inheritance, +=, (+) filters or globs)")
	}
	return nil
}
