package amitest

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// listReplyOf logs in, sends one list action and returns every message up
// to and including the one whose Event ends in "Complete".
func listReplyOf(t *testing.T, srv *Server, action string) []string {
	t.Helper()
	rc, _ := dialRaw(t, srv)
	rc.login("phoneprov", "phoneprov")
	rc.send(action)
	var msgs []string
	for {
		m := rc.message()
		msgs = append(msgs, m)
		if strings.Contains(m, "EventList: Complete\r\n") || strings.HasPrefix(m, "Response: Error") {
			return msgs
		}
	}
}

// TestShowEndpointObjects checks PJSIPShowEndpoint for an endpoint with
// two AORs, registered and static contacts, and inbound and outbound auths
// (ami_show_endpoint and the formatters of config_auth.c, location.c and
// pjsip_options.c ast_sip_format_contact_ami).
func TestShowEndpointObjects(t *testing.T) {
	srv := newGoldenServer(t, Options{}, "")
	srv.AddAuth(Auth{Name: "out", Username: "trunk", Md5Cred: "0123456789abcdef0123456789abcdef", AuthType: "md5", Realm: "pbx"})
	srv.AddEndpoint(Endpoint{Name: "8001", Transport: "transport-udp", Auths: []string{"7001", "missing"},
		OutboundAuths: []string{"out"}, Aors: []string{"8001", "8001b"}})
	exp := time.Unix(1900000000, 0)
	srv.AddContact(Contact{AOR: "8001", URI: "sip:8001@10.0.0.9:5060;ob", UserAgent: "Yealink T46U",
		ViaAddress: "10.0.0.9:5060", CallID: "abc@10.0.0.9", Expires: exp, Status: "Reachable", RoundtripUsec: 4321})
	srv.AddContact(Contact{AOR: "8001b", URI: "sip:8001@192.0.2.1", Static: true})

	msgs := listReplyOf(t, srv, "Action: PJSIPShowEndpoint\r\nActionID: e\r\nEndpoint: PJSIP/8001\r\n\r\n")
	var names []string
	for _, m := range msgs[1:] {
		name, _, _ := strings.Cut(strings.TrimPrefix(m, "Event: "), "\r\n")
		names = append(names, name)
	}
	want := "EndpointDetail AuthDetail AuthDetail TransportDetail AorDetail AorDetail ContactStatusDetail ContactStatusDetail EndpointDetailComplete"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("events %s\nwant   %s", got, want)
	}
	checks := []struct {
		msg  int
		want string
	}{
		{1, "\r\nAors: 8001,8001b\r\n"},
		{1, "\r\nAuth: 7001,missing\r\n"},
		{1, "\r\nOutboundAuth: out\r\n"},
		{1, "\r\nDeviceState: Not in use\r\nActiveChannels: 0\r\n\r\n"},
		{2, "ObjectName: 7001\r\n"},
		{3, "ObjectName: out\r\nOauthSecret: \r\nPasswordDigest: MD5:0123456789abcdef0123456789abcdef\r\n"},
		{3, "Md5Cred: 0123456789abcdef0123456789abcdef\r\nRealm: pbx\r\nAuthType: md5\r\nPassword: \r\n"},
		{3, "EndpointName: 8001\r\n\r\n"},
		{5, "MaxContacts: 1\r\nAuthenticateQualify: false\r\nContacts: 8001/sip:8001@10.0.0.9:5060;ob\r\n"},
		{5, "TotalContacts: 1\r\nContactsRegistered: 1\r\nEndpointName: 8001\r\n"},
		{6, "TotalContacts: 1\r\nContactsRegistered: 0\r\n"},
		{7, "Event: ContactStatusDetail\r\nActionID: e\r\nAOR: 8001\r\nURI: sip:8001@10.0.0.9:5060;ob\r\nUserAgent: Yealink T46U\r\n" +
			"RegExpire: 1900000000\r\nViaAddress: 10.0.0.9:5060\r\nCallID: abc@10.0.0.9\r\nStatus: Reachable\r\nRoundtripUsec: 4321\r\n" +
			"EndpointName: 8001\r\nID: 8001;@" + md5hex("sip:8001@10.0.0.9:5060;ob") + "\r\n"},
		{8, "AOR: 8001b\r\nURI: sip:8001@192.0.2.1\r\nUserAgent: \r\nRegExpire: 0\r\nStatus: NonQualified\r\nRoundtripUsec: N/A\r\n"},
		{8, "ID: 8001b@@" + md5hex("sip:8001@192.0.2.1") + "\r\n"},
		{9, "ListItems: 8\r\n"},
	}
	for _, c := range checks {
		if !strings.Contains(msgs[c.msg], c.want) {
			t.Errorf("message %d lacks %q:\n%s", c.msg, c.want, msgs[c.msg])
		}
	}
}

// TestShowEndpointMissingTransport checks the error path of
// format_ami_endpoint_transport: two errors inside the list, then the
// Complete event counting what was sent.
func TestShowEndpointMissingTransport(t *testing.T) {
	srv := newGoldenServer(t, Options{}, "")
	srv.AddEndpoint(Endpoint{Name: "9001", Transport: "nope", Auths: []string{"7001"}})
	rc, _ := dialRaw(t, srv)
	rc.login("phoneprov", "phoneprov")
	rc.send("Action: PJSIPShowEndpoint\r\nEndpoint: 9001\r\n\r\n")
	rc.messages(3) // start, EndpointDetail, AuthDetail
	want := "Response: Error\r\nMessage: Unable to retrieve transport nope\n\r\n\r\n" +
		"Response: Error\r\nMessage: Unable to format endpoint 9001\n\r\n\r\n" +
		"Event: EndpointDetailComplete\r\nEventList: Complete\r\nListItems: 2\r\n\r\n"
	if got := rc.exactly(len(want)); got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// TestShowLists checks PJSIPShowEndpoints, PJSIPShowAuths,
// PJSIPShowContacts and SIPpeers replies.
func TestShowLists(t *testing.T) {
	tests := []struct {
		name   string
		action string
		want   []string // substrings of the events, in order, then of Complete
	}{
		// format_ami_endpoints: one Contacts line per AOR, contacts sorted by
		// ID (md5 31d7... of sip:a@10.0.0.2 before 6a64... of sip:b@10.0.0.3).
		{"endpoints", "PJSIPShowEndpoints", []string{
			"ObjectName: 7001\r\nTransport: transport-udp\r\nAor: 7001\r\nAuths: 7001\r\nOutboundAuths: \r\nContacts: 7001/sip:7001@127.0.0.1:5073,\r\nDeviceState: Not in use\r\n",
			"ObjectName: 7002\r\nTransport: \r\nAor: 7002,7003\r\nAuths: \r\nOutboundAuths: \r\nContacts: 7002/sip:a@10.0.0.2,7002/sip:b@10.0.0.3,\r\nContacts: \r\nDeviceState: Not in use\r\n",
			"ObjectName: 7004\r\nTransport: \r\nAor: \r\nAuths: \r\nOutboundAuths: \r\nDeviceState: Unavailable\r\n",
			"Event: EndpointListComplete\r\nEventList: Complete\r\nListItems: 3\r\n",
		}},
		{"auths", "PJSIPShowAuths", []string{
			"Event: AuthList\r\nObjectType: auth\r\nObjectName: 7001\r\n",
			"ListItems: 1\r\n",
		}},
		// ami_show_contacts: registered contacts only, field order of
		// pjsipfields.go.
		{"contacts", "PJSIPShowContacts", []string{
			"Event: ContactList\r\nObjectType: contact\r\nObjectName: 7002;@" + md5hex("sip:a@10.0.0.2") + "\r\nViaAddr: 10.0.0.2\r\n" +
				"QualifyTimeout: 3.000000\r\nQualify2xxOnly: false\r\nCallId: \r\nRegServer: \r\nPruneOnBoot: no\r\nPath: \r\nEndpoint: 7002\r\n" +
				"ViaPort: 5070\r\nAuthenticateQualify: no\r\nUri: sip:a@10.0.0.2\r\n",
			"ObjectName: 7002;@" + md5hex("sip:b@10.0.0.3") + "\r\n",
			"ListItems: 2\r\n",
		}},
		// _sip_show_peers_one: unregistered dynamic peers have no address.
		{"peers", "SIPpeers", []string{
			"ObjectName: 6001\r\nChanObjectType: peer\r\nIPaddress: 127.0.0.1\r\nIPport: 5071\r\nDynamic: no\r\n",
			"ObjectName: 6002\r\nChanObjectType: peer\r\nIPaddress: 127.0.0.1\r\nIPport: 5072\r\nDynamic: yes\r\n",
			"ObjectName: 6003\r\nChanObjectType: peer\r\nIPaddress: -none-\r\nIPport: 0\r\nDynamic: yes\r\n",
			"Event: PeerlistComplete\r\nEventList: Complete\r\nListItems: 3\r\n",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newGoldenServer(t, Options{}, "")
			srv.AddEndpoint(Endpoint{Name: "7002", Aors: []string{"7002", "7003"}})
			srv.AddEndpoint(Endpoint{Name: "7004"})
			srv.AddContact(Contact{AOR: "7002", URI: "sip:b@10.0.0.3"})
			srv.AddContact(Contact{AOR: "7002", URI: "sip:a@10.0.0.2", ViaAddress: "10.0.0.2:5070"})
			srv.AddPeer(Peer{Name: "6003"})
			msgs := listReplyOf(t, srv, "Action: "+tc.action+"\r\n\r\n")
			if len(msgs) != len(tc.want)+1 {
				t.Fatalf("%d messages:\n%s", len(msgs), strings.Join(msgs, ""))
			}
			for i, w := range tc.want {
				if !strings.Contains(msgs[i+1], w) {
					t.Errorf("message %d lacks %q:\n%s", i+1, w, msgs[i+1])
				}
			}
		})
	}
}

// TestShowPeerUnregistered checks SIPshowpeer for a dynamic peer that has
// not registered: no address, RegExpire -1 (_sip_show_peer).
func TestShowPeerUnregistered(t *testing.T) {
	srv := newGoldenServer(t, Options{}, "")
	srv.AddPeer(Peer{Name: "6003", Callerid: "6003"})
	rc, _ := dialRaw(t, srv)
	rc.login("phoneprov", "phoneprov")
	rc.send("Action: SIPshowpeer\r\nPeer: 6003\r\n\r\n")
	got := rc.message()
	for _, w := range []string{
		"SecretExist: N\r\n", "Dynamic: Y\r\nCallerid: 6003\r\nRegExpire: -1 seconds\r\n",
		"ToHost: \r\nAddress-IP: (null)\r\nAddress-Port: 0\r\n",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("reply lacks %q:\n%s", w, got)
		}
	}
}

// TestSetPassword checks that a changed password shows in the next
// AuthDetail.
func TestSetPassword(t *testing.T) {
	srv := newGoldenServer(t, Options{}, "")
	srv.SetPassword("7001", "n3w")
	srv.SetPassword("nosuch", "x")
	msgs := listReplyOf(t, srv, "Action: PJSIPShowEndpoint\r\nEndpoint: 7001\r\n\r\n")
	if !strings.Contains(msgs[2], "\r\nPassword: n3w\r\n") {
		t.Fatalf("AuthDetail %q", msgs[2])
	}
	if n := strconv.Itoa(len(msgs) - 2); !strings.Contains(msgs[len(msgs)-1], "ListItems: "+n+"\r\n") {
		t.Fatalf("complete %q", msgs[len(msgs)-1])
	}
}
