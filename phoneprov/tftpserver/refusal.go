package tftpserver

import (
	"encoding/binary"
	"fmt"
	"net"
	"time"
)

// TFTP error codes (RFC 1350 §5).
const (
	codeNotDefined      = 0
	codeFileNotFound    = 1
	codeAccessViolation = 2
	codeDiskFull        = 3
)

// refusal is a request the server declines before any data moves: the
// TFTP error to send and the outcome to report.
type refusal struct {
	code    uint16
	msg     string
	outcome Outcome
}

func (r *refusal) Error() string { return r.msg }

// The refusals; their messages are what the client shows, so they name no
// path and no internal detail.
var (
	errNotFound       = &refusal{codeFileNotFound, "File not found", NotFound}
	errBusy           = &refusal{codeNotDefined, "Server busy", Busy}
	errShuttingDown   = &refusal{codeNotDefined, "Server shutting down", Busy}
	errNotLoaded      = &refusal{codeNotDefined, "No configuration loaded", Unavailable}
	errInternal       = &refusal{codeNotDefined, "Internal error", Failed}
	errWriteDisabled  = &refusal{codeAccessViolation, "Access violation: uploads are not accepted", Refused}
	errBadName        = &refusal{codeAccessViolation, "Access violation: bad file name", Refused}
	errBeingWritten   = &refusal{codeAccessViolation, "Access violation: file is being written", Refused}
	errCannotWrite    = &refusal{codeAccessViolation, "Access violation: cannot write file", Refused}
	errUploadTooLarge = &refusal{codeDiskFull, "Disk full or allocation exceeded", TooLarge}
	errDenied         = &refusal{codeAccessViolation, "Access violation", Refused}
)

// refusalLead is how long a refusal waits after sending its own error
// packet before the engine sends its duplicate, so that the client (which
// locks onto the first packet's port) sees the right code first.
const refusalLead = 2 * time.Millisecond

// send delivers r to the client at remote from local, then waits
// refusalLead.
//
// github.com/pin/tftp answers every error a handler returns with code 1
// (file not found) from the transfer's own socket, which this package
// cannot reach. A phone told "file not found" moves on to its next
// fallback file, which is wrong for "busy" or "access violation". So, for
// any other code, the refusal is first sent from a fresh socket on the
// same local address: the client takes that packet's port as the server's
// transfer ID and stops; the engine's code-1 copy that follows comes from
// another port and is discarded, as RFC 1350 §4 requires.
func (r *refusal) send(local net.IP, remote *net.UDPAddr) error {
	if r.code == codeFileNotFound {
		return nil // the engine's own packet is right
	}
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: local})
	if err != nil {
		return fmt.Errorf("sending TFTP error: %w", err)
	}
	defer conn.Close()
	if _, err := conn.WriteToUDP(errorPacket(r.code, r.msg), remote); err != nil {
		return fmt.Errorf("sending TFTP error: %w", err)
	}
	time.Sleep(refusalLead)
	return nil
}

// maxErrorMessage keeps an error packet within the 516 bytes every TFTP
// client can receive.
const maxErrorMessage = 511

// errorPacket encodes a TFTP ERROR packet: opcode 5, the code, the message
// and a NUL (RFC 1350 §5).
func errorPacket(code uint16, msg string) []byte {
	if len(msg) > maxErrorMessage {
		msg = msg[:maxErrorMessage]
	}
	p := make([]byte, 4, 5+len(msg))
	binary.BigEndian.PutUint16(p[0:], 5)
	binary.BigEndian.PutUint16(p[2:], code)
	p = append(p, msg...)
	return append(p, 0)
}
