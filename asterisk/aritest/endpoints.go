package aritest

import (
	"fmt"
	"sort"
	"strings"
)

// cacheBuckets is NUM_CACHE_BUCKETS of main/stasis_cache.c.
const cacheBuckets = 563

// snapshotTypeHash is ast_hashtab_hash_string("ast_endpoint_snapshot_type"),
// the message type's part of every endpoint cache entry's hash.
var snapshotTypeHash = hashtabHash("ast_endpoint_snapshot_type")

// hashtabHash is ast_hashtab_hash_string (main/hashtab.c): total*13 + byte.
func hashtabHash(s string) uint32 {
	var total uint32
	for i := 0; i < len(s); i++ {
		total = total*13 + uint32(s[i])
	}
	return total
}

// cacheBucket is the stasis cache bucket of an endpoint snapshot: the type
// hash plus the id hash, as an int, modulo the bucket count, made
// non-negative (cache_entry_compute_hash and astobj2_hash.c).
func cacheBucket(id string) int {
	h := int32(snapshotTypeHash + hashtabHash(id))
	b := int(h % cacheBuckets)
	if b < 0 {
		b = -b
	}
	return b
}

// sortedEndpoints returns the endpoints in the order stasis_cache_dump
// lists them: bucket by bucket, in insertion order within a bucket. It
// reproduces golden/ari-endpoints.json (PJSIP/7001 in bucket 299, SIP/6001
// in 489, SIP/6002 in 490). s.mu must be held.
func (s *Server) sortedEndpoints() []*endpoint {
	list := make([]*endpoint, 0, len(s.endpoints))
	for _, e := range s.endpoints {
		list = append(list, e)
	}
	sort.Slice(list, func(i, j int) bool {
		bi, bj := cacheBucket(list[i].id()), cacheBucket(list[j].id())
		if bi != bj {
			return bi < bj
		}
		return list[i].seq < list[j].seq
	})
	return list
}

// addEndpoint creates an ARI endpoint, and its technology endpoint; it
// keeps an existing one's place and channels. s.mu must be held.
func (s *Server) addEndpoint(tech, resource, state string) *endpoint {
	if state == "" {
		state = StateUnknown
	}
	id := tech + "/" + resource
	if e, ok := s.endpoints[id]; ok {
		e.state = state
		return e
	}
	s.nextSeq++
	e := &endpoint{tech: tech, resource: resource, state: state, seq: s.nextSeq}
	s.endpoints[id] = e
	s.techs[tech] = true
	return e
}

// AddSIPPeer adds a chan_sip peer's ARI endpoint SIP/<name> with a state
// (unknown, offline or online; "" means unknown).
func (s *Server) AddSIPPeer(name, state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addEndpoint("SIP", name, state)
}

// AddEndpoint adds a PJSIP endpoint: its dynamic configuration object
// res_pjsip/endpoint/<name> and its ARI endpoint PJSIP/<name>.
func (s *Server) AddEndpoint(ep Endpoint) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pjsipEps[ep.Name] = ep
	s.addEndpoint("PJSIP", ep.Name, ep.State)
}

// RemoveEndpoint deletes the ARI endpoint tech/resource (and a PJSIP
// endpoint's configuration object). The technology endpoint stays, as in
// Asterisk.
func (s *Server) RemoveEndpoint(tech, resource string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.endpoints, tech+"/"+resource)
	if tech == "PJSIP" {
		delete(s.pjsipEps, resource)
	}
}

// SetState changes an ARI endpoint's state and sends EndpointStateChange to
// the applications that watch it. It fails for an unknown endpoint.
func (s *Server) SetState(tech, resource, state string) error {
	s.mu.Lock()
	e, ok := s.endpoints[tech+"/"+resource]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("aritest: no endpoint %s/%s", tech, resource)
	}
	e.state = state
	ev := object{
		{"type", "EndpointStateChange"},
		{"timestamp", s.timestamp(s.now())},
		{"endpoint", e.snapshotJSON()},
	}
	s.mu.Unlock()
	s.publish(tech, resource, ev)
	return nil
}

// listEndpoints is ast_ari_endpoints_list.
func (s *Server) listEndpoints(rq *ariRequest) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := array{}
	for _, e := range s.sortedEndpoints() {
		out = append(out, e.snapshotJSON())
	}
	return okReply(out)
}

// listByTech is ast_ari_endpoints_list_by_tech: the technology must have
// a technology endpoint (case-sensitive lookup), then endpoints are
// filtered case-insensitively.
func (s *Server) listByTech(rq *ariRequest) reply {
	tech := rq.pathVars["tech"]
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.techs[tech] {
		return errorReply(404, "Not Found", "No Endpoints found - invalid tech "+tech)
	}
	out := array{}
	for _, e := range s.sortedEndpoints() {
		if strings.EqualFold(e.tech, tech) {
			out = append(out, e.snapshotJSON())
		}
	}
	return okReply(out)
}

// getEndpoint is ast_ari_endpoints_get: the technology is upper-cased
// (ast_endpoint_latest_snapshot), the resource is case-sensitive.
func (s *Server) getEndpoint(rq *ariRequest) reply {
	id := strings.ToUpper(rq.pathVars["tech"]) + "/" + rq.pathVars["resource"]
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.endpoints[id]
	if !ok {
		return errorReply(404, "Not Found", "Endpoint not found")
	}
	return okReply(e.snapshotJSON())
}
