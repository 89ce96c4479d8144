// Package aritest provides a fake Asterisk REST Interface (ARI) server for
// tests, in the style of net/http/httptest.
//
// The fake answers as a real Asterisk 20.20.1 does, byte for byte where the
// golden captures (../shared/asterisk/golden; docs/asterisk.md#ari) show it:
// the status line and headers in ast_http_send's order and spelling (Server:
// Asterisk/20.20.1, Date, Cache-Control: no-cache, no-store, then
// Content-type: application/json with a lower-case t, Content-Length), and
// the JSON bodies as jansson dumps them (two-space indent with ari.conf
// pretty = yes, members in insertion order, no trailing newline). Go's
// net/http server would canonicalise and reorder those headers, so the fake
// speaks HTTP/1.1 on the raw connection itself (requests are parsed with
// http.ReadRequest) and does the websocket handshake and framing itself.
//
// What it implements, read from res/res_ari.c, res/ari/*.c,
// res/stasis/app.c, main/http.c, main/endpoints.c and main/stasis_*.c at
// tag 20.20.1:
//
//   - Authentication before routing: HTTP Basic first, else
//     ?api_key=user:password; a failure is 401 {"message": "Authentication
//     required"} with WWW-Authenticate: Basic realm="Asterisk REST
//     Interface". Read-only users may only GET ("Write access denied").
//   - Routing as ast_ari_invoke does: per-segment URL decoding, 404
//     "Resource not found", 404 "ARI URLs do not end with a slash. Try
//     /ari/...", 405 "Invalid method" with an Allow header, OPTIONS.
//   - GET /ari/endpoints, /endpoints/{tech} (404 "No Endpoints found -
//     invalid tech X") and /endpoints/{tech}/{resource} (404 "Endpoint not
//     found"), in the stasis cache's hash order.
//   - GET|PUT|DELETE /ari/asterisk/config/dynamic/{class}/{type}/{id} for
//     res_pjsip endpoint, auth and transport objects, every field in sorcery
//     order (pjsipfields.go), passwords included; 404 "configClass 'x' not
//     found", "objectType 'x' not found", "Object with id 'x' not found";
//     PUT and DELETE of config-file objects are refused with 403 (400 for a
//     missing "fields" or an unknown attribute).
//   - GET /ari/asterisk/info (with only=) and /asterisk/ping.
//   - GET /ari/applications, /applications/{name}, POST and DELETE
//     /applications/{name}/subscription?eventSource=endpoint:...
//   - The events websocket /ari/events?app=a[,b][&subscribeAll=true], and
//     the events ContactStatusChange, PeerStatusChange and
//     EndpointStateChange with Asterisk's member order.
//
// Fault injection: SetDown (refuse connections, drop open ones, come back
// on the same port), DropWebsockets, SetResponseDelay (a stalled server).
// Requests records every request without passwords.
//
// Not verified against a real Asterisk (no capture exists) and decided
// from the C source alone: the dynamic configuration replies, the 405,
// 404 and websocket error responses, the order of endpoint subscriptions
// in application JSON, and which events a subscribeAll application gets
// (app.c routes only PeerStatusChange and ContactStatusChange for the
// all-endpoints subscription, so the fake sends EndpointStateChange only to
// applications subscribed to the technology or the endpoint). Not
// implemented: CORS headers, api-docs, channels, bridges, recordings and
// the other resources (they answer 404 "Resource not found"), REST requests
// over the websocket, ApplicationReplaced when a second websocket takes an
// application over, and the aor, contact and other res_pjsip object types'
// fields (their ids are all unknown).
package aritest
