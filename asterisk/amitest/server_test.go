package amitest

import (
	"crypto/md5"
	"encoding/hex"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"
)

// exactly reads n bytes.
func (rc *rawConn) exactly(n int) string {
	rc.t.Helper()
	rc.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	b := make([]byte, n)
	if _, err := io.ReadFull(rc.br, b); err != nil {
		rc.t.Fatalf("read %d bytes (got %q): %v", n, b, err)
	}
	return string(b)
}

// TestExchanges sends one request per case on a fresh session and checks
// the exact reply.
func TestExchanges(t *testing.T) {
	const loginOff = "Action: Login\r\nUsername: phoneprov\r\nSecret: phoneprov\r\nEvents: off\r\n\r\n"
	const loggedIn = "Response: Success\r\nMessage: Authentication accepted\r\n\r\n"
	tests := []struct {
		name   string
		noAuth bool // do not log in first
		setup  func(*Server)
		send   string
		want   string
		closes bool
	}{
		// get_input: a bare LF ends a line too.
		{name: "bare LF framing", send: "Action: Events\nActionID: lf\nEventMask: off\n\n",
			want: "Response: Success\r\nActionID: lf\r\nEvents: Off\r\n\r\n"},
		// process_message: anything but Login/Logoff/Challenge needs a login.
		{name: "permission denied before login", noAuth: true,
			send: "Action: PJSIPShowEndpoints\r\nActionID: 9\r\n\r\n",
			want: "Response: Error\r\nActionID: 9\r\nMessage: Permission denied\r\n\r\n"},
		{name: "unknown action before login", noAuth: true, send: "Action: Bogus\r\n\r\n",
			want: "Response: Error\r\nMessage: Permission denied\r\n\r\n"},
		// process_message: no Action header.
		{name: "missing action", send: "ActionID: 4\r\nFoo: bar\r\n\r\n",
			want: "Response: Error\r\nActionID: 4\r\nMessage: Missing action in request\r\n\r\n"},
		{name: "empty action skipped for a later one", send: "Action:\r\nAction: Events\r\nEventMask: on\r\n\r\n",
			want: "Response: Success\r\nEvents: On\r\n\r\n"},
		// Unknown action message.
		{name: "unknown action", send: "Action: Bogus\r\nActionID: 3\r\n\r\n",
			want: "Response: Error\r\nActionID: 3\r\nMessage: Invalid/unknown command: Bogus. Use Action: ListCommands to show available commands.\r\n\r\n"},
		// action_find and astman_get_header compare case-insensitively;
		// ast_skip_blanks drops leading blanks of values.
		{name: "case-insensitive names", send: "aCtIoN:   events\r\nactionid:\tx\r\neventmask: system\r\n\r\n",
			want: "Response: Success\r\nActionID: x\r\nEvents: On\r\n\r\n"},
		// action_events / strings_to_mask.
		{name: "events empty mask", send: "Action: Events\r\n\r\n",
			want: "Response: Error\r\nMessage: Invalid event mask\r\n\r\n"},
		{name: "events numeric zero", send: "Action: Events\r\nEventMask: 0\r\n\r\n",
			want: "Response: Success\r\nEvents: Off\r\n\r\n"},
		{name: "events unknown class", send: "Action: Events\r\nEventMask: nonsense\r\n\r\n",
			want: "Response: Success\r\nEvents: Off\r\n\r\n"},
		// Logoff; the session ends.
		{name: "logoff", send: "Action: Logoff\r\nActionID: 46\r\n\r\n",
			want: "Response: Goodbye\r\nActionID: 46\r\nMessage: Thanks for all the fish.\r\n\r\n", closes: true},
		{name: "logoff before login", noAuth: true, send: "Action: Logoff\r\n\r\n",
			want: "Response: Goodbye\r\nMessage: Thanks for all the fish.\r\n\r\n", closes: true},
		// action_login: a second Login.
		{name: "already authenticated", send: "Action: Login\r\nUsername: phoneprov\r\nSecret: x\r\n\r\n",
			want: "Response: Success\r\nMessage: Already authenticated\r\n\r\n"},
		// action_challenge without AuthType.
		{name: "challenge without authtype", noAuth: true, send: "Action: Challenge\r\n\r\n",
			want: "Response: Error\r\nMessage: Must specify AuthType\r\n\r\n"},
		// get_input: a line longer than the 1024-byte buffer.
		{name: "line too long", send: "Action: Events\r\nX: " + strings.Repeat("a", 1100) + "\r\nActionID: l\r\n\r\n",
			want: "Response: Error\r\nActionID: l\r\nMessage: Failed to parse message: line too long\r\n\r\n"},
		// do_message: more than AST_MAX_MANHEADERS lines.
		{name: "too many lines", send: "Action: Events\r\nActionID: m\r\n" + strings.Repeat("X: y\r\n", 130) + "\r\n",
			want: "Response: Error\r\nActionID: m\r\nMessage: Too many lines in message or allocation failure\r\n\r\n"},
		// ami_show_endpoints: the message keeps its "\n".
		{name: "no endpoints found", setup: func(s *Server) {}, send: "Action: PJSIPShowEndpoints\r\nActionID: 5\r\n\r\n",
			want: "Response: Error\r\nActionID: 5\r\nMessage: No endpoints found\n\r\n\r\n"},
		// ami_show_endpoint errors.
		{name: "endpoint unknown", send: "Action: PJSIPShowEndpoint\r\nEndpoint: 9999\r\n\r\n",
			want: "Response: Error\r\nMessage: Unable to retrieve endpoint 9999\n\r\n\r\n"},
		{name: "endpoint missing", send: "Action: PJSIPShowEndpoint\r\n\r\n",
			want: "Response: Error\r\nMessage: PJSIPShowEndpoint requires an endpoint name\n\r\n\r\n"},
		{name: "no auths found", setup: func(s *Server) {}, send: "Action: PJSIPShowAuths\r\n\r\n",
			want: "Response: Error\r\nMessage: No Auths found\n\r\n\r\n"},
		{name: "no contacts found", send: "Action: PJSIPShowContacts\r\n\r\n",
			want: "Response: Error\r\nMessage: No Contacts found\n\r\n\r\n"},
		// res_pjsip_notify.c manager_notify validation.
		{name: "notify both option and variable", send: "Action: PJSIPNotify\r\nEndpoint: 7001\r\nOption: polycom-check-cfg\r\nVariable: Event=check-sync\r\n\r\n",
			want: "Response: Error\r\nMessage: PJSIPNotify requires either an Option or Variable(s).You must use only one of them.\r\n\r\n"},
		{name: "notify neither option nor variable", send: "Action: PJSIPNotify\r\nEndpoint: 7001\r\n\r\n",
			want: "Response: Error\r\nMessage: PJSIPNotify requires either an Option or Variable(s).You must use only one of them.\r\n\r\n"},
		{name: "notify two targets", send: "Action: PJSIPNotify\r\nEndpoint: 7001\r\nURI: sip:x@y\r\nVariable: Event=check-sync\r\n\r\n",
			want: "Response: Error\r\nMessage: PJSIPNotify requires either an endpoint name, a SIP URI, or a channel.  You must use only one of them.\r\n\r\n"},
		{name: "notify no target", send: "Action: PJSIPNotify\r\nVariable: Event=check-sync\r\n\r\n",
			want: "Response: Error\r\nMessage: PJSIPNotify requires either an endpoint name, a SIP URI, or a channel.\r\n\r\n"},
		{name: "notify unknown endpoint", send: "Action: PJSIPNotify\r\nEndpoint: PJSIP/9999\r\nVariable: Event=check-sync\r\n\r\n",
			want: "Response: Error\r\nMessage: Unable to retrieve endpoint 9999\r\n\r\n"},
		{name: "notify unknown option", send: "Action: PJSIPNotify\r\nEndpoint: 7001\r\nOption: nope\r\n\r\n",
			want: "Response: Error\r\nMessage: Unable to find notify type 'nope'\n\r\n\r\n"},
		{name: "notify option any case", send: "Action: PJSIPNotify\r\nEndpoint: sip/7001\r\nOption: POLYCOM-check-cfg\r\n\r\n",
			want: "Response: Success\r\nMessage: NOTIFY sent\r\n\r\n"},
		{name: "notify channel", send: "Action: PJSIPNotify\r\nChannel: PJSIP/7001-00000001\r\nVariable: Event=check-sync\r\n\r\n",
			want: "Response: Error\r\nMessage: Channel not found\r\n\r\n"},
		// chan_sip manager_sipnotify.
		{name: "sipnotify unregistered dynamic peer", setup: func(s *Server) { s.AddPeer(Peer{Name: "6003"}) },
			send: "Action: SIPnotify\r\nChannel: SIP/6003\r\nVariable: Event=check-sync\r\n\r\n",
			want: "Response: Error\r\nMessage: Could not create address\r\n\r\n"},
		{name: "sipnotify to an address", send: "Action: SIPnotify\r\nChannel: 127.0.0.1:5071\r\nVariable: Event=check-sync\r\n\r\n",
			want: "Response: Success\r\nMessage: Notify Sent\r\n\r\n"},
		{name: "sipnotify call-id", send: "Action: SIPnotify\r\nChannel: 6001\r\nCall-ID: abc\r\n\r\n",
			want: "Response: Error\r\nMessage: Call-ID not found\r\n\r\n"},
		// manager_sip_show_peer appends a CRLF after any reply.
		{name: "sipshowpeer unknown", send: "Action: SIPshowpeer\r\nActionID: p\r\nPeer: 9\r\n\r\n",
			want: "Response: Error\r\nActionID: p\r\nMessage: Peer 9 not found.\r\n\r\n\r\n"},
		{name: "sipshowpeer missing", send: "Action: SIPshowpeer\r\n\r\n",
			want: "Response: Error\r\nMessage: Peer: <name> missing.\r\n\r\n"},
		// action_reload.
		{name: "reload unknown module", send: "Action: Reload\r\nModule: nope.so\r\n\r\n",
			want: "Response: Error\r\nMessage: No such module\r\n\r\n"},
		{name: "reload module", send: "Action: Reload\r\nModule: res_pjsip\r\n\r\n",
			want: "Response: Success\r\nMessage: Module Reloaded\r\n\r\n"},
		// action_coresettings.
		{name: "coresettings", send: "Action: CoreSettings\r\nActionID: c\r\n\r\n",
			want: "Response: Success\r\nActionID: c\r\nAMIversion: 9.0.0\r\nAsteriskVersion: 20.20.1\r\nSystemName: \r\n" +
				"CoreMaxCalls: 0\r\nCoreMaxLoadAvg: 0.000000\r\nCoreRunUser: \r\nCoreRunGroup: \r\nCoreMaxFilehandles: 0\r\n" +
				"CoreRealTimeEnabled: No\r\nCoreCDRenabled: Yes\r\nCoreHTTPenabled: Yes\r\nSoundsSearchCustomDir: No\r\n\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var srv *Server
			if tc.setup != nil {
				srv = NewServer(Options{})
				t.Cleanup(srv.Close)
				srv.AddUser("phoneprov", "phoneprov")
				tc.setup(srv)
			} else {
				srv = newGoldenServer(t, Options{}, "")
			}
			rc, _ := dialRaw(t, srv)
			if !tc.noAuth {
				rc.send(loginOff)
				if got := rc.message(); got != loggedIn {
					t.Fatalf("login: %q", got)
				}
			}
			rc.send(tc.send)
			if got := rc.exactly(len(tc.want)); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
			if tc.closes {
				rc.expectEOF()
			} else {
				rc.expectSilence()
			}
		})
	}
}

// TestMD5Login checks the challenge/response login
// (docs/asterisk.md#wire-format-and-login; action_challenge and
// authenticate).
func TestMD5Login(t *testing.T) {
	tests := []struct {
		name    string
		key     func(challenge string) string
		succeed bool
	}{
		{"right key", func(c string) string { return md5hex(c + "phoneprov") }, true},
		{"wrong key", func(c string) string { return md5hex(c + "wrong") }, false},
		{"upper-case hex", func(c string) string { return strings.ToUpper(md5hex(c + "phoneprov")) }, false},
	}
	challengeRE := regexp.MustCompile(`^Response: Success\r\nActionID: ch\r\nChallenge: ([0-9]+)\r\n\r\n$`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newGoldenServer(t, Options{AuthFailDelay: -1}, "")
			rc, _ := dialRaw(t, srv)
			rc.send("Action: Challenge\r\nActionID: ch\r\nAuthType: md5\r\n\r\n")
			m := challengeRE.FindStringSubmatch(rc.message())
			if m == nil {
				t.Fatal("no challenge")
			}
			rc.send("Action: Login\r\nAuthType: MD5\r\nUsername: phoneprov\r\nKey: " + tc.key(m[1]) + "\r\nEvents: off\r\n\r\n")
			got := rc.message()
			if tc.succeed {
				if got != "Response: Success\r\nMessage: Authentication accepted\r\n\r\n" {
					t.Fatalf("got %q", got)
				}
				return
			}
			if got != "Response: Error\r\nMessage: Authentication failed\r\n\r\n" {
				t.Fatalf("got %q", got)
			}
			rc.expectEOF()
		})
	}
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestLoginFailures checks users that do not authenticate (authenticate):
// an unknown user, a missing username, and a plain login without secret.
func TestLoginFailures(t *testing.T) {
	tests := []struct{ name, send string }{
		{"unknown user", "Action: Login\r\nUsername: nobody\r\nSecret: phoneprov\r\n\r\n"},
		{"no username", "Action: Login\r\nSecret: phoneprov\r\n\r\n"},
		{"no secret", "Action: Login\r\nUsername: phoneprov\r\n\r\n"},
		{"md5 without challenge", "Action: Login\r\nAuthType: MD5\r\nUsername: phoneprov\r\nKey: 00\r\n\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newGoldenServer(t, Options{AuthFailDelay: -1}, "")
			rc, _ := dialRaw(t, srv)
			rc.send(tc.send)
			if got := rc.message(); got != "Response: Error\r\nMessage: Authentication failed\r\n\r\n" {
				t.Fatalf("got %q", got)
			}
			rc.expectEOF()
		})
	}
}

// TestAuthTimeout checks that a session that never logs in is closed
// (manager.conf authtimeout).
func TestAuthTimeout(t *testing.T) {
	srv := newGoldenServer(t, Options{AuthTimeout: 100 * time.Millisecond}, "")
	rc, _ := dialRaw(t, srv)
	rc.expectEOF()
}

// TestEventDelivery checks which sessions receive an event: the user's
// read classes and the session's Events setting must both include the
// event's class (docs/asterisk.md#wire-format-and-login; process_events).
func TestEventDelivery(t *testing.T) {
	srv := newGoldenServer(t, Options{}, "")
	srv.AddUserPerms("callonly", "pw", "call", "all")
	type client struct {
		rc     *rawConn
		events bool // expects the ContactStatus
	}
	loginWith := func(user, secret, events string) *rawConn {
		rc, _ := dialRaw(t, srv)
		rc.send("Action: Login\r\nUsername: " + user + "\r\nSecret: " + secret + "\r\nEvents: " + events + "\r\n\r\n")
		rc.message()
		return rc
	}
	sys := loginWith("phoneprov", "phoneprov", "system")
	// Login with Events: system is followed by FullyBooted (action_login).
	if got := sys.message(); !strings.HasPrefix(got, "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: ") ||
		!strings.HasSuffix(got, "\r\nStatus: Fully Booted\r\n\r\n") {
		t.Fatalf("FullyBooted: %q", got)
	}
	clients := []client{
		{sys, true},
		{loginWith("phoneprov", "phoneprov", "off"), false},
		{loginWith("phoneprov", "phoneprov", "call,reporting"), false},
		{loginWith("callonly", "pw", "on"), false},
	}
	srv.AddContact(Contact{AOR: "7001", URI: "sip:7001@10.0.0.5:5060", UserAgent: "PolycomVVX"})
	srv.SetContactStatus("7001", "sip:7001@10.0.0.5:5060", "Reachable", 1234)
	srv.RemoveContact("7001", "sip:7001@10.0.0.5:5060")
	// main/stasis_endpoints.c contactstatus_to_ami.
	want := "Event: ContactStatus\r\nPrivilege: system,all\r\nURI: sip:7001@10.0.0.5:5060\r\nContactStatus: NonQualified\r\nAOR: 7001\r\nEndpointName: 7001\r\nRoundtripUsec: 0\r\n\r\n" +
		"Event: ContactStatus\r\nPrivilege: system,all\r\nURI: sip:7001@10.0.0.5:5060\r\nContactStatus: Reachable\r\nAOR: 7001\r\nEndpointName: 7001\r\nRoundtripUsec: 1234\r\n\r\n" +
		"Event: ContactStatus\r\nPrivilege: system,all\r\nURI: sip:7001@10.0.0.5:5060\r\nContactStatus: Removed\r\nAOR: 7001\r\nEndpointName: 7001\r\nRoundtripUsec: 0\r\n\r\n"
	for i, c := range clients {
		if !c.events {
			c.rc.expectSilence()
			continue
		}
		if got := c.rc.messages(3); got != want {
			t.Fatalf("client %d got %q\nwant %q", i, got, want)
		}
	}
	// Emit honours the class; a call event does not reach Events: system.
	srv.Emit(Event{Name: "Newchannel", Class: "call", Fields: []Field{{"Channel", "PJSIP/7001-1"}}})
	srv.Emit(Event{Name: "Custom", Fields: []Field{{"A", "1"}}})
	if got := sys.message(); got != "Event: Custom\r\nPrivilege: system,all\r\nA: 1\r\n\r\n" {
		t.Fatalf("emit: %q", got)
	}
	// A Reload action replies, then the Reload event follows
	// (publish_reload_message).
	sys.send("Action: Reload\r\nActionID: r\r\n\r\n")
	if got, want := sys.messages(2), "Response: Success\r\nActionID: r\r\nMessage: Module Reloaded\r\n\r\n"+
		"Event: Reload\r\nPrivilege: system,all\r\nModule: All\r\nStatus: 0\r\n\r\n"; got != want {
		t.Fatalf("reload: %q", got)
	}
	srv.Reload("res_phoneprov.so")
	if got := sys.message(); got != "Event: Reload\r\nPrivilege: system,all\r\nModule: res_phoneprov.so\r\nStatus: 0\r\n\r\n" {
		t.Fatalf("reload event: %q", got)
	}
}

// TestListFaults checks the injected faults on a two-endpoint list: a lost
// event still counted in ListItems, and a connection closed mid-list.
func TestListFaults(t *testing.T) {
	head := "Response: Success\r\nActionID: L\r\nEventList: start\r\nMessage: A listing of Endpoints follows, presented as EndpointList events\r\n\r\n"
	tests := []struct {
		name       string
		fault      func(*Server)
		names      []string // ObjectName of the events received
		complete   bool
		listItems  string
		disconnect bool
	}{
		{"no fault", func(*Server) {}, []string{"7001", "7002"}, true, "2", false},
		{"lose first", func(s *Server) { s.DropListItem("pjsipshowendpoints", 0) }, []string{"7002"}, true, "2", false},
		{"lose second", func(s *Server) { s.DropListItem("PJSIPShowEndpoints", 1) }, []string{"7001"}, true, "2", false},
		{"hang up after one", func(s *Server) { s.DisconnectDuringList("PJSIPShowEndpoints", 1) }, []string{"7001"}, false, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newGoldenServer(t, Options{}, "")
			srv.AddEndpoint(Endpoint{Name: "7002", Transport: "transport-udp"})
			tc.fault(srv)
			rc, _ := dialRaw(t, srv)
			rc.login("phoneprov", "phoneprov")
			for round := range 2 { // the fault happens once
				rc.send("Action: PJSIPShowEndpoints\r\nActionID: L\r\n\r\n")
				if got := rc.message(); got != head {
					t.Fatalf("head %q", got)
				}
				want := tc.names
				if round == 1 {
					want = []string{"7001", "7002"}
				}
				for _, name := range want {
					if got := rc.message(); !strings.Contains(got, "Event: EndpointList\r\nActionID: L\r\nObjectType: endpoint\r\nObjectName: "+name+"\r\n") {
						t.Fatalf("event %q", got)
					}
				}
				if tc.disconnect {
					rc.expectEOF()
					return
				}
				if got, want := rc.message(), "Event: EndpointListComplete\r\nActionID: L\r\nEventList: Complete\r\nListItems: "+tc.listItems+"\r\n\r\n"; got != want {
					t.Fatalf("complete %q, want %q", got, want)
				}
			}
		})
	}
}

// TestResponseDelay checks SetResponseDelay.
func TestResponseDelay(t *testing.T) {
	srv := newGoldenServer(t, Options{}, "")
	srv.SetResponseDelay("ping", 200*time.Millisecond)
	rc, _ := dialRaw(t, srv)
	rc.login("phoneprov", "phoneprov")
	start := time.Now()
	rc.send("Action: Ping\r\n\r\n")
	if got := rc.message(); !strings.HasPrefix(got, "Response: Success\r\nPing: Pong\r\nTimestamp: ") {
		t.Fatalf("ping: %q", got)
	}
	if took := time.Since(start); took < 200*time.Millisecond {
		t.Fatalf("answered after %v", took)
	}
}

// TestDownAndUp checks SetDown and DropConnections.
func TestDownAndUp(t *testing.T) {
	srv := newGoldenServer(t, Options{}, "")
	rc, _ := dialRaw(t, srv)
	srv.DropConnections()
	rc.expectEOF()
	if err := srv.SetDown(true); err != nil {
		t.Fatal(err)
	}
	if c, err := net.DialTimeout("tcp", srv.Addr, time.Second); err == nil {
		c.Close()
		t.Fatal("connected while down")
	}
	if err := srv.SetDown(false); err != nil {
		t.Fatal(err)
	}
	_, banner := dialRaw(t, srv)
	if banner != "Asterisk Call Manager/9.0.0\r\n" {
		t.Fatalf("banner %q", banner)
	}
}

// TestActionsRecorded checks Actions: names, fields and the exact bytes.
func TestActionsRecorded(t *testing.T) {
	srv := newGoldenServer(t, Options{}, "")
	rc, _ := dialRaw(t, srv)
	login := "Action: Login\r\nUsername: phoneprov\r\nSecret: phoneprov\r\nEvents: off\r\n\r\n"
	rc.send(login)
	rc.message()
	notify := "Action: PJSIPNotify\nActionID: 7\nEndpoint: 7001\nVariable: Event=check-sync\nVariable:  X=1\n\n"
	rc.send(notify)
	rc.message()
	got := srv.Actions()
	if len(got) != 2 {
		t.Fatalf("%d actions", len(got))
	}
	if got[0].Name != "Login" || string(got[0].Raw) != login || got[0].Session != 1 {
		t.Errorf("login recorded as %+v", got[0])
	}
	if got[1].Name != "PJSIPNotify" || string(got[1].Raw) != notify {
		t.Errorf("notify recorded as %q %q", got[1].Name, got[1].Raw)
	}
	if f := got[1].Fields; len(f) != 5 || f[4] != (Field{"Variable", "X=1"}) {
		t.Errorf("fields %q", f)
	}
	n := srv.Notifies()
	if len(n) != 1 || n[0].Endpoint != "7001" || len(n[0].Variables) != 2 || n[0].Variables[1] != "X=1" ||
		len(n[0].Contacts) != 1 || n[0].Contacts[0] != "sip:7001@127.0.0.1:5073" {
		t.Errorf("notifies %+v", n)
	}
}

// TestDisableChanSIP checks that chan_sip actions disappear as in
// Asterisk 21.
func TestDisableChanSIP(t *testing.T) {
	srv := newGoldenServer(t, Options{DisableChanSIP: true}, "")
	rc, _ := dialRaw(t, srv)
	rc.login("phoneprov", "phoneprov")
	rc.send("Action: SIPpeers\r\n\r\n")
	if got := rc.message(); got != "Response: Error\r\nMessage: Invalid/unknown command: SIPpeers. Use Action: ListCommands to show available commands.\r\n\r\n" {
		t.Fatalf("got %q", got)
	}
}

// TestWritePermission checks that an action needs one of its classes in
// the user's write= list (process_message).
func TestWritePermission(t *testing.T) {
	srv := newGoldenServer(t, Options{}, "")
	srv.AddUserPerms("reader", "pw", "all", "call")
	rc, _ := dialRaw(t, srv)
	rc.login("reader", "pw")
	rc.send("Action: PJSIPShowEndpoints\r\n\r\n")
	if got := rc.message(); got != "Response: Error\r\nMessage: Permission denied\r\n\r\n" {
		t.Fatalf("got %q", got)
	}
}
