// Package ari is a client for the Asterisk REST Interface (ARI,
// docs/asterisk.md#ari) that reads endpoint state and PJSIP credentials from
// a running Asterisk and follows endpoint events.
//
//	c := ari.New(ari.Config{URL: "http://127.0.0.1:8088/ari", Username: "phoneprov",
//		Password: pw, Application: "phoneprovd", Logger: logger})
//	go c.Run(ctx) // keeps the event websocket connected until ctx is done
//	c.OnConnect(resync)
//	eps, err := c.Endpoints(ctx)
//	ep, err := c.Endpoint(ctx, "7001")    // transport, auth, callerid, context
//	auth, err := c.Auth(ctx, ep.Auths[0]) // username and password
//	tr, err := c.Transport(ctx, ep.Transport)
//	port, err := tr.Port()
//	for ev := range c.Events() { ... }    // ContactStatusChange, EndpointStateChange, PeerStatusChange
//
// # REST calls
//
// Every call takes a context; without a deadline Config.Timeout applies.
// At most Config.MaxInFlight calls run at once. Endpoint, Auth and
// Transport read the dynamic configuration API
// (/asterisk/config/dynamic/res_pjsip/<type>/<id>), which returns every
// field of the object, passwords in plain text. Ids are escaped so that
// res_ari, which decodes each path segment with '+' meaning a space, sees
// them as they are. A 401 is ErrUnauthorized, a 404 ErrNotFound (both as a
// *StatusError carrying Asterisk's message), an unreachable Asterisk
// ErrNotConnected. REST calls need neither Run nor a connected websocket.
//
// # Events
//
// Run opens /events?app=<Application> (with subscribeAll=true if
// Config.SubscribeAll), then subscribes Config.EventSources (default
// endpoint:PJSIP) with POST /applications/{app}/subscription; only then is
// the client Connected and are the OnConnect hooks run, so that a hook
// re-reading state misses no event. A refused handshake or subscription
// counts as a failed attempt. When the websocket fails, Run waits with
// capped exponential backoff and jitter (Config.MinBackoff doubling up to
// Config.MaxBackoff) and connects again. Events are decoded by
// DecodeEvent and queued without ever blocking the reader (bounded by
// Config.EventBacklog). With SubscribeAll, Asterisk sends no
// EndpointStateChange (res/stasis/app.c routes only PeerStatusChange and
// ContactStatusChange for the all-endpoints subscription), hence the
// default explicit subscription, which needs a user with write access.
//
// # Secrets
//
// The ARI password is sent only in the Authorization header: it is in no
// URL, log or error, and Config's String, GoString and LogValue redact it
// (user information in Config.URL is taken out). Auth, Transport and Object
// redact password, md5_cred, password_digest, oauth_secret and
// refresh_token in String, GoString and LogValue. Logs go to
// Config.Logger (log/slog; nil discards them).
//
// # Defects of ari/v6
//
// The client was to be built on github.com/CyCoreSystems/ari/v6
// v6.0.0-20251024161400-681c62bc07e7. Its source (client/native/*.go,
// stdbus, config.go) was read and each defect below measured against the
// fake Asterisk of package aritest by the tests in ariv6_test.go, which
// fail if an upgrade fixes one:
//
//  1. Status lost on lists. makeRequest decodes the body before it looks at
//     the status, so the JSON error object of a 401 or 404 sent to a call
//     that expects a list fails to decode and only "failed to decode
//     response: json: cannot unmarshal object into Go value of type
//     []..." comes back, with no status code (CodeFromError is 0,
//     errors.As finds no RequestError): Endpoint().List with a wrong
//     password, Asterisk().Config().Data of an unknown id
//     (TestAriV6StatusLostOnLists). ErrUnauthorized and ErrNotFound could
//     not be told apart from a broken reply for the endpoint list and for
//     every dynamic configuration read.
//  2. Ids pasted into URLs. Config().Data and Endpoint().Data put the id in
//     the path unescaped: for "7001#x" the request is for auth 7001 (the
//     fragment is dropped) and the reply is that other object, with its
//     password (TestAriV6UnescapedIDs); '?' starts a query, '/' adds a
//     segment, '+' reaches Asterisk as a space.
//  3. Endpoint().List returns keys only; the state and channel ids need
//     one more request per endpoint (TestAriV6ListDropsState).
//  4. No context and no timeout. Calls take no context, the HTTP client is
//     a zero http.Client (RequestTimeout is declared but never used), so a
//     call to a stalled Asterisk never returns.
//  5. The websocket supervisor. ConnectWithContext returns only once a
//     websocket is up; with a wrong password it never reports the 401 but
//     retries every second, for ever, logging at error level
//     (TestAriV6ConnectBlocks): no backoff, no jitter, no way to tell a
//     wrong password from a down server, no hook after a reconnection. The
//     dial and the asterisk/info request that follows it have no timeout
//     either, so a stalled server stops reconnection for good. The
//     connected flag is a plain bool written by the listening goroutine and
//     by Close: the race detector reported it while these tests were
//     written. Close before Connect dereferences a nil bus and panics
//     (TestAriV6CloseBeforeConnectPanics).
//  6. Silent event loss. stdbus offers each event to a subscription's
//     100-event buffer and drops it when the buffer is full; a consumer
//     that pauses loses events with no trace (TestAriV6BusDropsEvents:
//     300 sent, at most 100 received).
//
// Defects 1 to 3 make the library unusable for the endpoint list and the
// dynamic configuration API, 4 to 6 for the websocket: those parts are
// implemented here on net/http (rest.go, with request contexts, so nothing
// is left running) and golang.org/x/net/websocket (websocket.go; the
// handshake's status line is recovered from the bytes read, since
// x/net/websocket reports any refusal as "bad status"). Version still goes
// through the library (Asterisk().Info, whose object reply keeps its
// status): the call runs on a goroutine that the context abandons, and at
// most maxLibraryCalls such calls run at once, so calls abandoned on a
// stalled server cannot pile up (TestStalledServer). The library logs only
// from its websocket loop, which is not used, so it is given no
// golang.org/x/exp/slog logger (native.New installs a discarding one).
package ari
