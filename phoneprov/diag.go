package phoneprov

import "fmt"

// Severity ranks a Diagnostic.
type Severity int

// Severities.
const (
	// Warning: something was skipped or ignored, as Asterisk would skip it;
	// the rest of the configuration is served.
	Warning Severity = iota
	// Error: the configuration refers to something that is not there (a
	// template, an include) or cannot be read. A first load serves what it
	// can; a reload with errors is refused and the previous snapshot stays.
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Diagnostic is a problem found in the configuration, with where it is.
type Diagnostic struct {
	Severity Severity
	Pos      Pos
	Msg      string
}

// String formats d as "file:line: message".
func (d Diagnostic) String() string {
	switch {
	case d.Pos.File == "":
		return d.Msg
	case d.Pos.Line == 0:
		return fmt.Sprintf("%s: %s", d.Pos.File, d.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", d.Pos.File, d.Pos.Line, d.Msg)
}

// diags collects Diagnostics.
type diags []Diagnostic

func (d *diags) warnf(pos Pos, format string, args ...any) {
	*d = append(*d, Diagnostic{Severity: Warning, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (d *diags) errorf(pos Pos, format string, args ...any) {
	*d = append(*d, Diagnostic{Severity: Error, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}
