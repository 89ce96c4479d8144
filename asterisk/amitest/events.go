package amitest

import (
	"strconv"
	"strings"
	"time"
)

// Emit sends an event to every logged-in session whose read permission and
// Events setting include the event's class, formatted as
// __manager_event_sessions does (Event, Privilege, SystemName, fields).
func (s *Server) Emit(e Event) {
	class := classSystem
	if e.Class != "" {
		class = permMask(e.Class)
	}
	var b strings.Builder
	b.WriteString("Event: " + e.Name + "\r\n")
	b.WriteString("Privilege: " + authorityString(class) + "\r\n")
	if s.opts.SystemName != "" {
		b.WriteString("SystemName: " + s.opts.SystemName + "\r\n")
	}
	for _, f := range e.Fields {
		b.WriteString(f.Key + ": " + f.Value + "\r\n")
	}
	b.WriteString("\r\n")
	s.broadcast(class, []byte(b.String()))
}

// broadcast queues event bytes on every session that may receive class.
func (s *Server) broadcast(class int, event []byte) {
	s.mu.Lock()
	sessions := s.sessionList()
	s.mu.Unlock()
	for _, ss := range sessions {
		ss.deliverEvent(class, event)
	}
}

// Reload sends the Reload event of main/loader.c publish_reload_message for
// a successful reload of module ("" means every module, shown as "All").
func (s *Server) Reload(module string) {
	s.reloaded(module, 0)
}

// reloaded records the reload time and sends a Reload event with a
// module reload result code (0 success, 2 not found, ...).
func (s *Server) reloaded(module string, status int) {
	if module == "" {
		module = "All"
	}
	if status == 0 {
		s.mu.Lock()
		s.lastReload = time.Now()
		s.mu.Unlock()
	}
	s.Emit(Event{Name: "Reload", Fields: []Field{
		{"Module", module},
		{"Status", strconv.Itoa(status)},
	}})
}
