package aritest

import "strings"

// handler answers a routed ARI request.
type handler func(s *Server, rq *ariRequest) reply

// route is one node of res_ari's handler tree (struct
// stasis_rest_handlers): a path segment, or a {wildcard} recorded as a
// path variable, with a callback per method.
type route struct {
	segment   string
	wildcard  bool
	websocket bool // the events websocket: GET upgrades
	methods   map[string]handler
	children  []*route
}

// methodOrder is enum ast_http_method's order, used by the Allow header.
var methodOrder = []string{"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"}

// routes is the part of Asterisk 20.20.1's ARI tree the fake implements
// (res/res_ari_asterisk.c, res_ari_endpoints.c, res_ari_applications.c,
// res_ari_events.c). Other resources (channels, bridges, ...) answer 404.
var routes = &route{segment: "ari", children: []*route{
	{segment: "asterisk", children: []*route{
		{segment: "config", children: []*route{
			{segment: "dynamic", children: []*route{
				{segment: "configClass", wildcard: true, children: []*route{
					{segment: "objectType", wildcard: true, children: []*route{
						{segment: "id", wildcard: true, methods: map[string]handler{
							"GET": (*Server).getObject, "PUT": (*Server).updateObject, "DELETE": (*Server).deleteObject,
						}},
					}},
				}},
			}},
		}},
		{segment: "info", methods: map[string]handler{"GET": (*Server).getInfo}},
		{segment: "ping", methods: map[string]handler{"GET": (*Server).ping}},
	}},
	{segment: "endpoints", methods: map[string]handler{"GET": (*Server).listEndpoints}, children: []*route{
		{segment: "tech", wildcard: true, methods: map[string]handler{"GET": (*Server).listByTech}, children: []*route{
			{segment: "resource", wildcard: true, methods: map[string]handler{"GET": (*Server).getEndpoint}},
		}},
	}},
	{segment: "applications", methods: map[string]handler{"GET": (*Server).listApplications}, children: []*route{
		{segment: "applicationName", wildcard: true, methods: map[string]handler{"GET": (*Server).getApplication}, children: []*route{
			{segment: "subscription", methods: map[string]handler{
				"POST": (*Server).subscribe, "DELETE": (*Server).unsubscribe,
			}},
		}},
	}},
	{segment: "events", websocket: true, methods: map[string]handler{"GET": nil}},
}}

// invoke routes an authenticated request as ast_ari_invoke does, after
// authentication: read-only users may only GET, a trailing slash is a 404,
// each path segment is decoded and matched (explicit names before
// wildcards), OPTIONS lists the methods, and a missing callback is a 405.
// For a websocket route it returns the route instead of a reply.
func (s *Server) invoke(rq *ariRequest, uri string) (reply, *route) {
	switch {
	case s.readOnly(rq.user) && rq.method != "GET" && rq.method != "OPTIONS":
		return errorReply(403, "Forbidden", "Write access denied"), nil
	case strings.HasSuffix(uri, "/"):
		return errorReply(404, "Not Found", "ARI URLs do not end with a slash. Try /ari/"+strings.TrimSuffix(uri, "/")), nil
	}
	node := routes
	rq.pathVars = map[string]string{}
	rest := uri
	for rest != "" {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		if seg == "" {
			break // strsep stops at an empty segment
		}
		seg = uriDecode(seg)
		var found, wild *route
		for _, c := range node.children {
			switch {
			case c.wildcard:
				wild = c
			case c.segment == seg:
				found = c
			}
			if found != nil {
				break
			}
		}
		if found == nil && wild != nil {
			rq.pathVars[wild.segment] = seg
			found = wild
		}
		if found == nil {
			return errorReply(404, "Not Found", "Resource not found"), nil
		}
		node = found
	}
	switch {
	case rq.method == "OPTIONS":
		return reply{status: 204, title: "No Content", headers: allowHeader(node)}, nil
	case rq.method == "":
		rp := errorReply(405, "Method Not Allowed", "Invalid method")
		rp.headers = allowHeader(node)
		return rp, nil
	case node.websocket && rq.method == "GET":
		return reply{}, node
	}
	h := node.methods[rq.method]
	if h == nil {
		rp := errorReply(405, "Method Not Allowed", "Invalid method")
		rp.headers = allowHeader(node)
		return rp, nil
	}
	return h(s, rq), nil
}

// allowHeader is add_allow_header: OPTIONS, then every method with a
// callback in enum order.
func allowHeader(r *route) string {
	var b strings.Builder
	b.WriteString("Allow: OPTIONS")
	for _, m := range methodOrder {
		if _, ok := r.methods[m]; ok {
			b.WriteString("," + m)
		}
	}
	b.WriteString("\r\n")
	return b.String()
}
