package aritest

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// dialEvents opens /ari/events for app with the golden credentials.
func dialEvents(t *testing.T, srv *Server, query string) *websocket.Conn {
	t.Helper()
	cfg, err := websocket.NewConfig("ws://"+srv.Addr+"/ari/events?"+query, "http://localhost/")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("phoneprov:phoneprov")))
	ws, err := websocket.DialConfig(cfg)
	if err != nil {
		t.Fatalf("dial events: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	return ws
}

// receive reads one text message.
func receive(t *testing.T, ws *websocket.Conn) string {
	t.Helper()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var msg string
	if err := websocket.Message.Receive(ws, &msg); err != nil {
		t.Fatalf("receive: %v", err)
	}
	return msg
}

// TestEventsWebsocket: an application subscribed to endpoint:PJSIP gets
// endpoint events with Asterisk's members and member order: the event's
// own, then asterisk_id (app_send), then application
// (ari_websocket_send_event).
func TestEventsWebsocket(t *testing.T) {
	srv := NewServer(Options{Compact: true})
	t.Cleanup(srv.Close)
	srv.AddUser("phoneprov", "phoneprov")
	srv.AddEndpoint(Endpoint{Name: "7001", State: StateOnline})
	ws := dialEvents(t, srv, "app=pp")
	rc := dialRaw(t, srv)
	auth := basic("phoneprov", "phoneprov")
	_, body := rc.do("POST", "/ari/applications/pp/subscription?eventSource=endpoint:PJSIP", auth)
	want := `{"name":"pp","channel_ids":[],"bridge_ids":[],"endpoint_ids":["PJSIP"],"device_names":[],"events_allowed":[],"events_disallowed":[]}`
	if body != want {
		t.Errorf("subscribe: %s\nwant %s", body, want)
	}
	if _, body := rc.do("POST", "/ari/applications/pp/subscription?eventSource=endpoint:IAX2", auth); body != `{"message":"Event source does not exist"}` {
		t.Errorf("unknown source: %s", body)
	}
	if _, body := rc.do("GET", "/ari/applications", auth); body != "["+want+"]" {
		t.Errorf("applications: %s", body)
	}

	srv.ContactStatusChange(ContactStatus{Endpoint: "7001", AOR: "7001", URI: "sip:7001@127.0.0.1:5073", Status: "Reachable", RoundtripUsec: "812"})
	msg := receive(t, ws)
	ts := msg[strings.Index(msg, `"timestamp":"`)+13:][:28]
	wantMsg := `{"type":"ContactStatusChange","timestamp":"` + ts + `","endpoint":{"technology":"PJSIP","resource":"7001","state":"online","channel_ids":[]},` +
		`"contact_info":{"uri":"sip:7001@127.0.0.1:5073","contact_status":"Reachable","aor":"7001","roundtrip_usec":"812"},"asterisk_id":"02:fc:00:00:00:01","application":"pp"}`
	if msg != wantMsg {
		t.Errorf("event:\n%s\nwant\n%s", msg, wantMsg)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000-0700", ts); err != nil {
		t.Errorf("timestamp %q: %v", ts, err)
	}
	srv.SetState("PJSIP", "7001", StateOffline)
	if msg := receive(t, ws); !strings.HasPrefix(msg, `{"type":"EndpointStateChange","timestamp":"`) ||
		!strings.HasSuffix(msg, `"endpoint":{"technology":"PJSIP","resource":"7001","state":"offline","channel_ids":[]},"asterisk_id":"02:fc:00:00:00:01","application":"pp"}`) {
		t.Errorf("state event: %s", msg)
	}
	srv.PeerStatusChange("PJSIP", "7001", PeerStatus{Status: "Reachable", Address: "127.0.0.1"})
	if msg := receive(t, ws); !strings.Contains(msg, `"peer":{"peer_status":"Reachable","address":"127.0.0.1"},"asterisk_id"`) {
		t.Errorf("peer event: %s", msg)
	}
	if n := srv.Emit("pp", []byte("raw")); n != 1 || receive(t, ws) != "raw" {
		t.Errorf("Emit reached %d websockets", n)
	}
	srv.DropWebsockets()
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var rest string
	if err := websocket.Message.Receive(ws, &rest); err == nil {
		t.Errorf("read after DropWebsockets: %q", rest)
	}
	eventually(t, "the application to go", func() bool {
		_, body := rc.do("GET", "/ari/applications", auth)
		return body == "[]"
	})
}

// TestWebsocketErrors: ast_websocket_uri_cb and websocket_attempted_cb
// refusals.
func TestWebsocketErrors(t *testing.T) {
	srv := newGoldenServer(t)
	upgrade := basic("phoneprov", "phoneprov") + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	rc := dialRaw(t, srv)
	// Missing app: an HTML 400 with the reason, then the bare 400.
	head, body := rc.do("GET", "/ari/events", upgrade+"Sec-WebSocket-Version: 13\r\n")
	if !strings.HasPrefix(head, "HTTP/1.1 400 Bad Request\r\n") || !strings.Contains(body, "<p>HTTP request is missing param: [app]</p>") {
		t.Errorf("missing app: %s%s", head, body)
	}
	head, body = rc.response(false)
	if !strings.HasPrefix(head, "HTTP/1.1 400 Bad Request\r\n") || !strings.Contains(head, "Sec-WebSocket-Version: 7, 8, 13\r\n") || body != "" {
		t.Errorf("second response: %s%s", head, body)
	}
	head, _ = rc.do("GET", "/ari/events?app=x", upgrade+"Sec-WebSocket-Version: 6\r\n")
	if !strings.HasPrefix(head, "HTTP/1.1 400 Bad Request\r\n") {
		t.Errorf("version 6: %s", head)
	}
	head, _ = rc.do("GET", "/ari/events?app=x", upgrade+"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: other\r\n")
	if !strings.HasPrefix(head, "HTTP/1.1 400 Bad Request\r\n") {
		t.Errorf("protocol other: %s", head)
	}
	// Accepted: RFC 6455's sample key and accept value.
	head, _ = rc.do("GET", "/ari/events?app=x", upgrade+"Sec-WebSocket-Version: 13\r\n")
	if head != "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n" {
		t.Errorf("upgrade: %q", head)
	}
	statuses := []int{}
	for _, r := range srv.Requests() {
		statuses = append(statuses, r.Status)
	}
	if len(statuses) != 4 || statuses[0] != 400 || statuses[3] != 101 {
		t.Errorf("recorded statuses %v", statuses)
	}
}

// eventually polls cond for up to 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
