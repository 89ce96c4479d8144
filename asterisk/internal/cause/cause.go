// Package cause names, in a few words an administrator acts on, why a
// connection to Asterisk failed: "authentication failed", "timeout",
// "connection refused", … The AMI and ARI clients report it beside the
// error itself (which never holds a secret).
package cause

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
)

// Causes.
const (
	AuthFailed     = "authentication failed"
	Timeout        = "timeout"
	Refused        = "connection refused"
	HostUnreach    = "host unreachable"
	NetUnreach     = "network unreachable"
	DNS            = "host name not found"
	ConnectionLost = "connection closed by Asterisk"
	TLS            = "TLS error"
	Protocol       = "not an Asterisk answer"
	Other          = "error"
)

// Of classifies err; auth is the client's own authentication error (an
// errors.Is target), protocol its protocol error.
func Of(err error, auth, protocol error) string {
	var dns *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var recordErr tls.RecordHeaderError
	var netErr net.Error
	switch {
	case err == nil:
		return ""
	case auth != nil && errors.Is(err, auth):
		return AuthFailed
	case protocol != nil && errors.Is(err, protocol):
		return Protocol
	case errors.As(err, &dns):
		if dns.IsTimeout {
			return Timeout
		}
		return DNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return Refused
	case errors.Is(err, syscall.EHOSTUNREACH):
		return HostUnreach
	case errors.Is(err, syscall.ENETUNREACH):
		return NetUnreach
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostname), errors.As(err, &recordErr):
		return TLS
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return Timeout
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, net.ErrClosed):
		return ConnectionLost
	}
	return Other
}
