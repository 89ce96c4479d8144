package tftpserver

import (
	"errors"
	"io"

	"github.com/pin/tftp/v3"
)

// handleWrite answers a write request (the engine's write handler): it is
// refused unless an upload directory is configured, and then stored there
// under limits (see uploads).
func (s *Server) handleWrite(filename string, wt io.WriterTo) error {
	t := s.newTransfer(filename, wt, true)
	defer t.finish()
	uploads := s.uploads.Load()
	if uploads == nil {
		return t.refuse(errWriteDisabled, nil)
	}
	release, r := s.begin()
	if r != nil {
		return t.refuse(r, nil)
	}
	defer release()

	name, ok := uploadName(filename)
	if !ok {
		return t.refuse(errBadName, nil)
	}
	t.served.URI = name
	declared := int64(-1)
	if it, ok := wt.(tftp.IncomingTransfer); ok {
		if n, ok := it.Size(); ok {
			declared = n
		}
	}
	up, r, err := uploads.begin(name, declared)
	if r != nil {
		if err != nil {
			s.log.Warn("cannot store upload", "filename", filename, "error", err)
		}
		return t.refuse(r, err)
	}

	n, err := wt.WriteTo(stoppableWriter{w: up, stopped: &s.stopped})
	t.served.Bytes = n
	if err != nil {
		up.discard()
		if up.err != nil {
			s.log.Warn("cannot store upload", "filename", filename, "error", up.err)
		}
		t.served.Outcome = Aborted
		if errors.Is(err, errUploadTooLarge) {
			t.served.Outcome = TooLarge
		}
		t.served.Err = err
		return nil // the engine has already sent the client an error
	}
	if err := up.commit(); err != nil {
		s.log.Warn("cannot store upload", "filename", filename, "error", err)
		// The client waits for the last ACK on the transfer's port: the
		// engine's error (code 1) is the only one it will accept.
		return t.fail(errInternal, err)
	}
	t.served.Outcome = Completed
	return nil
}
