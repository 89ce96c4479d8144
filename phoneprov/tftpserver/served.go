package tftpserver

import (
	"net/netip"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// Served describes one request, answered or refused.
type Served struct {
	Filename string           // as the client sent it
	URI      string           // the route URI looked up; for uploads, the stored name
	Route    *phoneprov.Route // nil when none matched, and for uploads
	Upload   bool             // a write request
	Remote   netip.AddrPort   // the client
	Local    netip.Addr       // the address the request reached, when known
	Outcome  Outcome
	Bytes    int64               // bytes sent (after netascii conversion) or stored
	Duration time.Duration       // from the request to the end of the transfer
	Body     *phoneprov.Rendered // for dynamic routes
	Err      error               // why the transfer did not complete; nil when it did
}

// Outcome is how a request ended.
type Outcome int

// Outcomes. Every one but Completed sent the client a TFTP error.
const (
	// Completed: the file was sent, or the upload stored.
	Completed Outcome = iota
	// NotFound: no route has the name, or its static file is missing or
	// unreadable (error 1).
	NotFound
	// Busy: the transfer cap was reached or the server is shutting down
	// (error 0, "Server busy").
	Busy
	// Unavailable: no configuration is loaded yet (error 0).
	Unavailable
	// Refused: a write that is not allowed (error 2).
	Refused
	// TooLarge: an upload over the per-file or total limit (error 3).
	TooLarge
	// Failed: the server could not produce or store the file (error 0).
	Failed
	// Aborted: the transfer started and then the client went silent, sent
	// an error, or the server shut down.
	Aborted
)

var outcomeNames = [...]string{
	Completed:   "completed",
	NotFound:    "not found",
	Busy:        "busy",
	Unavailable: "unavailable",
	Refused:     "refused",
	TooLarge:    "too large",
	Failed:      "failed",
	Aborted:     "aborted",
}

// String returns the outcome's name, as logged.
func (o Outcome) String() string {
	if o >= 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "unknown"
}
