// Package amitest provides a fake Asterisk Manager Interface (AMI) server
// for tests, in the style of net/http/httptest.
//
// The fake speaks the wire protocol of a real Asterisk 20.20.1 byte for byte,
// as captured in the golden transcripts (golden/ami-*.txt;
// docs/asterisk.md#ami): the "Asterisk Call Manager/9.0.0" banner, CRLF framing
// (a bare LF is accepted on input, as main/manager.c get_input does), plain
// and MD5 challenge login, the delayed "Authentication failed" followed by a
// close, "Permission denied" before login, Events and Logoff, unknown
// actions, EventList replies with ListItems, and the PJSIP and chan_sip
// actions phoneprovd uses.
//
// A Server listens on 127.0.0.1 on a port chosen by the kernel and is
// configured in code: manager users, PJSIP endpoints, auths, transports,
// AORs and contacts, and chan_sip peers. Tests can inject faults (a lost
// list event, a connection dropped in the middle of a list, a slow reply,
// the whole server going down) and inspect every action received.
//
// Actions implemented: Login, Logoff, Challenge, Events, Ping,
// CoreSettings, Reload, PJSIPShowEndpoints, PJSIPShowEndpoint,
// PJSIPShowAuths, PJSIPShowContacts, PJSIPNotify, and (unless
// Options.DisableChanSIP) SIPpeers, SIPshowpeer and SIPnotify. Any other
// action is answered as Asterisk answers an unknown one.
//
// Events produced: FullyBooted and SuccessfulAuth at login, ContactStatus
// when contacts are added, changed or removed, Reload, and anything passed to
// Server.Emit. Other security events (InvalidPassword, RequestBadFormat, ...)
// are not produced.
package amitest
