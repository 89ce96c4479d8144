package config

// Options control how a config file is located and parsed.
type Options struct {
	// Dir is Asterisk's AST_CONFIG_DIR: relative file names, including those
	// of #include and #tryinclude, resolve against it. Empty means
	// /etc/asterisk, Asterisk's default; a relative Dir is made absolute.
	Dir string
	// ExecIncludes allows #exec, which runs a shell command and parses its
	// standard output as an included file. When false, #exec is a fatal
	// error. It corresponds to asterisk.conf [options] execincludes.
	ExecIncludes bool
	// FS is where files are read from; nil means the operating system.
	FS FileSystem
}

// Config is a loaded configuration: a main file and everything it included.
type Config struct {
	// Sections holds every section in file order, templates included.
	// Sections with the same name are kept separately.
	Sections []*Section
	// Files lists every file that was read, as a cleaned absolute path, in
	// the order they were first opened (main file first). A file read more
	// than once is listed once.
	Files []string
	// Sums holds the SHA-256 of each file in Files as it was read, so a
	// watcher can tell whether a file changed since this load, even while
	// the load was under way. A file read twice keeps its first sum.
	Sums map[string][32]byte
	// Patterns lists every #include and #tryinclude path or glob pattern
	// that was tried, as an absolute path, once each, so that a watcher can
	// notice files that appear later.
	Patterns []string
	// Warnings holds the non-fatal problems, in the order they were met.
	Warnings []Diagnostic
}

// Section is one [section] of a config file.
type Section struct {
	// Name is the text between "[" and the first "]", untrimmed and cut to
	// 79 bytes.
	Name string
	// Template reports whether the section was declared with "(!)".
	// Templates are hidden from Browse and Config.Section.
	Template bool
	// Bases lists the names in the section's "(...)" inheritance list, as
	// written, in order.
	Bases []string
	// File is the display name of the file that declared the section: its
	// path relative to Options.Dir when it is inside it, else the absolute
	// path.
	File string
	// Line is the line of the section header in File.
	Line int
	// Vars holds the section's variables in order: those inherited from
	// bases first, then its own, with "+=" already applied.
	Vars []Var
}

// Var is one "name = value" or "name => value" line of a section.
type Var struct {
	Name  string
	Value string
	// Object reports whether the line was written with "=>".
	Object bool
	// Inherited reports whether the variable was copied from a base section.
	// A "+=" that rewrites an inherited variable clears it, as config.c does.
	Inherited bool
	// File and Line say where the variable was written (for an inherited
	// variable, where it was written in the base).
	File string
	Line int
}

// Browse returns the non-template sections in file order: what repeated
// calls of Asterisk's ast_category_browse yield.
func (c *Config) Browse() []*Section {
	out := make([]*Section, 0, len(c.Sections))
	for _, s := range c.Sections {
		if !s.Template {
			out = append(out, s)
		}
	}
	return out
}

// Section returns the first non-template section whose name equals name,
// ignoring ASCII case, or nil. As in Asterisk's ast_category_get, an empty
// name matches any section, so Section("") returns the first non-template
// section.
func (c *Config) Section(name string) *Section {
	for _, s := range c.Sections {
		if !s.Template && (name == "" || asciiEqualFold(s.Name, name)) {
			return s
		}
	}
	return nil
}

// First returns the value of the first variable named key, ignoring ASCII
// case. It is ast_variable_retrieve of Asterisk 22 and earlier, where an
// inherited value beats the section's own
// (docs/asterisk.md#first-value-wins).
func (s *Section) First(key string) (string, bool) {
	for i := range s.Vars {
		if asciiEqualFold(s.Vars[i].Name, key) {
			return s.Vars[i].Value, true
		}
	}
	return "", false
}

// Last returns the value of the last variable named key, ignoring ASCII
// case. It is ast_variable_retrieve of Asterisk 23 and later.
func (s *Section) Last(key string) (string, bool) {
	for i := len(s.Vars) - 1; i >= 0; i-- {
		if asciiEqualFold(s.Vars[i].Name, key) {
			return s.Vars[i].Value, true
		}
	}
	return "", false
}

// All returns every variable named key, ignoring ASCII case, in order.
func (s *Section) All(key string) []Var {
	var out []Var
	for _, v := range s.Vars {
		if asciiEqualFold(v.Name, key) {
			out = append(out, v)
		}
	}
	return out
}
