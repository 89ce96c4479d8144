package ari

import (
	"errors"
	"fmt"
)

var (
	// ErrUnauthorized reports a request Asterisk refused with 401: unknown
	// user or wrong password.
	ErrUnauthorized = errors.New("ari: unauthorized")
	// ErrNotFound reports a 404: an unknown endpoint, technology,
	// configuration object, object type or class.
	ErrNotFound = errors.New("ari: not found")
	// ErrNotConnected reports that Asterisk could not be reached, or that
	// the event websocket is down (WaitConnected).
	ErrNotConnected = errors.New("ari: not connected")
	// ErrClosed reports use of a Client after Close, or after Run returned.
	ErrClosed = errors.New("ari: client closed")
)

// StatusError is a non-2xx reply to a REST request. It matches
// ErrUnauthorized (401) and ErrNotFound (404) with errors.Is.
type StatusError struct {
	Method string // e.g. "GET"
	Path   string // below the base URL, e.g. "/endpoints/PJSIP/7001"
	Status int    // e.g. 404
	// Message is the reply's "message", e.g. "Endpoint not found".
	Message string
}

// Error returns "ari: <method> <path>: <status> <message>".
func (e *StatusError) Error() string {
	msg := fmt.Sprintf("ari: %s %s: %d", e.Method, e.Path, e.Status)
	if e.Message != "" {
		msg += " " + e.Message
	}
	return msg
}

// Is makes errors.Is(err, ErrUnauthorized) and errors.Is(err, ErrNotFound)
// work on status errors.
func (e *StatusError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == 401
	case ErrNotFound:
		return e.Status == 404
	}
	return false
}
