package amitest

import (
	"net"
	"strings"
	"sync"
	"time"
)

// session is one manager connection. Its run goroutine reads and handles
// actions one at a time; a writer goroutine sends its output queue, so
// events never wait for a slow client.
type session struct {
	srv   *Server
	id    int
	conn  net.Conn
	start time.Time
	dying chan struct{} // closed by kill

	// Owned by the run goroutine.
	challenge string

	mu            sync.Mutex
	cond          *sync.Cond
	out           [][]byte // bytes waiting for the writer
	held          [][]byte // events queued while an action runs
	busy          bool     // an action is running: events wait in held
	closing       bool     // close once out is written
	dead          bool     // stop at once
	authenticated bool
	readPerm      int
	writePerm     int
	sendEvents    int
}

func newSession(srv *Server, conn net.Conn, id int) *session {
	ss := &session{
		srv:        srv,
		id:         id,
		conn:       conn,
		start:      time.Now(),
		dying:      make(chan struct{}),
		sendEvents: -1,
	}
	ss.cond = sync.NewCond(&ss.mu)
	return ss
}

// run serves the connection until it ends.
func (ss *session) run() {
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		ss.writeLoop()
	}()
	ss.send("Asterisk Call Manager/" + ss.srv.opts.AMIVersion + "\r\n")
	ss.flush()
	ss.conn.SetReadDeadline(ss.start.Add(ss.srv.opts.AuthTimeout))
	lr := &lineReader{r: ss.conn}
	for ss.serveOne(lr) {
	}
	<-writerDone
}

// serveOne reads one message and handles it; it reports whether the
// session goes on (do_message).
func (ss *session) serveOne(lr *lineReader) bool {
	var req request
	lost := false
	for {
		line, err := lr.next()
		if err != nil {
			ss.kill()
			return false
		}
		if line == "" {
			break
		}
		if len(req.lines) < maxHeaderRows {
			req.lines = append(req.lines, line)
		} else {
			lost = true
		}
	}
	ss.srv.record(Action{
		Session: ss.id,
		Name:    req.firstNonEmpty("Action"),
		Fields:  req.fields(),
		Raw:     lr.takeRaw(),
	})
	ss.setBusy(true)
	goOn := true
	switch {
	case lost:
		ss.sendError(req, "Too many lines in message or allocation failure")
	case lr.tooLong:
		lr.tooLong = false
		ss.sendError(req, "Failed to parse message: line too long")
	default:
		goOn = ss.process(req)
	}
	ss.setBusy(false)
	if !goOn {
		ss.closeAfterFlush()
		return false
	}
	return true
}

// process runs one action (process_message); false ends the session.
func (ss *session) process(req request) bool {
	action := req.firstNonEmpty("Action")
	if action == "" {
		ss.sendError(req, "Missing action in request")
		return true
	}
	name := strings.ToLower(action)
	if !ss.isAuthenticated() && name != "login" && name != "logoff" && name != "challenge" {
		ss.sendError(req, "Permission denied")
		return true
	}
	h, ok := handlers[name]
	if ok && h.chanSIP && ss.srv.opts.DisableChanSIP {
		ok = false
	}
	if !ok {
		msg := "Invalid/unknown command: " + action + ". Use Action: ListCommands to show available commands."
		if len(msg) > 511 { // snprintf into a 512-byte buffer
			msg = msg[:511]
		}
		ss.sendError(req, msg)
		return true
	}
	if h.authority != 0 && ss.permissions()&h.authority == 0 {
		ss.sendError(req, "Permission denied")
		return true
	}
	drop, disconnect, delay := ss.srv.takeFaults(action)
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ss.dying:
			return false
		}
	}
	return h.run(ss, req, &listReply{ss: ss, drop: drop, disconnect: disconnect})
}

// isAuthenticated reports whether the session has logged in.
func (ss *session) isAuthenticated() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.authenticated
}

// permissions returns the session's write classes.
func (ss *session) permissions() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.writePerm
}

// send queues bytes for the writer; the writer wakes at flush or when the
// running action ends.
func (ss *session) send(s string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if !ss.dead && !ss.closing {
		ss.out = append(ss.out, []byte(s))
	}
}

// flush wakes the writer.
func (ss *session) flush() {
	ss.cond.Broadcast()
}

// setBusy marks an action as running; when it ends, the events that
// arrived meanwhile follow its output (process_events after an action).
func (ss *session) setBusy(busy bool) {
	ss.mu.Lock()
	ss.busy = busy
	if !busy {
		if !ss.dead && !ss.closing {
			ss.out = append(ss.out, ss.held...)
		}
		ss.held = nil
	}
	ss.mu.Unlock()
	if !busy {
		ss.flush()
	}
}

// deliverEvent queues an event if the session may receive its class: it
// must be logged in, its read permission must include the class and so
// must its Events setting.
func (ss *session) deliverEvent(class int, event []byte) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.dead || ss.closing || !ss.authenticated ||
		ss.readPerm&class != class || ss.sendEvents&class != class {
		return
	}
	if ss.busy {
		ss.held = append(ss.held, event)
		return
	}
	ss.out = append(ss.out, event)
	ss.cond.Broadcast()
}

// closeAfterFlush ends the session once its pending output is written.
func (ss *session) closeAfterFlush() {
	ss.mu.Lock()
	ss.closing = true
	ss.mu.Unlock()
	ss.flush()
}

// kill ends the session at once, dropping pending output.
func (ss *session) kill() {
	ss.mu.Lock()
	ss.markDead()
	ss.mu.Unlock()
	ss.conn.Close()
	ss.flush()
}

// markDead flags the session as ended; ss.mu must be held.
func (ss *session) markDead() {
	if !ss.dead {
		ss.dead = true
		close(ss.dying)
	}
}

// writeLoop sends queued output until the session ends.
func (ss *session) writeLoop() {
	for {
		ss.mu.Lock()
		// An action's reply goes out whole, with the events that came
		// meanwhile, in one write.
		for (len(ss.out) == 0 || ss.busy) && !ss.closing && !ss.dead {
			ss.cond.Wait()
		}
		if ss.dead || (ss.closing && len(ss.out) == 0) {
			ss.markDead()
			ss.mu.Unlock()
			ss.conn.Close()
			return
		}
		batch := net.Buffers(ss.out)
		ss.out = nil
		ss.mu.Unlock()
		if _, err := batch.WriteTo(ss.conn); err != nil {
			ss.kill()
			return
		}
	}
}
