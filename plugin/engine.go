package plugin

import "github.com/phoneprovd/phoneprovd/family/provd"

// Engine renders a plugin's Jinja2 templates.
type Engine interface {
	// Load parses every template found in dirs, searched in order (a name
	// in an earlier directory hides the same name in a later one; includes
	// and extends resolve through the same path). A syntax error is an
	// error naming the template file and line.
	Load(dirs []string) (Templates, error)
}

// Templates is a plugin's parsed template set.
type Templates interface {
	// Has reports whether a template of that name exists.
	Has(name string) bool
	// Render renders template name with ctx as its variables, as UTF-8
	// bytes. An error names the template file and line.
	Render(name string, ctx *provd.Dict) ([]byte, error)
}
