package ari

import (
	"strings"
	"testing"
	"time"
)

// TestDecodeEvent decodes events as Asterisk 20.20.1 writes them
// (main/stasis_endpoints.c contactstatus_to_json and peerstatus_to_json,
// res/stasis/app.c simple_endpoint_event) and refuses malformed ones.
func TestDecodeEvent(t *testing.T) {
	const endpoint = `"endpoint": {"technology": "PJSIP", "resource": "7001", "state": "online", "channel_ids": []}`
	tests := []struct {
		name    string
		in      string
		wantErr string
		check   func(Event) bool
	}{
		// contactstatus_to_json with roundtrip_usec, as a string.
		{"contact", `{"type": "ContactStatusChange", "timestamp": "2026-11-22T07:17:40.580+0000", ` + endpoint +
			`, "contact_info": {"uri": "sip:7001@127.0.0.1:5073", "contact_status": "Reachable", "aor": "7001", "roundtrip_usec": "1234"}, "asterisk_id": "02:fc:00:00:00:01", "application": "app"}`, "",
			func(e Event) bool {
				return e.Contact != nil && e.Contact.RoundtripUsec == "1234" && e.Contact.Status == "Reachable" &&
					e.Endpoint.Resource == "7001" && e.Application == "app" && e.AsteriskID == "02:fc:00:00:00:01" &&
					e.Timestamp.Equal(time.Date(2026, 11, 22, 7, 17, 40, 580e6, time.UTC))
			}},
		// Without roundtrip_usec (the second ast_json_pack).
		{"contact no rtt", `{"type": "ContactStatusChange", ` + endpoint + `, "contact_info": {"uri": "u", "contact_status": "Removed", "aor": "a"}}`, "",
			func(e Event) bool { return e.Contact.RoundtripUsec == "" && e.Timestamp.IsZero() }},
		{"state", `{"type": "EndpointStateChange", ` + endpoint + `}`, "",
			func(e Event) bool { return e.Endpoint.State == "online" && e.Contact == nil && e.Peer == nil }},
		{"peer", `{"type": "PeerStatusChange", ` + endpoint + `, "peer": {"peer_status": "Unreachable", "cause": "timeout"}}`, "",
			func(e Event) bool {
				return e.Peer != nil && e.Peer.Status == "Unreachable" && e.Peer.Cause == "timeout"
			}},
		// Other types pass through with Raw.
		{"other", `{"type": "ApplicationReplaced", "application": "app"}`, "",
			func(e Event) bool {
				return e.Type == "ApplicationReplaced" && strings.Contains(string(e.Raw), "ApplicationReplaced")
			}},
		{"bad timestamp", `{"type": "EndpointStateChange", "timestamp": "yesterday"}`, "", func(e Event) bool { return e.Timestamp.IsZero() }},
		{"no type", `{"endpoint": {}}`, "no type", nil},
		{"not an object", `[1,2]`, "decode event", nil},
		{"wrong member type", `{"type": "EndpointStateChange", "endpoint": "PJSIP/7001"}`, "decode event", nil},
		{"contact missing", `{"type": "ContactStatusChange", ` + endpoint + `}`, "without contact_info", nil},
		{"peer missing", `{"type": "PeerStatusChange"}`, "without peer", nil},
		{"truncated", `{"type": "Endpoint`, "decode event", nil},
		{"too large", `{"type": "x", "pad": "` + strings.Repeat("a", MaxEventSize) + `"}`, "exceeds", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := DecodeEvent([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(ev) {
				t.Errorf("decoded %+v contact %+v peer %+v", ev, ev.Contact, ev.Peer)
			}
		})
	}
}

// FuzzEvent checks that DecodeEvent never panics, and that a decoded event
// always has a type and keeps the input.
func FuzzEvent(f *testing.F) {
	f.Add([]byte(`{"type": "ContactStatusChange", "endpoint": {"technology": "PJSIP", "resource": "7001", "state": "online", "channel_ids": []}, "contact_info": {"uri": "sip:x", "contact_status": "Reachable", "aor": "7001", "roundtrip_usec": "1"}}`))
	f.Add([]byte(`{"type": "PeerStatusChange", "peer": {"peer_status": "Reachable"}}`))
	f.Add([]byte(`{"type": "EndpointStateChange", "timestamp": "2026-11-22T07:17:40.580+0000"}`))
	f.Add([]byte(`{"type": 1}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := DecodeEvent(data)
		if err != nil {
			return
		}
		if ev.Type == "" || string(ev.Raw) != string(data) {
			t.Fatalf("decoded %+v from %q", ev, data)
		}
		if ev.Type == "ContactStatusChange" && ev.Contact == nil || ev.Type == "PeerStatusChange" && ev.Peer == nil {
			t.Fatalf("decoded %+v without its member", ev)
		}
	})
}
