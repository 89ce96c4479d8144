package amitest

import (
	"strconv"
	"strings"
)

// actionIDLine returns the "ActionID: x" line a reply echoes, or "" when
// the request has none.
func actionIDLine(req request) string {
	if id := req.header("ActionID"); id != "" {
		return "ActionID: " + id + "\r\n"
	}
	return ""
}

// sendResponse writes a complete response (astman_send_response_full): the
// Response line, the ActionID, an optional EventList flag and the Message.
func (ss *session) sendResponse(req request, response, listFlag, message string) {
	var b strings.Builder
	b.WriteString("Response: " + response + "\r\n")
	b.WriteString(actionIDLine(req))
	if listFlag != "" {
		b.WriteString("EventList: " + listFlag + "\r\n")
	}
	b.WriteString("Message: " + message + "\r\n\r\n")
	ss.send(b.String())
}

// sendError writes "Response: Error" with a message (astman_send_error).
// Some Asterisk messages end in "\n", which is sent as is.
func (ss *session) sendError(req request, message string) {
	ss.sendResponse(req, "Error", "", message)
}

// sendAck writes "Response: Success" with a message (astman_send_ack).
func (ss *session) sendAck(req request, message string) {
	ss.sendResponse(req, "Success", "", message)
}

// sendListAck starts a list reply (astman_send_listack).
func (ss *session) sendListAck(req request, message string) {
	ss.sendResponse(req, "Success", "start", message)
}

// startAck writes the head of a success response whose fields follow
// (astman_start_ack); the caller ends it with a blank line.
func startAck(req request) *strings.Builder {
	b := new(strings.Builder)
	b.WriteString("Response: Success\r\n")
	b.WriteString(actionIDLine(req))
	return b
}

// eventHead starts a list event: its name and the request's ActionID
// (ast_sip_create_ami_event).
func eventHead(req request, name string) *strings.Builder {
	b := new(strings.Builder)
	b.WriteString("Event: " + name + "\r\n")
	b.WriteString(actionIDLine(req))
	return b
}

// writeFields appends "Key: Value" lines.
func writeFields(b *strings.Builder, fields []Field) {
	for _, f := range fields {
		b.WriteString(f.Key + ": " + f.Value + "\r\n")
	}
}

// listReply sends the events of one list reply and applies the faults
// planned for it: one event lost, or the connection closed after some.
type listReply struct {
	ss         *session
	drop       int // index of the event to lose, -1 for none
	disconnect int // number of events after which to hang up, -1 for never
	n          int // events produced so far
	stopped    bool
}

// event sends one list event.
func (l *listReply) event(b *strings.Builder) {
	if l.stopped {
		return
	}
	i := l.n
	l.n++
	switch i {
	case l.disconnect:
		l.stopped = true
		l.ss.closeAfterFlush()
	case l.drop:
	default:
		b.WriteString("\r\n")
		l.ss.send(b.String())
	}
}

// complete ends the list (astman_send_list_complete_start and _end) and
// reports whether the session goes on.
func (l *listReply) complete(req request, event string, count int) bool {
	if l.stopped {
		return false
	}
	b := eventHead(req, event)
	b.WriteString("EventList: Complete\r\n")
	b.WriteString("ListItems: " + strconv.Itoa(count) + "\r\n\r\n")
	l.ss.send(b.String())
	return true
}
