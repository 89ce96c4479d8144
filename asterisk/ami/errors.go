package ami

import (
	"errors"
	"strings"
)

var (
	// ErrNotConnected reports an action attempted while no session is
	// logged in, or whose connection was lost before the reply. The
	// supervisor reconnects; WaitConnected or OnConnect tell when.
	ErrNotConnected = errors.New("ami: not connected")
	// ErrClosed reports use of a Client after Close, or after Run returned.
	ErrClosed = errors.New("ami: client closed")
	// ErrAuthFailed reports a login Asterisk refused.
	ErrAuthFailed = errors.New("ami: authentication failed")
	// ErrListIncomplete reports a list whose events never added up to its
	// ListItems count within Config.ListAttempts attempts.
	ErrListIncomplete = errors.New("ami: list incomplete")
)

// ActionError is a "Response: Error" (or any response other than Success,
// Goodbye and Follows) to an action.
type ActionError struct {
	Action   string  // the action sent
	Message  string  // the reply's Message, e.g. "No endpoints found"
	Response Message // the whole reply
}

// Error returns "ami: <action>: <message>".
func (e *ActionError) Error() string {
	msg := strings.TrimSpace(e.Message)
	if msg == "" {
		msg = "Response: " + e.Response.Get("Response")
	}
	return "ami: " + e.Action + ": " + msg
}
