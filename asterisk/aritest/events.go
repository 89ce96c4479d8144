package aritest

import "fmt"

// publish sends an endpoint event to every application that watches the
// endpoint, adding "asterisk_id" (app_send) and then "application"
// (ari_websocket_send_event) at the end of the object, as Asterisk does.
func (s *Server) publish(tech, resource string, ev object) {
	typ, _ := ev.get("type").(string)
	type delivery struct {
		ws   *wsSession
		data []byte
	}
	var out []delivery
	s.mu.Lock()
	for _, a := range s.apps {
		if !a.watches(typ, tech, resource) {
			continue
		}
		msg := append(object(nil), ev...)
		msg = msg.set("asterisk_id", s.opts.EntityID)
		msg = msg.set("application", a.name)
		out = append(out, delivery{a.session, encodeJSON(msg, !s.opts.Compact)})
	}
	s.mu.Unlock()
	for _, d := range out {
		d.ws.write(0x1, d.data)
	}
}

// ContactStatusChange sends a ContactStatusChange event for a contact of
// PJSIP endpoint cs.Endpoint (contactstatus_to_json: roundtrip_usec only
// when known). It fails for an unknown endpoint.
func (s *Server) ContactStatusChange(cs ContactStatus) error {
	s.mu.Lock()
	e, ok := s.endpoints["PJSIP/"+cs.Endpoint]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("aritest: no endpoint PJSIP/%s", cs.Endpoint)
	}
	info := object{{"uri", cs.URI}, {"contact_status", cs.Status}, {"aor", cs.AOR}}
	if cs.RoundtripUsec != "" {
		info = info.set("roundtrip_usec", cs.RoundtripUsec)
	}
	ev := object{
		{"type", "ContactStatusChange"},
		{"timestamp", s.timestamp(s.now())},
		{"endpoint", e.snapshotJSON()},
		{"contact_info", info},
	}
	s.mu.Unlock()
	s.publish("PJSIP", cs.Endpoint, ev)
	return nil
}

// PeerStatusChange sends a PeerStatusChange event for endpoint
// tech/resource (peerstatus_to_json). It fails for an unknown endpoint.
func (s *Server) PeerStatusChange(tech, resource string, p PeerStatus) error {
	s.mu.Lock()
	e, ok := s.endpoints[tech+"/"+resource]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("aritest: no endpoint %s/%s", tech, resource)
	}
	peer := object{{"peer_status", p.Status}}
	for _, kv := range []member{{"cause", p.Cause}, {"address", p.Address}, {"port", p.Port}, {"time", p.Time}} {
		if kv.value != "" {
			peer = peer.set(kv.name, kv.value)
		}
	}
	ev := object{
		{"type", "PeerStatusChange"},
		{"timestamp", s.timestamp(s.now())},
		{"endpoint", e.snapshotJSON()},
		{"peer", peer},
	}
	s.mu.Unlock()
	s.publish(tech, resource, ev)
	return nil
}

// Emit sends data as it is, in one text frame, to the websockets of
// application app, or of every application when app is "". It returns
// the number of websockets written to. Tests use it for events the fake
// does not produce, and for malformed ones.
func (s *Server) Emit(app string, data []byte) int {
	s.mu.Lock()
	seen := map[*wsSession]bool{}
	var targets []*wsSession
	for name, a := range s.apps {
		if (app == "" || name == app) && !seen[a.session] {
			seen[a.session] = true
			targets = append(targets, a.session)
		}
	}
	s.mu.Unlock()
	n := 0
	for _, ws := range targets {
		if ws.write(0x1, data) == nil {
			n++
		}
	}
	return n
}
