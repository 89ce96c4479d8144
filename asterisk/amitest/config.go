package amitest

import (
	"crypto/md5"
	"encoding/hex"
	"sort"
	"strconv"
	"time"
)

// AddUser adds a manager.conf user with read and write permission for
// every class (read = all, write = all).
func (s *Server) AddUser(name, secret string) {
	s.AddUserPerms(name, secret, "all", "all")
}

// AddUserPerms adds a manager.conf user with read= and write= class lists
// such as "system,reporting".
func (s *Server) AddUserPerms(name, secret, read, write string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[name] = user{secret: secret, read: permMask(read), write: permMask(write)}
}

// AddEndpoint adds or replaces a PJSIP endpoint.
func (s *Server) AddEndpoint(e Endpoint) {
	if e.Context == "" {
		e.Context = "default"
	}
	if e.Allow == "" {
		e.Allow = "(ulaw)"
	}
	e.Auths = append([]string(nil), e.Auths...)
	e.OutboundAuths = append([]string(nil), e.OutboundAuths...)
	e.Aors = append([]string(nil), e.Aors...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endpoints[e.Name] = e
}

// RemoveEndpoint deletes a PJSIP endpoint.
func (s *Server) RemoveEndpoint(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.endpoints, name)
}

// AddAuth adds or replaces a PJSIP auth.
func (s *Server) AddAuth(a Auth) {
	if a.AuthType == "" {
		a.AuthType = "userpass"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auths[a.Name] = a
}

// SetPassword changes the password of an existing auth, as an edit of
// pjsip.conf followed by a reload would.
func (s *Server) SetPassword(auth, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.auths[auth]; ok {
		a.Password = password
		s.auths[auth] = a
	}
}

// AddTransport adds or replaces a PJSIP transport.
func (s *Server) AddTransport(t Transport) {
	if t.Protocol == "" {
		t.Protocol = "udp"
	}
	if t.Bind == "" {
		t.Bind = "0.0.0.0:5060"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.transports[t.Name] = t
}

// AddAOR adds or replaces a PJSIP AOR.
func (s *Server) AddAOR(a AOR) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aors[a.Name] = a
}

// contactID names a contact the way res_pjsip/location.c does: the AOR,
// ";@" for registered or "@@" for static contacts, and the MD5 of the URI.
func contactID(c Contact) string {
	sum := md5.Sum([]byte(c.URI))
	sep := ";@"
	if c.Static {
		sep = "@@"
	}
	return c.AOR + sep + hex.EncodeToString(sum[:])
}

// AddContact adds or replaces a contact and sends a ContactStatus event.
func (s *Server) AddContact(c Contact) {
	if c.Status == "" {
		c.Status = "NonQualified"
	}
	if !c.Static && c.Expires.IsZero() {
		c.Expires = time.Now().Add(time.Hour)
	}
	s.mu.Lock()
	if c.Endpoint == "" {
		c.Endpoint = s.endpointOfAOR(c.AOR)
	}
	s.contacts[contactID(c)] = c
	s.mu.Unlock()
	s.emitContactStatus(c)
}

// SetContactStatus changes a contact's status (and round-trip time) and
// sends a ContactStatus event. Unknown contacts are ignored.
func (s *Server) SetContactStatus(aor, uri, status string, roundtripUsec int64) {
	s.mu.Lock()
	c, id, ok := s.findContact(aor, uri)
	if ok {
		c.Status = status
		c.RoundtripUsec = roundtripUsec
		s.contacts[id] = c
	}
	s.mu.Unlock()
	if ok {
		s.emitContactStatus(c)
	}
}

// RemoveContact deletes a contact (an unregistration or expiry) and sends
// a ContactStatus event with status Removed.
func (s *Server) RemoveContact(aor, uri string) {
	s.mu.Lock()
	c, id, ok := s.findContact(aor, uri)
	if ok {
		delete(s.contacts, id)
	}
	s.mu.Unlock()
	if ok {
		c.Status = "Removed"
		s.emitContactStatus(c)
	}
}

// findContact looks a contact up by AOR and URI; s.mu must be held.
func (s *Server) findContact(aor, uri string) (Contact, string, bool) {
	for id, c := range s.contacts {
		if c.AOR == aor && c.URI == uri {
			return c, id, true
		}
	}
	return Contact{}, "", false
}

// endpointOfAOR returns the first endpoint, by name, listing the AOR; s.mu
// must be held.
func (s *Server) endpointOfAOR(aor string) string {
	names := make([]string, 0, len(s.endpoints))
	for name := range s.endpoints {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, a := range s.endpoints[name].Aors {
			if a == aor {
				return name
			}
		}
	}
	return ""
}

// emitContactStatus sends the ContactStatus event of main/stasis_endpoints.c
// contactstatus_to_ami. The round-trip time is 0 unless the contact is
// Reachable, as pjsip_options.c qualify_contact_cb sets it.
func (s *Server) emitContactStatus(c Contact) {
	if c.Status != "Reachable" {
		c.RoundtripUsec = 0
	}
	s.Emit(Event{Name: "ContactStatus", Fields: []Field{
		{"URI", c.URI},
		{"ContactStatus", c.Status},
		{"AOR", c.AOR},
		{"EndpointName", c.Endpoint},
		{"RoundtripUsec", strconv.FormatInt(c.RoundtripUsec, 10)},
	}})
}

// AddPeer adds or replaces a chan_sip peer; call it again with the
// registration fields set to register a dynamic peer.
func (s *Server) AddPeer(p Peer) {
	if p.Port == 0 {
		p.Port = 5060
	}
	if p.Context == "" {
		p.Context = "default"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.peers[p.Name] = p
}

// RemovePeer deletes a chan_sip peer.
func (s *Server) RemovePeer(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.peers, name)
}
