package fetch

import (
	"errors"
	"fmt"
)

// ManualError says a file cannot be downloaded — its URL is empty, or the
// site wants a login — and where the administrator must put it.
type ManualError struct {
	File   File
	Path   string // where to put the file
	Reason string // why it cannot be downloaded
}

func (e *ManualError) Error() string {
	return fmt.Sprintf("%s %s: get it from the vendor and copy it to %s (%d bytes, SHA-1 %s)",
		e.File.Name, e.Reason, e.Path, e.File.Size, e.File.SHA1)
}

// MismatchError says a file's size or SHA-1 is not what was expected.
// Nothing of such a download is kept.
type MismatchError struct {
	Name      string
	What      string // "size" or "SHA-1"
	Want, Got string
	Path      string // set when a file put by hand is wrong and stays
}

func (e *MismatchError) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("%s: %s mismatch: expected %s, got %s; replace %s with the right file", e.Name, e.What, e.Want, e.Got, e.Path)
	}
	return fmt.Sprintf("%s: %s mismatch: expected %s, got %s; nothing kept", e.Name, e.What, e.Want, e.Got)
}

// StatusError is an HTTP answer that is not the file.
type StatusError struct {
	URL    string
	Status string // "404 Not Found"
	Code   int
}

func (e *StatusError) Error() string { return fmt.Sprintf("GET %s: %s", e.URL, e.Status) }

// permanent marks an error that retrying cannot cure.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

func isPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// unwrapPermanent removes the marker before an error leaves the package.
func unwrapPermanent(err error) error {
	var p permanent
	if errors.As(err, &p) {
		return p.err
	}
	return err
}
