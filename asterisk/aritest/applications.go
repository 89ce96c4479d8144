package aritest

import (
	"sort"
	"strings"
)

// Names of the "all" subscriptions of a subscribeAll application
// (res/stasis/app.c, res/res_stasis_device_state.c).
const (
	channelAll     = "__AST_CHANNEL_ALL_TOPIC"
	bridgeAll      = "__AST_BRIDGE_ALL_TOPIC"
	endpointAll    = "__AST_ENDPOINT_ALL_TOPIC"
	deviceStateAll = "__AST_DEVICE_STATE_ALL_TOPIC"
)

// application is a Stasis application registered by an event websocket.
type application struct {
	name         string
	session      *wsSession
	subscribeAll bool
	endpoints    []string // subscribed endpoint ids: "PJSIP", "PJSIP/7001" or endpointAll
}

// toJSON is stasis_app_object_to_json. Endpoint subscriptions are sorted
// by id, as app->forwards is a red-black tree on the id.
func (a *application) toJSON() object {
	channels, bridges, devices := array{}, array{}, array{}
	ids := append([]string(nil), a.endpoints...)
	if a.subscribeAll {
		channels = array{channelAll}
		bridges = array{bridgeAll}
		devices = array{deviceStateAll}
		ids = append(ids, endpointAll)
	}
	sort.Strings(ids)
	endpoints := array{}
	for i, id := range ids {
		if i > 0 && ids[i-1] == id {
			continue
		}
		endpoints = append(endpoints, id)
	}
	return object{
		{"name", a.name},
		{"channel_ids", channels},
		{"bridge_ids", bridges},
		{"endpoint_ids", endpoints},
		{"device_names", devices},
		{"events_allowed", array{}},
		{"events_disallowed", array{}},
	}
}

// watches reports whether the application receives an event of typ about
// endpoint tech/resource. A subscribeAll application (or "endpoint:")
// gets only PeerStatusChange and ContactStatusChange: res/stasis/app.c
// forwards_create_endpoint routes just those two message types for the
// all-endpoints subscription, while a subscription to a technology or an
// endpoint forwards its topics, snapshot updates (EndpointStateChange)
// included.
func (a *application) watches(typ, tech, resource string) bool {
	for _, id := range a.endpoints {
		if id == tech || id == tech+"/"+resource {
			return true
		}
	}
	all := a.subscribeAll
	for _, id := range a.endpoints {
		all = all || id == endpointAll
	}
	return all && typ != "EndpointStateChange"
}

// listApplications is ast_ari_applications_list.
func (s *Server) listApplications(rq *ariRequest) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.apps))
	for name := range s.apps {
		names = append(names, name)
	}
	sort.Strings(names)
	out := array{}
	for _, name := range names {
		out = append(out, s.apps[name].toJSON())
	}
	return okReply(out)
}

// getApplication is ast_ari_applications_get.
func (s *Server) getApplication(rq *ariRequest) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[rq.pathVars["applicationName"]]
	if !ok {
		return errorReply(404, "Not Found", "Application not found")
	}
	return okReply(a.toJSON())
}

// eventSources returns the eventSource parameters, each split at commas.
func eventSources(params []param) []string {
	var out []string
	for _, p := range params {
		if p.name != "eventSource" {
			continue
		}
		for _, src := range strings.Split(p.value, ",") {
			if src = strings.TrimSpace(src); src != "" {
				out = append(out, src)
			}
		}
	}
	return out
}

// resolveSource maps an event source URI to an endpoint subscription id
// as stasis_app_subscribe does; only endpoint sources can exist in the
// fake (it has no channels, bridges or device states to name).
func (s *Server) resolveSource(src string) (string, *reply) {
	scheme, id, ok := strings.Cut(src, ":")
	switch {
	case !ok || (scheme != "channel" && scheme != "bridge" && scheme != "endpoint" && scheme != "deviceState"):
		rp := errorReply(400, "Bad Request", "Invalid event source URI scheme")
		return "", &rp
	case scheme == "endpoint" && id == "":
		return endpointAll, nil
	case scheme == "endpoint":
		if _, found := s.endpoints[id]; found || (!strings.Contains(id, "/") && s.techs[id]) {
			return id, nil
		}
	}
	rp := errorReply(422, "Unprocessable Entity", "Event source does not exist")
	return "", &rp
}

// subscribe is ast_ari_applications_subscribe.
func (s *Server) subscribe(rq *ariRequest) reply {
	srcs := eventSources(rq.params)
	if len(srcs) == 0 {
		return errorReply(400, "Bad Request", "Missing parameter eventSource")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[rq.pathVars["applicationName"]]
	if !ok {
		return errorReply(404, "Not Found", "Application not found")
	}
	var ids []string
	for _, src := range srcs {
		id, rp := s.resolveSource(src)
		if rp != nil {
			return *rp
		}
		ids = append(ids, id)
	}
	for _, id := range ids {
		dup := false
		for _, have := range a.endpoints {
			dup = dup || have == id
		}
		if !dup {
			a.endpoints = append(a.endpoints, id)
		}
	}
	return okReply(a.toJSON())
}

// unsubscribe is ast_ari_applications_unsubscribe.
func (s *Server) unsubscribe(rq *ariRequest) reply {
	srcs := eventSources(rq.params)
	if len(srcs) == 0 {
		return errorReply(400, "Bad Request", "Missing parameter eventSource")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[rq.pathVars["applicationName"]]
	if !ok {
		return errorReply(404, "Not Found", "Application not found")
	}
	for _, src := range srcs {
		scheme, id, _ := strings.Cut(src, ":")
		if scheme == "endpoint" && id == "" {
			id = endpointAll
		}
		idx := -1
		for i, have := range a.endpoints {
			if have == id {
				idx = i
			}
		}
		if idx < 0 {
			return errorReply(422, "Unprocessable Entity", "Event source was not subscribed to")
		}
		a.endpoints = append(a.endpoints[:idx], a.endpoints[idx+1:]...)
	}
	return okReply(a.toJSON())
}
