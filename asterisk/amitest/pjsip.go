package amitest

import (
	"maps"
	"net"
	"slices"
	"strconv"
	"strings"
)

// aorOf returns an AOR by name; an AOR referenced but never added exists
// with max_contacts=1. s.mu must be held.
func (s *Server) aorOf(name string) AOR {
	if a, ok := s.aors[name]; ok {
		return a
	}
	return AOR{Name: name, MaxContacts: 1}
}

// contactsOf returns an AOR's contacts sorted by contact ID, the order of
// ast_sip_location_retrieve_aor_contacts. s.mu must be held.
func (s *Server) contactsOf(aor string) []Contact {
	var ids []string
	for id, c := range s.contacts {
		if c.AOR == aor {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := make([]Contact, len(ids))
	for i, id := range ids {
		out[i] = s.contacts[id]
	}
	return out
}

// deviceState is "Not in use" when one of the endpoint's contacts is
// usable (Reachable or NonQualified), else "Unavailable". s.mu must be held.
func (s *Server) deviceState(e Endpoint) string {
	if e.DeviceState != "" {
		return e.DeviceState
	}
	for _, aor := range e.Aors {
		for _, c := range s.contactsOf(aor) {
			if c.Status == "Reachable" || c.Status == "NonQualified" {
				return "Not in use"
			}
		}
	}
	return "Unavailable"
}

// showEndpoints implements PJSIPShowEndpoints (ami_show_endpoints): one
// EndpointList per endpoint in ID order.
func (ss *session) showEndpoints(req request, list *listReply) bool {
	s := ss.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	names := slices.Sorted(maps.Keys(s.endpoints))
	if len(names) == 0 {
		ss.sendError(req, "No endpoints found\n")
		return true
	}
	ss.sendListAck(req, "A listing of Endpoints follows, presented as EndpointList events")
	for _, name := range names {
		e := s.endpoints[name]
		b := eventHead(req, "EndpointList")
		writeFields(b, []Field{
			{"ObjectType", "endpoint"},
			{"ObjectName", e.Name},
			{"Transport", e.Transport},
			{"Aor", strings.Join(e.Aors, ",")},
			{"Auths", strings.Join(e.Auths, ",")},
			{"OutboundAuths", strings.Join(e.OutboundAuths, ",")},
		})
		for _, aor := range e.Aors {
			b.WriteString("Contacts: ")
			for _, c := range s.contactsOf(aor) {
				b.WriteString(aor + "/" + c.URI + ",")
			}
			b.WriteString("\r\n")
		}
		writeFields(b, []Field{
			{"DeviceState", s.deviceState(e)},
			{"ActiveChannels", "0"},
		})
		list.event(b)
	}
	return list.complete(req, "EndpointListComplete", len(names))
}

// showEndpoint implements PJSIPShowEndpoint (ami_show_endpoint): the
// EndpointDetail, then the events of each formatter in registration order
// (auths, transport, AORs, contact statuses), then EndpointDetailComplete
// with ListItems counting them all.
func (ss *session) showEndpoint(req request, list *listReply) bool {
	name := req.header("Endpoint")
	if name == "" {
		ss.sendError(req, "PJSIPShowEndpoint requires an endpoint name\n")
		return true
	}
	if len(name) >= 6 && strings.EqualFold(name[:6], "pjsip/") {
		name = name[6:]
	}
	s := ss.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.endpoints[name]
	if !ok {
		ss.sendError(req, "Unable to retrieve endpoint "+name+"\n")
		return true
	}
	ss.sendListAck(req, "Following are Events for each object associated with the Endpoint")
	list.event(s.endpointDetail(req, e))
	count := 0
	for _, id := range slices.Concat(e.Auths, e.OutboundAuths) {
		a, ok := s.auths[id]
		if !ok {
			continue
		}
		b := eventHead(req, "AuthDetail")
		writeFields(b, authFields(a))
		writeFields(b, []Field{{"EndpointName", e.Name}})
		list.event(b)
		count++
	}
	if e.Transport != "" {
		t, ok := s.transports[e.Transport]
		if !ok {
			ss.sendError(req, "Unable to retrieve transport "+e.Transport+"\n")
			ss.sendError(req, "Unable to format endpoint "+name+"\n")
			return list.complete(req, "EndpointDetailComplete", count+1)
		}
		b := eventHead(req, "TransportDetail")
		writeFields(b, []Field{{"ObjectType", "transport"}, {"ObjectName", t.Name}})
		writeFields(b, withValues(transportDetailFields, map[string]string{
			"Protocol": t.Protocol,
			"Bind":     t.Bind,
		}))
		writeFields(b, []Field{{"EndpointName", e.Name}})
		list.event(b)
		count++
	}
	for _, aor := range e.Aors {
		list.event(s.aorDetail(req, s.aorOf(aor), e.Name))
		count++
	}
	for _, aor := range e.Aors {
		for _, c := range s.contactsOf(aor) {
			list.event(contactStatusDetail(req, c, s.aorOf(aor), e.Name))
			count++
		}
	}
	return list.complete(req, "EndpointDetailComplete", count+1)
}

// endpointDetail builds the EndpointDetail event. s.mu must be held.
func (s *Server) endpointDetail(req request, e Endpoint) *strings.Builder {
	values := map[string]string{
		"Aors":         strings.Join(e.Aors, ","),
		"Context":      e.Context,
		"Transport":    e.Transport,
		"Callerid":     e.Callerid,
		"Allow":        e.Allow,
		"Auth":         strings.Join(e.Auths, ","),
		"OutboundAuth": strings.Join(e.OutboundAuths, ","),
	}
	maps.Copy(values, e.Extra)
	b := eventHead(req, "EndpointDetail")
	writeFields(b, []Field{{"ObjectType", "endpoint"}, {"ObjectName", e.Name}})
	writeFields(b, withValues(endpointDetailFields, values))
	writeFields(b, []Field{
		{"DeviceState", s.deviceState(e)},
		{"ActiveChannels", "0"},
	})
	return b
}

// authFields are an auth's AMI fields (AuthDetail and AuthList) in the
// order of golden AuthDetail. An MD5 credential also shows as a password
// digest, as password_digest_to_str prints it.
func authFields(a Auth) []Field {
	digest := ""
	if a.Md5Cred != "" {
		digest = "MD5:" + a.Md5Cred
	}
	return []Field{
		{"ObjectType", "auth"},
		{"ObjectName", a.Name},
		{"OauthSecret", ""},
		{"PasswordDigest", digest},
		{"SupportedAlgorithmsUas", "MD5"},
		{"RefreshToken", ""},
		{"Username", a.Username},
		{"Md5Cred", a.Md5Cred},
		{"Realm", a.Realm},
		{"AuthType", a.AuthType},
		{"Password", a.Password},
		{"SupportedAlgorithmsUac", "MD5"},
		{"NonceLifetime", "32"},
		{"OauthClientid", ""},
	}
}

// aorDetail builds an AorDetail event (format_ami_aor_handler). s.mu must
// be held.
func (s *Server) aorDetail(req request, a AOR, endpoint string) *strings.Builder {
	contacts := s.contactsOf(a.Name)
	ids := make([]string, len(contacts))
	static := 0
	for i, c := range contacts {
		ids[i] = a.Name + "/" + c.URI
		if c.Static {
			static++
		}
	}
	b := eventHead(req, "AorDetail")
	writeFields(b, []Field{
		{"ObjectType", "aor"},
		{"ObjectName", a.Name},
		{"MinimumExpiration", "60"},
		{"DefaultExpiration", "3600"},
		{"QualifyTimeout", "3.000000"},
		{"Qualify2xxOnly", "false"},
		{"Mailboxes", a.Mailboxes},
		{"SupportPath", "false"},
		{"RemoveUnavailable", "false"},
		{"VoicemailExtension", ""},
		{"MaxContacts", strconv.Itoa(a.MaxContacts)},
		{"AuthenticateQualify", "false"},
		{"Contacts", strings.Join(ids, ",")},
		{"MaximumExpiration", "7200"},
		{"QualifyFrequency", strconv.Itoa(a.QualifyFrequency)},
		{"RemoveExisting", "false"},
		{"OutboundProxy", ""},
		{"TotalContacts", strconv.Itoa(len(contacts))},
		{"ContactsRegistered", strconv.Itoa(len(contacts) - static)},
		{"EndpointName", endpoint},
	})
	return b
}

// regExpire is a contact's expiry in Unix seconds; 0 for static contacts.
func regExpire(c Contact) string {
	if c.Static {
		return "0"
	}
	return strconv.FormatInt(c.Expires.Unix(), 10)
}

// roundtrip is RoundtripUsec as ContactStatusDetail and ContactList show
// it: the measured time for a Reachable contact, otherwise N/A.
func roundtrip(c Contact) string {
	if c.Status != "Reachable" {
		return "N/A"
	}
	return strconv.FormatInt(c.RoundtripUsec, 10)
}

// contactStatusDetail builds a ContactStatusDetail event
// (ast_sip_format_contact_ami).
func contactStatusDetail(req request, c Contact, a AOR, endpoint string) *strings.Builder {
	b := eventHead(req, "ContactStatusDetail")
	fields := []Field{
		{"AOR", c.AOR},
		{"URI", c.URI},
		{"UserAgent", c.UserAgent},
		{"RegExpire", regExpire(c)},
	}
	if c.ViaAddress != "" {
		fields = append(fields, Field{"ViaAddress", c.ViaAddress})
	}
	if c.CallID != "" {
		fields = append(fields, Field{"CallID", c.CallID})
	}
	fields = append(fields,
		Field{"Status", c.Status},
		Field{"RoundtripUsec", roundtrip(c)},
		Field{"EndpointName", endpoint},
		Field{"ID", contactID(c)},
		Field{"AuthenticateQualify", "0"},
		Field{"OutboundProxy", ""},
		Field{"Path", ""},
		Field{"QualifyFrequency", strconv.Itoa(a.QualifyFrequency)},
		Field{"QualifyTimeout", "3.000"},
		Field{"Qualify2xxOnly", "0"},
	)
	writeFields(b, fields)
	return b
}

// showAuths implements PJSIPShowAuths (ami_show_auths).
func (ss *session) showAuths(req request, list *listReply) bool {
	s := ss.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	names := slices.Sorted(maps.Keys(s.auths))
	if len(names) == 0 {
		ss.sendError(req, "No Auths found\n")
		return true
	}
	ss.sendListAck(req, "A listing of Auths follows, presented as AuthList events")
	for _, name := range names {
		b := eventHead(req, "AuthList")
		writeFields(b, authFields(s.auths[name]))
		list.event(b)
	}
	return list.complete(req, "AuthListComplete", len(names))
}

// showContacts implements PJSIPShowContacts (ami_show_contacts): the
// registered contacts (static ones are not sorcery objects) in ID order.
func (ss *session) showContacts(req request, list *listReply) bool {
	s := ss.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id, c := range s.contacts {
		if !c.Static {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if len(ids) == 0 {
		ss.sendError(req, "No Contacts found\n")
		return true
	}
	ss.sendListAck(req, "A listing of Contacts follows, presented as ContactList events")
	for _, id := range ids {
		c := s.contacts[id]
		viaAddr, viaPort := c.ViaAddress, "0"
		if h, p, err := net.SplitHostPort(c.ViaAddress); err == nil {
			viaAddr, viaPort = h, p
		}
		b := eventHead(req, "ContactList")
		writeFields(b, []Field{
			{"ObjectType", "contact"},
			{"ObjectName", id},
			{"ViaAddr", viaAddr},
			{"QualifyTimeout", "3.000000"},
			{"Qualify2xxOnly", "false"},
			{"CallId", c.CallID},
			{"RegServer", s.opts.SystemName},
			{"PruneOnBoot", "no"},
			{"Path", ""},
			{"Endpoint", c.Endpoint},
			{"ViaPort", viaPort},
			{"AuthenticateQualify", "no"},
			{"Uri", c.URI},
			{"QualifyFrequency", strconv.Itoa(s.aorOf(c.AOR).QualifyFrequency)},
			{"UserAgent", c.UserAgent},
			{"ExpirationTime", regExpire(c)},
			{"OutboundProxy", ""},
			{"Status", c.Status},
			{"RoundtripUsec", roundtrip(c)},
		})
		list.event(b)
	}
	return list.complete(req, "ContactListComplete", len(ids))
}

// pjsipNotify implements PJSIPNotify (res_pjsip_notify.c manager_notify and
// its endpoint, URI and channel modes).
func (ss *session) pjsipNotify(req request, _ *listReply) bool {
	endpoint := req.header("Endpoint")
	uri := req.header("URI")
	channel := req.header("Channel")
	variable := req.header("Variable")
	option := req.header("Option")
	targets := 0
	for _, v := range []string{endpoint, uri, channel} {
		if v != "" {
			targets++
		}
	}
	switch {
	case (option != "") == (variable != ""):
		ss.sendError(req, "PJSIPNotify requires either an Option or Variable(s)."+
			"You must use only one of them.")
	case targets > 1:
		ss.sendError(req, "PJSIPNotify requires either an endpoint name, a SIP URI, or a channel.  "+
			"You must use only one of them.")
	case endpoint != "":
		ss.notifyEndpoint(req, endpoint, option)
	case uri != "":
		if option != "" && !ss.knownNotifyOption(option) {
			ss.sendError(req, "Unable to find notify type '"+option+"'\n")
			return true
		}
		ss.srv.recordNotify(Notify{Action: "PJSIPNotify", URI: uri, Option: option, Variables: notifyVariables(req, option)})
		ss.sendAck(req, "NOTIFY sent")
	case channel != "":
		ss.sendError(req, "Channel not found")
	default:
		ss.sendError(req, "PJSIPNotify requires either an endpoint name, a SIP URI, or a channel.")
	}
	return true
}

// notifyEndpoint sends a NOTIFY to every contact of every AOR of an
// endpoint (manager_notify_endpoint).
func (ss *session) notifyEndpoint(req request, endpoint, option string) {
	if option != "" && !ss.knownNotifyOption(option) {
		ss.sendError(req, "Unable to find notify type '"+option+"'\n")
		return
	}
	name := endpoint
	if len(name) >= 4 && strings.EqualFold(name[:4], "sip/") {
		name = name[4:]
	}
	if len(name) >= 6 && strings.EqualFold(name[:6], "pjsip/") {
		name = name[6:]
	}
	s := ss.srv
	s.mu.Lock()
	e, ok := s.endpoints[name]
	var uris []string
	for _, aor := range e.Aors {
		for _, c := range s.contactsOf(aor) {
			uris = append(uris, c.URI)
		}
	}
	s.mu.Unlock()
	if !ok {
		ss.sendError(req, "Unable to retrieve endpoint "+name)
		return
	}
	s.recordNotify(Notify{Action: "PJSIPNotify", Endpoint: name, Option: option,
		Variables: notifyVariables(req, option), Contacts: uris})
	ss.sendAck(req, "NOTIFY sent")
}

// notifyVariables returns the Variable: values of a request that uses
// them (an Option replaces them).
func notifyVariables(req request, option string) []string {
	if option != "" {
		return nil
	}
	return req.all("Variable")
}

// knownNotifyOption reports whether pjsip_notify.conf has the section,
// compared case-insensitively as notify_option_find does.
func (ss *session) knownNotifyOption(name string) bool {
	return slices.ContainsFunc(ss.srv.opts.NotifyOptions, func(o string) bool {
		return strings.EqualFold(o, name)
	})
}
