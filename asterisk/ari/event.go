package ari

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// MaxEventSize bounds an event message; larger ones are refused.
const MaxEventSize = 1 << 20

// timestampLayout is ARI's timestamp format (ast_json_timeval,
// "%FT%T.%q%z"), e.g. "2026-11-22T07:17:40.580+0000".
const timestampLayout = "2006-01-02T15:04:05.000-0700"

// EndpointState is an ARI Endpoint (docs/asterisk.md#ari): GET /endpoints and
// the "endpoint" member of endpoint events.
type EndpointState struct {
	Technology string   `json:"technology"` // e.g. "PJSIP"
	Resource   string   `json:"resource"`   // e.g. "7001"
	State      string   `json:"state"`      // unknown, offline or online
	ChannelIDs []string `json:"channel_ids"`
}

// ContactInfo is a ContactStatusChange's contact_info.
type ContactInfo struct {
	URI    string `json:"uri"`            // e.g. "sip:7001@192.0.2.10:5060"
	Status string `json:"contact_status"` // Reachable, Unreachable, Unknown, NonQualified, Removed
	AOR    string `json:"aor"`
	// RoundtripUsec is the qualify round trip in microseconds, as ARI
	// sends it (a string), or "" when unknown.
	RoundtripUsec string `json:"roundtrip_usec"`
}

// PeerInfo is a PeerStatusChange's peer.
type PeerInfo struct {
	Status  string `json:"peer_status"` // e.g. Reachable
	Cause   string `json:"cause"`
	Address string `json:"address"`
	Port    string `json:"port"`
	Time    string `json:"time"`
}

// Event is one message of the event websocket. Endpoint is set for
// ContactStatusChange, EndpointStateChange and PeerStatusChange, Contact
// for ContactStatusChange and Peer for PeerStatusChange; Raw is the whole
// message, for other types.
type Event struct {
	Type        string
	Application string
	// Timestamp is zero when absent or unparsable.
	Timestamp  time.Time
	AsteriskID string
	Endpoint   EndpointState
	Contact    *ContactInfo
	Peer       *PeerInfo
	Raw        json.RawMessage
}

// wireEvent is the JSON layout of the events phoneprovd reads.
type wireEvent struct {
	Type        string         `json:"type"`
	Application string         `json:"application"`
	Timestamp   string         `json:"timestamp"`
	AsteriskID  string         `json:"asterisk_id"`
	Endpoint    *EndpointState `json:"endpoint"`
	Contact     *ContactInfo   `json:"contact_info"`
	Peer        *PeerInfo      `json:"peer"`
}

// DecodeEvent parses one websocket message. It fails on a message that is
// not a JSON object with a string "type", or larger than MaxEventSize;
// members of the wrong JSON type are errors too. Contact and Peer are set
// only for the event types that carry them.
func DecodeEvent(data []byte) (Event, error) {
	if len(data) > MaxEventSize {
		return Event{}, fmt.Errorf("ari: event of %d bytes exceeds %d", len(data), MaxEventSize)
	}
	var w wireEvent
	if err := json.Unmarshal(data, &w); err != nil {
		return Event{}, fmt.Errorf("ari: decode event: %w", err)
	}
	if w.Type == "" {
		return Event{}, errors.New("ari: decode event: no type")
	}
	ev := Event{
		Type:        w.Type,
		Application: w.Application,
		AsteriskID:  w.AsteriskID,
		Raw:         json.RawMessage(append([]byte(nil), data...)),
	}
	if t, err := time.Parse(timestampLayout, w.Timestamp); err == nil {
		ev.Timestamp = t
	}
	if w.Endpoint != nil {
		ev.Endpoint = *w.Endpoint
	}
	switch w.Type {
	case "ContactStatusChange":
		if w.Contact == nil {
			return Event{}, errors.New("ari: decode event: ContactStatusChange without contact_info")
		}
		ev.Contact = w.Contact
	case "PeerStatusChange":
		if w.Peer == nil {
			return Event{}, errors.New("ari: decode event: PeerStatusChange without peer")
		}
		ev.Peer = w.Peer
	}
	return ev, nil
}
