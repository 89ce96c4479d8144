package aritest

import (
	"strings"
)

// pjsipObjectTypes are object types registered with res_pjsip's sorcery
// instance. Only endpoint, auth and transport objects can be added to the
// fake; the others exist but hold no objects.
var pjsipObjectTypes = map[string]bool{
	"endpoint": true, "auth": true, "transport": true, "aor": true, "contact": true,
	"domain_alias": true, "identify": true, "global": true, "system": true,
	"registration": true, "phoneprov": true,
}

// AddAuth adds a PJSIP auth object, res_pjsip/auth/<name>.
func (s *Server) AddAuth(a Auth) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auths[a.Name] = a
}

// SetPassword changes a PJSIP auth's password; it reports whether the auth
// exists.
func (s *Server) SetPassword(auth, password string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.auths[auth]
	if ok {
		a.Password = password
		s.auths[auth] = a
	}
	return ok
}

// AddTransport adds a PJSIP transport object, res_pjsip/transport/<name>.
func (s *Server) AddTransport(t Transport) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.transports[t.Name] = t
}

// objectFields returns the attribute list of a res_pjsip object, or false
// when there is no such object. s.mu must be held.
func (s *Server) objectFields(objectType, id string) ([]field, bool) {
	switch objectType {
	case "endpoint":
		ep, ok := s.pjsipEps[id]
		if !ok {
			return nil, false
		}
		values := map[string]string{
			"transport":     ep.Transport,
			"context":       ep.Context,
			"callerid":      ep.Callerid,
			"auth":          strings.Join(ep.Auths, ","),
			"outbound_auth": strings.Join(ep.OutboundAuths, ","),
			"aors":          strings.Join(ep.Aors, ","),
			"allow":         ep.Allow,
		}
		if values["context"] == "" {
			values["context"] = "default"
		}
		if values["allow"] == "" {
			values["allow"] = "(ulaw)"
		}
		for k, v := range ep.Extra {
			values[k] = v
		}
		return withFieldValues(endpointFields, values), true
	case "auth":
		a, ok := s.auths[id]
		if !ok {
			return nil, false
		}
		values := map[string]string{
			"username": a.Username, "password": a.Password, "realm": a.Realm,
			"md5_cred": a.Md5Cred, "auth_type": a.AuthType,
		}
		if values["auth_type"] == "" {
			values["auth_type"] = "userpass"
		}
		return withFieldValues(authFields, values), true
	case "transport":
		t, ok := s.transports[id]
		if !ok {
			return nil, false
		}
		values := map[string]string{"protocol": t.Protocol, "bind": t.Bind}
		if values["protocol"] == "" {
			values["protocol"] = "udp"
		}
		if values["bind"] == "" {
			values["bind"] = "0.0.0.0:5060"
		}
		return withFieldValues(transportFields, values), true
	}
	return nil, false
}

// lookupObject checks the class, type and id of a dynamic configuration
// request in the order ast_ari_asterisk_get_object does; a failure comes
// back as the 404 reply Asterisk words.
func (s *Server) lookupObject(rq *ariRequest) ([]field, *reply) {
	class, typ, id := rq.pathVars["configClass"], rq.pathVars["objectType"], rq.pathVars["id"]
	if class != "res_pjsip" {
		rp := errorReply(404, "Not Found", "configClass '"+class+"' not found")
		return nil, &rp
	}
	if !pjsipObjectTypes[typ] {
		rp := errorReply(404, "Not Found", "objectType '"+typ+"' not found")
		return nil, &rp
	}
	s.mu.Lock()
	fields, ok := s.objectFields(typ, id)
	s.mu.Unlock()
	if !ok {
		return nil, nil
	}
	return fields, nil
}

// getObject is ast_ari_asterisk_get_object: the object's attributes as
// [{"attribute": name, "value": value}, ...], passwords included.
func (s *Server) getObject(rq *ariRequest) reply {
	fields, rp := s.lookupObject(rq)
	switch {
	case rp != nil:
		return *rp
	case fields == nil:
		return errorReply(404, "Not Found", "Object with id '"+rq.pathVars["id"]+"' not found")
	}
	out := make(array, len(fields))
	for i, f := range fields {
		out[i] = object{{"attribute", f.Attribute}, {"value", f.Value}}
	}
	return okReply(out)
}

// updateObject is ast_ari_asterisk_update_object for objects loaded from
// pjsip.conf: the config wizard can neither create nor update, so a valid
// request ends in 403. A body without "fields" for an existing object is
// 400, and so is an attribute the type does not have.
func (s *Server) updateObject(rq *ariRequest) reply {
	fields, rp := s.lookupObject(rq)
	if rp != nil {
		return *rp
	}
	typ, id := rq.pathVars["objectType"], rq.pathVars["id"]
	created := fields == nil
	var list []any
	if body, ok := rq.body.(map[string]any); ok {
		list, _ = body["fields"].([]any)
		if _, has := body["fields"]; has && list == nil {
			list = []any{}
		}
	}
	if list == nil && !created {
		return errorReply(400, "Bad request", "Fields must be provided to update object '"+id+"'")
	}
	known := map[string]bool{}
	for _, f := range typeFields(typ) {
		known[f.Attribute] = true
	}
	for _, item := range list {
		tuple, _ := item.(map[string]any)
		name, _ := tuple["attribute"].(string)
		if !known[name] {
			verb := "Update"
			if created {
				verb = "Creation"
			}
			return errorReply(400, "Bad request", verb+" of object '"+id+"' failed field value validation")
		}
	}
	if created {
		return errorReply(403, "Forbidden", "Cannot create sorcery objects of type '"+typ+"'")
	}
	return errorReply(403, "Forbidden", "Cannot update sorcery objects of type '"+typ+"'")
}

// deleteObject is ast_ari_asterisk_delete_object: objects from pjsip.conf
// cannot be deleted.
func (s *Server) deleteObject(rq *ariRequest) reply {
	fields, rp := s.lookupObject(rq)
	switch {
	case rp != nil:
		return *rp
	case fields == nil:
		return errorReply(404, "Not Found", "Object with id '"+rq.pathVars["id"]+"' not found")
	}
	return errorReply(403, "Forbidden", "Could not delete object with id '"+rq.pathVars["id"]+"'")
}

// typeFields returns the attribute list of an object type the fake knows
// the fields of.
func typeFields(objectType string) []field {
	switch objectType {
	case "endpoint":
		return endpointFields
	case "auth":
		return authFields
	case "transport":
		return transportFields
	}
	return nil
}
