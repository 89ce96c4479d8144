package provd

import (
	"errors"
	"strings"
)

// Notification is the AMI PJSIPNotify that re-syncs a device: to Endpoint
// when set, else to URI, with the variable Event=<Event>.
type Notification struct {
	Endpoint string // a PJSIP endpoint
	URI      string // "sip:anonymous@<ip>" when no endpoint is known
	Event    string
}

// ErrCannotSynchronize is returned when neither an endpoint nor an IP
// address of the device is known.
var ErrCannotSynchronize = errors.New("not enough information to synchronize device")

// StandardSIPSynchronize is provd's standard_sip_synchronize: a NOTIFY to
// the device's remote-state SIP user name (the line-1 user name it had at
// its last fetch of its trigger file) — unless that is an autoprov user
// name ("ap" and 8 more characters), which no endpoint answers to — else to
// sip:anonymous@ its IP address.
func StandardSIPSynchronize(dev Device, event string) (Notification, error) {
	if peer := dev.RemoteStateSIPUsername; peer != "" && !(strings.HasPrefix(peer, "ap") && len(peer) == 10) {
		return Notification{Endpoint: peer, Event: event}, nil
	}
	if dev.IP != "" {
		return Notification{URI: "sip:anonymous@" + dev.IP, Event: event}, nil
	}
	return Notification{}, ErrCannotSynchronize
}
